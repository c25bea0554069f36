import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { Repository } from 'typeorm';
import { ConfigService } from '@nestjs/config';
import { type AppConfigService, appConfigFrom } from '../config/app-config.module';
import { RateLimiters } from '../throttle/rate-limiters';
import { AuditEventEntity } from './audit-event.entity';

const SUMMARY = 'summarized: ';

export interface AuditEntry {
  type: string;
  userId: string;
  sessionId: string | null;
  reason: string | null;
  ip: string | null;
  userAgent: string | null;
  at: Date;
}

/**
 * The one way into the audit table. Up to AUDIT_MAX_EVENTS_PER_MINUTE [20] events of one type per
 * user and minute are stored row by row, so a storm (failed logins, the limit evictions of a login
 * loop) stays readable and small (the count holds across instances: it lives in the app's database
 * or Redis); beyond that, the minute's events of that type are folded into one row whose reason is
 * `summarized: <how many>`.
 */
@Injectable()
export class AuditWriter {
  private readonly perMinute: RateLimiterAbstract;

  constructor(
    @InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>,
    limiters: RateLimiters,
    configService: ConfigService,
  ) {
    this.perMinute = limiters.create({
      keyPrefix: 'audit',
      points: appConfigFrom(configService as unknown as AppConfigService).auditMaxEventsPerMinute,
      duration: 60,
    });
  }

  async record(entry: AuditEntry): Promise<void> {
    if (await this.withinRate(entry)) {
      await this.events.insert(entry);
      return;
    }
    await this.fold(entry);
  }

  /**
   * Adds the event to the minute's summary row of its user and type, creating the row if needed.
   * Under a transaction-scoped advisory lock on (user, type), so concurrent writers — on any
   * instance — fold into one row instead of each starting its own.
   */
  private async fold(entry: AuditEntry): Promise<void> {
    const since = new Date(entry.at.getTime() - 60_000);
    await this.events.manager.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('audit-summary'), hashtext($1))`, [
        `${entry.userId}:${entry.type}`,
      ]);
      const folded: unknown = await tx.query(
        `WITH target AS (
           SELECT id FROM audit_events
            WHERE user_id = $1 AND type = $2 AND reason LIKE '${SUMMARY}%' AND at >= $3
            ORDER BY id DESC LIMIT 1)
         UPDATE audit_events a
            SET reason = '${SUMMARY}' || (substring(a.reason from ${SUMMARY.length + 1})::int + 1)
           FROM target WHERE a.id = target.id RETURNING a.id`,
        [entry.userId, entry.type, since],
      );
      if (updatedRows(folded) === 0) {
        await tx.insert(AuditEventEntity, { ...entry, sessionId: null, reason: `${SUMMARY}1` });
      }
    });
  }

  private async withinRate(entry: AuditEntry): Promise<boolean> {
    try {
      await this.perMinute.consume(`${entry.userId}:${entry.type}`);
      return true;
    } catch (error) {
      if (error instanceof RateLimiterRes) return false;
      throw error;
    }
  }
}

/** TypeORM's query() answers an UPDATE … RETURNING on postgres with [rows, affected]. */
function updatedRows(result: unknown): number {
  if (Array.isArray(result) && typeof result[1] === 'number') return result[1];
  return Array.isArray(result) ? result.length : 0;
}
