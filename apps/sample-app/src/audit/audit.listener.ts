import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { SessionEvent } from '@app/session';
import { AuditWriter } from './audit.writer';
import { OnAnySessionEvent } from './on-session-event.decorator';

/** Writes every session event to the audit table (bounded per user: see AuditWriter). */
@Injectable()
export class AuditListener implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditListener.name);
  /** Writes in flight, so shutdown can wait for them instead of cutting them off mid-query. */
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly audit: AuditWriter) {}

  @OnAnySessionEvent()
  record(event: SessionEvent): Promise<void> {
    const write = this.write(event).finally(() => this.pending.delete(write));
    this.pending.add(write);
    return write;
  }

  /** Runs before the DataSource closes (that happens in onApplicationShutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    // Listeners run on setImmediate: let the ones already queued start, then wait for all writes.
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.allSettled([...this.pending]);
  }

  private async write(event: SessionEvent): Promise<void> {
    try {
      await this.audit.record({
        type: event.type,
        userId: event.userId,
        sessionId: event.sessionId,
        reason: event.reason,
        ip: event.ip,
        userAgent: event.userAgent,
        at: event.at,
      });
    } catch (error) {
      // Auditing is a side effect: a failed write is logged, never thrown back into the emitter
      // (and so into the request that emitted the event).
      this.logger.error(
        `Could not record ${event.type} for session ${event.sessionId ?? '-'}`,
        error instanceof Error ? error.stack : String(error),
      );
    }
  }
}
