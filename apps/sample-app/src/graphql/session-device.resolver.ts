import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { describeDevice } from '../sessions/device';
import { AuditEventType, DeviceType, SessionListItemType } from './account.types';

/**
 * `device` on sessions and audit events: worked out only when a query asks for it (the account
 * page does), from the user agent the item already holds; REST keeps its contract fields.
 */
@Resolver(() => SessionListItemType)
export class SessionDeviceResolver {
  @ResolveField(() => DeviceType)
  device(@Parent() item: { userAgent: string | null }): DeviceType {
    return describeDevice(item.userAgent);
  }
}

@Resolver(() => AuditEventType)
export class AuditEventDeviceResolver {
  @ResolveField(() => DeviceType)
  device(@Parent() event: { userAgent: string | null }): DeviceType {
    return describeDevice(event.userAgent);
  }
}
