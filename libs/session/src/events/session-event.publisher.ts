import { Inject, Injectable, Logger, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { SessionMetrics } from '../metrics/session.metrics';
import type { ResolvedSessionOptions } from '../options/resolved-session-options.interface';
import { SESSION_RESOLVED_OPTIONS } from '../session.constants';
import type { SessionEvent } from './session-event.payloads';

/** How long shutdown waits for listeners of already-emitted events. */
const SHUTDOWN_FLUSH_MS = 5000;

/**
 * Emits session events without ever affecting the request that caused them: delivery is
 * deferred to the next turn of the event loop, a throwing or rejecting listener is logged and
 * swallowed, and a slow async listener delays nobody. On shutdown, events already emitted are
 * delivered before the application closes.
 */
@Injectable()
export class SessionEventPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger('SessionEvents');
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly metrics: SessionMetrics,
    @Optional() private readonly emitter?: EventEmitter2,
  ) {}

  publish(event: SessionEvent): void {
    this.metrics.recordEvent(event.type);
    if (this.options.logEvents) this.log(event);
    const emitter = this.emitter;
    if (
      !emitter ||
      (emitter.listeners(event.type).length === 0 && emitter.listenersAny().length === 0)
    ) {
      return;
    }
    const delivery = new Promise<void>((resolve) => {
      setImmediate(() => {
        void this.deliver(emitter, event).finally(resolve);
      });
    });
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SHUTDOWN_FLUSH_MS);
    });
    await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
    clearTimeout(timer);
  }

  /**
   * One line per event, as an object: a structured logger (pino, Nest's JSON ConsoleLogger) writes
   * its fields as the line's own, so log tools index `event`, `sessionId`, `userId` and `reason`
   * (a JSON string in the message would be encoded twice). Payloads never hold a token, so neither
   * does the log.
   */
  private log(event: SessionEvent): void {
    this.logger.log({
      msg: `${event.type} ${event.sessionId}`,
      event: event.type,
      sessionId: event.sessionId,
      userId: event.userId,
      reason: event.reason,
      ip: event.ip,
      at: event.at.toISOString(),
    });
  }

  /**
   * Calls every listener on its own, so one that throws (or rejects) neither reaches the caller
   * nor keeps the others from running — EventEmitter2 itself stops at the first synchronous throw.
   */
  private async deliver(emitter: EventEmitter2, event: SessionEvent): Promise<void> {
    // A listener may return a promise (async listeners): it is awaited, its rejection caught.
    const calls: Array<() => unknown> = [
      ...emitter.listeners(event.type).map((listener) => () => listener.call(emitter, event)),
      ...emitter.listenersAny().map((listener) => () => listener.call(emitter, event.type, event)),
    ];
    await Promise.all(
      calls.map(async (call) => {
        try {
          await Promise.resolve(call());
        } catch (error) {
          this.logger.error(
            `A listener of ${event.type} failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }),
    );
  }
}
