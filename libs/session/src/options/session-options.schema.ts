import { z } from 'zod';
import { optionMessage } from '../errors/session-options.error';

/**
 * The shape and the per-field rules of `SessionModuleOptions`, as a zod schema. Rules that relate
 * two options, and the defaults that derive from others, live in `session-options.resolver.ts`.
 *
 * Numbers and booleans also come as strings, because `ConfigService.get()` returns what the
 * environment holds: `"900"` is 900 seconds and `"false"` is false. Anything else is refused with
 * a message that names the option, says what it accepts and shows what it got. Unknown keys are
 * refused too: a misspelt security option must not be silently ignored.
 */

const LIMIT_STRATEGIES = ['evict-oldest', 'evict-least-recent', 'reject'] as const;
export const TRANSPORTS = ['cookie', 'bearer'] as const;
const REPLAY_POLICIES = ['emit', 'revoke-user-sessions'] as const;
export const ANOMALY_KINDS = [
  'user_agent_changed',
  'ip_changed',
  'concurrent_locations',
  'country_changed',
  'impossible_travel',
] as const;
const ANOMALY_ACTIONS = ['emit', 'revoke'] as const;
const SAME_SITE = ['lax', 'strict', 'none'] as const;
// RFC 6265 token characters: what a cookie name (and an HTTP header name) may contain.
export const TOKEN_CHARS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ORIGIN = /^https?:\/\/[^/\s]+$/;
const DECIMAL = /^\s*-?\d+(\.\d+)?\s*$/;

/** The zod error option that renders this module's message for `option`. */
function rule(option: string, allowed: string) {
  return { error: (issue: { input?: unknown }) => optionMessage(option, allowed, issue.input) };
}

/** A numeric string from the environment becomes its number; anything else stays as it is. */
const fromEnvNumber = (value: unknown) =>
  typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value;

/** `"true"`/`"false"` (and `"1"`/`"0"`) from the environment become booleans. */
const fromEnvBoolean = (value: unknown) => {
  if (typeof value !== 'string') return value;
  const text = value.trim().toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return value;
};

function seconds(option: string, { allowZero = false } = {}) {
  const allowed = allowZero ? 'a number of seconds ≥ 0' : 'a positive number of seconds';
  const number = z.number(rule(option, allowed)).finite(rule(option, allowed));
  return z.preprocess(
    fromEnvNumber,
    allowZero ? number.min(0, rule(option, allowed)) : number.positive(rule(option, allowed)),
  );
}

function integer(option: string, allowed: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return z.preprocess(
    fromEnvNumber,
    z
      .number(rule(option, allowed))
      .int(rule(option, allowed))
      .min(min, rule(option, allowed))
      .max(max, rule(option, allowed)),
  );
}

function flag(option: string) {
  return z.preprocess(fromEnvBoolean, z.boolean(rule(option, 'true or false')));
}

function oneOf<T extends readonly [string, ...string[]]>(option: string, values: T) {
  return z.enum(values, rule(option, `one of ${values.map((v) => `"${v}"`).join(', ')}`));
}

function matching(option: string, allowed: string, pattern: RegExp) {
  return z.string(rule(option, allowed)).regex(pattern, rule(option, allowed));
}

/** A strict object: a key the schema does not know is refused by name. */
function group<T extends z.ZodRawShape>(prefix: string, shape: T) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `SessionModule has no option ${issue.keys.map((key) => `"${prefix}${key}"`).join(', ')}; ` +
          'see SessionModuleOptions for the options it takes.'
        : optionMessage(prefix.slice(0, -1) || 'options', 'an object', issue.input),
  });
}

const LIMIT_ALLOWED = rule(
  'maxSessionsPerUser',
  'a positive integer or a function (userId) => number',
);
const maxSessionsPerUser = z.preprocess(
  fromEnvNumber,
  z.union(
    [
      z.number(LIMIT_ALLOWED).int(LIMIT_ALLOWED).min(1, LIMIT_ALLOWED),
      z.custom<(userId: string) => unknown>((v) => typeof v === 'function', LIMIT_ALLOWED),
    ],
    LIMIT_ALLOWED,
  ),
);

const transports = z.custom<('cookie' | 'bearer')[]>(
  (value) =>
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((t) => (TRANSPORTS as readonly unknown[]).includes(t)),
  rule('transports', 'a non-empty subset of ["cookie", "bearer"]'),
);

const allowedOrigins = z.custom<string[]>(
  (value) => Array.isArray(value) && value.every((o) => typeof o === 'string' && ORIGIN.test(o)),
  rule('csrf.allowedOrigins', 'an array of origins like "https://app.example.com"'),
);

const anomalyActions = z.custom<Record<string, string>>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).every((kind) => (ANOMALY_KINDS as readonly string[]).includes(kind)),
  {
    error: (issue) =>
      optionMessage(
        'anomaly.actions',
        `keyed by ${ANOMALY_KINDS.map((k) => `"${k}"`).join(', ')}`,
        Object.keys((issue.input as object | null) ?? {}).find(
          (kind) => !(ANOMALY_KINDS as readonly string[]).includes(kind),
        ) ?? issue.input,
      ),
  },
);

