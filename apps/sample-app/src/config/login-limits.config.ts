import { integer } from './env-values';

/** Any positive count: tests switch a limit off with a large one (1000000). */
const COUNT = { min: 1, max: 1_000_000_000 };

/**
 * How guessing is slowed down (ASVS 4.0.3 2.2.1, 5.0 6.3.1). Counters live where the app's data
 * lives — its PostgreSQL database (embedded PGlite included) or Redis — so they hold across
 * instances.
 */
export interface LoginLimitsConfig {
  /** LOGIN_MAX_FAILURES [5]: failed password checks per account and client ip before 429. */
  readonly maxFailures: number;
  /** LOGIN_FAILURE_WINDOW_SECONDS [900]: how long failures are counted. */
  readonly failureWindowSeconds: number;
  /** LOGIN_MAX_FAILURES_PER_IP [100]: failures per client ip, across accounts, per window. */
  readonly maxFailuresPerIp: number;
  /** REGISTER_MAX_PER_IP [20]: registrations per client ip per hour. */
  readonly registerMaxPerIp: number;
}

/** The variables of LoginLimitsConfig, for the environment schema. */
export const LOGIN_LIMIT_VARIABLES = {
  LOGIN_MAX_FAILURES: integer(5, COUNT),
  LOGIN_FAILURE_WINDOW_SECONDS: integer(900, { min: 1, max: 30 * 24 * 3600 }),
  LOGIN_MAX_FAILURES_PER_IP: integer(100, COUNT),
  REGISTER_MAX_PER_IP: integer(20, COUNT),
};
