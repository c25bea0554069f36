/** Retry delays after a lost subscription, capped: the channel heals by itself. */
const BACKOFF_MS = [100, 250, 500, 1000, 2000, 5000];

/** The delay before reconnection attempt `attempt` (0 for the first). */
export function reconnectDelay(attempt: number): number {
  return BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
}

/**
 * How often a listening connection must prove it is alive; a silent network cut shows up here
 * (a ping still unanswered at the next tick counts as a loss), where TCP alone reports it minutes
 * later.
 */
export const HEARTBEAT_MS = 2000;

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
