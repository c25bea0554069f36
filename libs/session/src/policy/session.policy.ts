import type { SessionRecord } from '../store/session.record';

/** A session is live while not ended and neither expiry has passed. */
export function isLive(record: SessionRecord, now: Date): boolean {
  const t = now.getTime();
  return (
    record.endedAt === null &&
    record.idleExpiresAt.getTime() > t &&
    record.absoluteExpiresAt.getTime() > t
  );
}

/** Which victims a limit evicts so that one more session fits. */
export function pickEvictions(
  live: SessionRecord[],
  max: number,
  strategy: 'evict-oldest' | 'evict-least-recent',
): SessionRecord[] {
  const excess = live.length - max + 1;
  if (excess <= 0) return [];
  const key = strategy === 'evict-oldest' ? 'createdAt' : 'lastSeenAt';
  return [...live]
    .sort((a, b) => a[key].getTime() - b[key].getTime() || a.id.localeCompare(b.id))
    .slice(0, excess);
}