const TRAVEL_SPEED_ALLOWED = rule('anomaly.maxTravelSpeed', 'a positive speed in km/h');

const fn = (option: string, allowed: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', rule(option, allowed));

export const sessionOptionsSchema = group('', {
  idleTimeout: seconds('idleTimeout').optional(),
  absoluteTimeout: seconds('absoluteTimeout').optional(),
  touchInterval: seconds('touchInterval', { allowZero: true }).optional(),
  maxSessionsPerUser: maxSessionsPerUser.optional(),
  limitStrategy: oneOf('limitStrategy', LIMIT_STRATEGIES).optional(),
  cookie: group('cookie.', {
    name: matching('cookie.name', 'a non-empty RFC 6265 token', TOKEN_CHARS).optional(),
    sameSite: oneOf('cookie.sameSite', SAME_SITE).optional(),
    secure: flag('cookie.secure').optional(),
    path: matching('cookie.path', 'a path starting with "/"', /^\//).optional(),
    domain: z
      .string(rule('cookie.domain', 'a non-empty host name or left unset'))
      .min(1, rule('cookie.domain', 'a non-empty host name or left unset'))
      .optional(),
  }).optional(),
  transports: transports.optional(),
  deviceBound: group('deviceBound.', {
    secret: z
      .string(rule('deviceBound.secret', 'a string of at least 32 characters'))
      .min(32, rule('deviceBound.secret', 'a string of at least 32 characters')),
    cookieLifetime: seconds('deviceBound.cookieLifetime').optional(),
    registrationPath: matching(
      'deviceBound.registrationPath',
      'a path starting with "/"',
      /^\/\S*$/,
    ).optional(),
    refreshPath: matching(
      'deviceBound.refreshPath',
      'a path starting with "/"',
      /^\/\S*$/,
    ).optional(),
  }).optional(),
  dpop: group('dpop.', {
    required: flag('dpop.required').optional(),
    proofLifetime: seconds('dpop.proofLifetime').optional(),
    nonce: group('dpop.nonce.', {
      secret: z
        .string(rule('dpop.nonce.secret', 'a string of at least 32 characters'))
        .min(32, rule('dpop.nonce.secret', 'a string of at least 32 characters')),
      lifetime: seconds('dpop.nonce.lifetime').optional(),
    }).optional(),
  }).optional(),
  csrf: group('csrf.', {
    enabled: flag('csrf.enabled').optional(),
    headerName: matching('csrf.headerName', 'a valid HTTP header name', TOKEN_CHARS).optional(),
    allowedOrigins: allowedOrigins.optional(),
  }).optional(),
  rotationInterval: seconds('rotationInterval', { allowZero: true }).optional(),
  rotationGrace: seconds('rotationGrace', { allowZero: true }).optional(),
  tombstoneRetention: seconds('tombstoneRetention').optional(),
  onReplay: oneOf('onReplay', REPLAY_POLICIES).optional(),
  reauthWindow: seconds('reauthWindow').optional(),
  anomaly: group('anomaly.', {
    enabled: flag('anomaly.enabled').optional(),
    window: seconds('anomaly.window').optional(),
    actions: anomalyActions
      .pipe(z.record(z.string(), oneOf('anomaly.actions', ANOMALY_ACTIONS)))
      .optional(),
    geoResolver: fn(
      'anomaly.geoResolver',
      'a function (ip) => location or country code',
    ).optional(),
    maxTravelSpeed: z
      .preprocess(
        fromEnvNumber,
        z.number(TRAVEL_SPEED_ALLOWED).finite(TRAVEL_SPEED_ALLOWED).positive(TRAVEL_SPEED_ALLOWED),
      )
      .optional(),
  }).optional(),
  cache: z
    .strictObject(
      {
        ttl: seconds('cache.ttl'),
        max: integer('cache.max', 'a positive integer', 1).optional(),
      },
      {
        error: (issue) =>
          issue.code === 'unrecognized_keys'
            ? `SessionModule has no option ${issue.keys.map((k) => `"cache.${k}"`).join(', ')}.`
            : optionMessage('cache', 'an object { ttl, max? } or left unset', issue.input),
      },
    )
    .optional(),
  cleanupInterval: seconds('cleanupInterval', { allowZero: true }).optional(),
  cleanupBatchSize: integer(
    'cleanupBatchSize',
    'an integer from 1 to 100000',
    1,
    100_000,
  ).optional(),
  logEvents: flag('logEvents').optional(),
  cacheControl: flag('cacheControl').optional(),
  socketActivityRenews: flag('socketActivityRenews').optional(),
  dataSourceName: z
    .string(rule('dataSourceName', 'a non-empty string'))
    .min(1, rule('dataSourceName', 'a non-empty string'))
    .optional(),
  // Checked where they are used (the store and the channel by the providers).
  store: z.unknown().optional(),
  invalidation: z.unknown().optional(),
  resolveUser: fn('resolveUser', 'a function (session) => user').optional(),
});

export type ParsedSessionOptions = z.infer<typeof sessionOptionsSchema>;
