import { Field, ID, ObjectType } from '@nestjs/graphql';

/**
 * The GraphQL twins of the REST views (sessions/session.views.ts), field by field: a new field
 * on Session never reaches a client by accident. Dates are ISO-8601 strings, as in REST.
 */
@ObjectType('User')
export class UserType {
  @Field(() => ID) id!: string;
  @Field() email!: string;
}

@ObjectType('SessionDetail')
export class SessionDetailType {
  @Field(() => ID) id!: string;
  @Field() createdAt!: Date;
  @Field() lastSeenAt!: Date;
  @Field() expiresAt!: Date;
  @Field() absoluteExpiresAt!: Date;
}

@ObjectType('Me')
export class MeType {
  @Field(() => UserType) user!: UserType;
  @Field(() => SessionDetailType) session!: SessionDetailType;
}

@ObjectType('SessionLocation', { description: 'Where a session signed in from.' })
export class SessionLocationType {
  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 code.' })
  country!: string | null;
  @Field(() => String, { nullable: true }) city!: string | null;
}

@ObjectType('SessionListItem')
export class SessionListItemType {
  @Field(() => ID) id!: string;
  @Field({ description: 'True for the session that made this request.' }) current!: boolean;
  @Field(() => String, { nullable: true }) ip!: string | null;
  @Field(() => String, { nullable: true }) userAgent!: string | null;
  @Field() createdAt!: Date;
  @Field() lastSeenAt!: Date;
  @Field(() => SessionLocationType) location!: SessionLocationType;
  @Field({ description: 'Bound to a key its browser keeps (DBSC).' }) deviceBound!: boolean;
}

@ObjectType('Device', { description: "A readable name for a session's user agent." })
export class DeviceType {
  @Field({ description: '"Chrome 156 on Linux", or the raw user agent.' }) name!: string;
  @Field({ description: 'A phone or a tablet.' }) mobile!: boolean;
}

@ObjectType('AuditEvent', { description: 'A session event of the caller (GET /audit).' })
export class AuditEventType {
  @Field({ description: 'session.created, session.revoked, …' }) type!: string;
  @Field(() => ID, { nullable: true }) sessionId!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => String, { nullable: true }) ip!: string | null;
  @Field(() => String, { nullable: true }) userAgent!: string | null;
  @Field() at!: Date;
}
