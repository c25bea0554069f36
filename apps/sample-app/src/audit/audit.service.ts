import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AuditEventEntity } from './audit-event.entity';

export interface AuditEventView {
  type: string;
  sessionId: string | null;
  reason: string | null;
  ip: string | null;
  userAgent: string | null;
  at: Date;
}

/** The most events one GET /audit returns; the newest ones are what a user looks for. */
export const AUDIT_PAGE_SIZE = 200;

@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>,
  ) {}

  /** The user's events, newest first (served by the (user_id, at desc) index). */
  async listForUser(userId: string): Promise<AuditEventView[]> {
    const rows = await this.events.find({
      where: { userId },
      order: { at: 'DESC', id: 'DESC' },
      take: AUDIT_PAGE_SIZE,
    });
    return rows.map(({ type, sessionId, reason, ip, userAgent, at }) => ({
      type,
      sessionId,
      reason,
      ip,
      userAgent,
      at,
    }));
  }
}
