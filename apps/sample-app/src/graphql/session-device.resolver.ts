import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { describeDevice } from '../sessions/device';
import type { SessionListItemWithHints } from '../sessions/user-sessions.service';
import { AuditEventType, DeviceType, SessionListItemType } from './account.types';

/**
 * `device` on sessions and audit events: worked out only when a query asks for it (the account
 * page does), from the Client Hints or the user agent the item already holds; REST keeps its contract fields.
 */
@Resolver(() => SessionListItemType)
export class SessionDeviceResolver {
  @ResolveField(() => DeviceType)
  device(@Parent() item: SessionListItemWithHints): DeviceType {
    return describeDevice(item.userAgent, item.clientHints);
  }
}

@Resolver(() => AuditEventType)
export class AuditEventDeviceResolver {
  @ResolveField(() => DeviceType)
  device(@Parent() event: { userAgent: string | null }): DeviceType {
    return describeDevice(event.userAgent);
  }
}
