/* eslint-disable @typescript-eslint/require-await -- async on purpose: the methods honour the
   asynchronous SessionStore contract, and a throw becomes a rejection as with a real store. */
import { isLive, pickEvictions } from '../../policy/session.policy';
import type {
  CreateSessionParams,
  CreateSessionResult,
  EndAllForUserParams,
  EndSessionParams,
  RotateSessionParams,
  RotatedTokenRecord,
  SessionRecord,
} from '../session.record';
import { SessionStore } from '../session.store';

/**
 * A process-local store for unit tests and demos. Every method runs without an `await` between
 * read and write, so each is atomic on Node's single thread. Not for production: nothing is
 * shared between processes or survives a restart.
 */
export class InMemorySessionStore extends SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly idByHash = new Map<string, string>();
  private readonly rotated = new Map<string, RotatedTokenRecord>();
  /** userId → revocation watermark and when it may go. */
  private readonly watermarks = new Map<string, { at: Date; purgeAfter: Date }>();
  /** Single-use proofs (DPoP `jti`s) already accepted, until they could no longer be replayed. */
  private readonly usedProofs = new Map<string, Date>();

  async create(record: SessionRecord, params: CreateSessionParams): Promise<CreateSessionResult> {
    const { limit, now } = params;
    // As the PostgreSQL store's unique index: one current token hash, one session.
    if (this.idByHash.has(record.tokenHash.toString('hex'))) {
      throw new Error('InMemorySessionStore.create: the token hash is already in use');
    }
    let evicted: SessionRecord[] = [];
    const watermark = this.watermarks.get(record.userId)?.at;
    if (params.authenticatedSince && watermark && watermark >= params.authenticatedSince) {
      return { created: false, reason: 'revoked' };
    }
    if (limit) {
      const live = this.live(record.userId, now);
      if (live.length >= limit.max) {
        if (limit.strategy === 'reject') {
          return { created: false, reason: 'limit', activeCount: live.length };
        }
        evicted = pickEvictions(live, limit.max, limit.strategy).map((victim) =>
          this.endRecord(victim, { reason: 'limit', now, purgeAfter: params.evictedPurgeAfter }),
        );
      }
    }
    this.sessions.set(record.id, copy(record));
    this.idByHash.set(record.tokenHash.toString('hex'), record.id);
    return { created: true, evicted };
  }

  async findByTokenHash(tokenHash: Buffer): Promise<SessionRecord | null> {
    const id = this.idByHash.get(tokenHash.toString('hex'));
    return id ? this.copyOf(id) : null;
  }

  async findRotatedToken(tokenHash: Buffer): Promise<RotatedTokenRecord | null> {
    const found = this.rotated.get(tokenHash.toString('hex'));
    return found ? { ...found } : null;
  }

  async findById(id: string): Promise<SessionRecord | null> {
    return this.copyOf(id);
  }

  async touch(
    id: string,
    params: { lastSeenAt: Date; idleExpiresAt: Date; notAfter: Date; now: Date },
  ): Promise<boolean> {
    const record = this.sessions.get(id);
    if (!record || !isLive(record, params.now) || record.lastSeenAt > params.notAfter) return false;
    record.lastSeenAt = params.lastSeenAt;
    record.idleExpiresAt = params.idleExpiresAt;
    return true;
  }

  async rotate(id: string, params: RotateSessionParams): Promise<SessionRecord | null> {
    const record = this.sessions.get(id);
    if (!record || !isLive(record, params.now)) return null;
    if (
      params.expectedGeneration !== undefined &&
      record.generation !== params.expectedGeneration
    ) {
      return null;
    }
    const oldHash = record.tokenHash.toString('hex');
    this.rotated.set(oldHash, {
      tokenHash: record.tokenHash,
      sessionId: id,
      userId: record.userId,
      graceUntil: params.graceUntil,
      purgeAfter: params.purgeAfter,
    });
    this.idByHash.delete(oldHash);
    this.idByHash.set(params.newTokenHash.toString('hex'), id);
    record.tokenHash = params.newTokenHash;
    record.csrfToken = params.newCsrfToken;
    record.rotatedAt = params.now;
    record.generation += 1;
    if (params.reauthenticated) record.authenticatedAt = params.now;
    return copy(record);
  }

  async end(id: string, params: EndSessionParams): Promise<SessionRecord | null> {
    const record = this.sessions.get(id);
    if (!record || record.endedAt !== null) return null;
    const expiring = params.reason === 'idle' || params.reason === 'absolute';
    if (!expiring && !isLive(record, params.now)) return null;
    return this.endRecord(record, params);
  }

  async endAllForUser(userId: string, params: EndAllForUserParams): Promise<SessionRecord[]> {
    const previous = this.watermarks.get(userId);
    if (params.watermark && !(previous && previous.at > params.watermark)) {
      this.watermarks.set(userId, { at: params.watermark, purgeAfter: params.purgeAfter });
    }
    return this.live(userId, params.now)
      .filter((r) => r.id !== params.exceptId)
      .map((r) => this.endRecord(r, params));
  }

  async endAll(params: EndSessionParams): Promise<number> {
    const live = [...this.sessions.values()].filter((r) => isLive(r, params.now));
    live.forEach((r) => this.endRecord(r, params));
    return live.length;
  }

  async listActive(userId: string, now: Date): Promise<SessionRecord[]> {
    return this.live(userId, now)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map(copy);
  }

  override async countAllActive(now: Date): Promise<number> {
    return [...this.sessions.values()].filter((r) => isLive(r, now)).length;
  }

  async countActive(userId: string, now: Date): Promise<number> {
    return this.live(userId, now).length;
  }

  override async recordSighting(id: string, ip: string, at: Date): Promise<boolean> {
    const record = this.sessions.get(id);
    if (!record || !isLive(record, at)) return false;
    record.lastIp = ip;
    record.lastIpAt = at;
    return true;
  }

  override async bindKey(id: string, boundKey: string, now: Date): Promise<SessionRecord | null> {
    const record = this.sessions.get(id);
    if (!record || !isLive(record, now) || record.boundKey !== null) return null;
    record.boundKey = boundKey;
    return copy(record);
  }

  async updateData(
    id: string,
    data: Record<string, unknown>,
    now: Date,
  ): Promise<SessionRecord | null> {
    const record = this.sessions.get(id);
    if (!record || !isLive(record, now)) return null;
    record.data = structuredClone(data);
    return copy(record);
  }

  override async claimProof(key: string, expiresAt: Date, now: Date): Promise<boolean> {
    const held = this.usedProofs.get(key);
    if (held !== undefined && held > now) return false;
    this.usedProofs.set(key, expiresAt);
    return true;
  }

  async purge(now: Date, batchSize: number): Promise<number> {
    let removed = 0;
    for (const [key, expiresAt] of this.usedProofs) {
      if (expiresAt <= now) this.usedProofs.delete(key);
    }
    for (const [id, record] of this.sessions) {
      if (removed >= batchSize) break;
      if (record.purgeAfter <= now) {
        this.sessions.delete(id);
        this.idByHash.delete(record.tokenHash.toString('hex'));
        removed += 1;
      }
    }
    for (const [userId, watermark] of this.watermarks) {
      if (watermark.purgeAfter <= now) this.watermarks.delete(userId);
    }
    for (const [hash, tomb] of this.rotated) {
      if (removed >= batchSize * 2) break;
      if (tomb.purgeAfter <= now) {
        this.rotated.delete(hash);
        removed += 1;
      }
    }
    return removed;
  }

  private live(userId: string, now: Date): SessionRecord[] {
    return [...this.sessions.values()].filter((r) => r.userId === userId && isLive(r, now));
  }

  private endRecord(record: SessionRecord, params: EndSessionParams): SessionRecord {
    record.endedAt = params.now;
    record.endReason = params.reason;
    record.purgeAfter = params.purgeAfter;
    return copy(record);
  }

  private copyOf(id: string): SessionRecord | null {
    const record = this.sessions.get(id);
    return record ? copy(record) : null;
  }
}

function copy(record: SessionRecord): SessionRecord {
  return { ...record, data: structuredClone(record.data) };
}
