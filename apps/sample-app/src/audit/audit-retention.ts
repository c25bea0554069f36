import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { type AppConfigValues, appConfigFrom } from '../config/app-config.module';

/** How often old audit rows are deleted; retention is counted in days, so hourly is plenty. */
const RUN_EVERY_MS = 60 * 60 * 1000;
/** Rows per DELETE, so a run never holds long locks on the table GET /audit reads. */
const BATCH = 1000;

/**
 * Deletes audit events older than AUDIT_RETENTION_DAYS (0 keeps them forever), hourly and in
 * bounded batches. A failure is logged and retried next hour: it never touches a request.
 */
@Injectable()
export class AuditRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditRetention');
  private readonly retentionDays: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    config: ConfigService<AppConfigValues, true>,
  ) {
    this.retentionDays = appConfigFrom(config).auditRetentionDays;
  }

  onApplicationBootstrap(): void {
    if (this.retentionDays === 0) return;
    this.timer = setInterval(() => {
      this.purge().catch((error: unknown) =>
        this.logger.warn(
          `Audit retention failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }, RUN_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Deletes every event older than the retention window; returns how many went. */
  async purge(now = new Date()): Promise<number> {
    if (this.retentionDays === 0) return 0;
    const cutoff = new Date(now.getTime() - this.retentionDays * 86_400_000);
    let total = 0;
    for (;;) {
      const [, removed] = await this.dataSource.query<[unknown, number]>(
        `DELETE FROM audit_events WHERE id = ANY(ARRAY(
           SELECT id FROM audit_events WHERE at < $1 LIMIT ${BATCH}))`,
        [cutoff],
      );
      total += removed;
      if (removed < BATCH) return total;
    }
  }
}
