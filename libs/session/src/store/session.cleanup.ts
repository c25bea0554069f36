import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Clock } from '../clock/clock';
import type { ResolvedSessionOptions } from '../options/resolved-session-options.interface';
import { SESSION_RESOLVED_OPTIONS } from '../session.constants';
import { SessionStore } from './session.store';

/** A run stops after this many batches so one pass never monopolises the store. */
const MAX_BATCHES_PER_RUN = 100;

/**
 * Deletes sessions and rotated tokens whose retention has passed, every `cleanupInterval`, in
 * batches of `cleanupBatchSize`. Failures are logged and retried next time: cleanup is never on a
 * request's path.
 * @publicApi
 */
@Injectable()
export class SessionCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SessionCleanup');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly store: SessionStore,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.cleanupIntervalMs === 0) return;
    this.timer = setInterval(() => void this.runSafely(), this.options.cleanupIntervalMs);
    // The job must never keep a process alive that is otherwise done.
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One cleanup pass; returns how many rows went. Overlapping calls share the same pass. */
  run(): Promise<number> {
    this.running ??= this.purgeAll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async purgeAll(): Promise<number> {
    let total = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const removed = await this.store.purge(this.clock.now(), this.options.cleanupBatchSize);
      total += removed;
      if (removed < this.options.cleanupBatchSize) break;
    }
    return total;
  }

  private async runSafely(): Promise<void> {
    try {
      const removed = await this.run();
      if (removed > 0) this.logger.log(`Removed ${removed} expired session rows`);
    } catch (error) {
      this.logger.warn(`Cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
