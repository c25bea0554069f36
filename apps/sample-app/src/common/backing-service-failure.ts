/** Network-level failures of a socket to PostgreSQL or Redis. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

/**
 * PostgreSQL SQLSTATEs that mean "the database cannot serve right now", not "your query is wrong":
 * class 08 (connection exceptions), 57014 (statement_timeout), 57P01–57P03 (shutting down,
 * cannot connect now), 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57014|57P0[123]|53300)$/;

/** Messages node-postgres, the embedded pool and ioredis use for the same situations. */
const UNAVAILABLE_MESSAGE =
  /connection terminated|timeout exceeded when trying to connect|query read timeout|connection is closed|command timed out|enableOfflineQueue|reached the max retries|PGLITE_ACQUIRE_TIMEOUT/i;

function fieldsOf(error: unknown): { code?: unknown; message?: unknown; driverError?: unknown } {
  return typeof error === 'object' && error !== null ? error : {};
}

/**
 * Whether an error means a backing service (database, Redis) is down or too slow — a 503 the
 * client may retry — rather than a bug. TypeORM wraps driver errors as `driverError`.
 */
export function isBackingServiceFailure(error: unknown, depth = 0): boolean {
  const { code, message, driverError } = fieldsOf(error);
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) {
    return true;
  }
  if (code === 'PGLITE_ACQUIRE_TIMEOUT') return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
  return depth < 2 && driverError !== undefined && isBackingServiceFailure(driverError, depth + 1);
}
