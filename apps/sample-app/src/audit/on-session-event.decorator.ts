import { applyDecorators } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { SessionEvents } from '@app/session';

/**
 * Subscribes a method to every event of the session catalog. `async` runs the listener off the
 * emitter's call stack, so a slow database write never delays the request that caused the event.
 */
export function OnAnySessionEvent(): MethodDecorator {
  return applyDecorators(
    ...Object.values(SessionEvents).map((name) => OnEvent(name, { async: true })),
  );
}
