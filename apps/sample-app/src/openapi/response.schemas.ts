import { ApiProperty } from '@nestjs/swagger';
import type { AuditEventView } from '../audit/audit.service';
import type {
  SessionDetailView,
  SessionListItemView,
  SessionSummaryView,
} from '../sessions/session.views';
import type { UserView } from '../users/users.service';

/*
 * Response shapes for the OpenAPI document. The views are interfaces (built field by field so no
 * secret leaks into a response); these classes only describe them, and `implements` makes the
 * compiler fail when a view gains or changes a field the document does not.
 */

export class UserSchema implements UserView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'email' }) email!: string;
}

export class SessionSummarySchema implements SessionSummaryView {
  @ApiProperty({ format: 'uuid', description: 'Public session id (never the token).' })
  id!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ description: 'When the session expires without activity (idle timeout).' })
  expiresAt!: Date;
  @ApiProperty({ description: 'When the session expires regardless of activity.' })
  absoluteExpiresAt!: Date;
}

export class SessionDetailSchema extends SessionSummarySchema implements SessionDetailView {
  @ApiProperty() lastSeenAt!: Date;
}

export class SessionLocationSchema {
  @ApiProperty({ type: String, nullable: true, description: 'ISO 3166-1 alpha-2 code.' })
  country!: string | null;
  @ApiProperty({ type: String, nullable: true }) city!: string | null;
}

export class SessionListItemSchema implements SessionListItemView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() lastSeenAt!: Date;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ description: 'True for the session that made this request.' }) current!: boolean;
  @ApiProperty({
    description:
      'Where the session signed in from (DB-IP Lite); null fields for a private or unknown address, or with SESSION_GEOIP=false.',
  })
  location!: SessionLocationSchema;
  @ApiProperty({
    description:
      'Bound to a key its browser keeps (Device Bound Session Credentials, SESSION_DBSC=true).',
  })
  deviceBound!: boolean;
}

export class CookieLoginSchema {
  @ApiProperty() user!: UserSchema;
  @ApiProperty() session!: SessionSummarySchema;
  @ApiProperty({ description: 'Send it as X-CSRF-Token on unsafe cookie requests.' })
  csrfToken!: string;
}

export class TokenLoginSchema {
  @ApiProperty({
    description:
      'The session token: `Authorization: Bearer <token>`, or `Authorization: DPoP <token>` with a proof per request when token_type is DPoP.',
  })
  token!: string;
  @ApiProperty({
    enum: ['Bearer', 'DPoP'],
    description: 'DPoP when the request carried a DPoP proof: the token is bound to its key.',
  })
  token_type!: 'Bearer' | 'DPoP';
  @ApiProperty() session!: SessionSummarySchema;
}

/** A rotation answered to a cookie caller (a new cookie is set as well). */
export class CookieRotationSchema {
  @ApiProperty() csrfToken!: string;
  @ApiProperty() session!: SessionSummarySchema;
}

export class MeSchema {
  @ApiProperty() user!: UserSchema;
  @ApiProperty() session!: SessionDetailSchema;
}

export class CsrfTokenSchema {
  @ApiProperty() csrfToken!: string;
}

export class HealthSchema {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

export class AuditEventSchema implements AuditEventView {
  @ApiProperty({ example: 'session.created' }) type!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) sessionId!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty() at!: Date;
}
