/** The values the choice variables accept (the environment schema and the types share them). */
export const LIMIT_STRATEGIES = ['evict-oldest', 'evict-least-recent', 'reject'] as const;
export type LimitStrategy = (typeof LIMIT_STRATEGIES)[number];

export const SESSION_STORES = ['postgres', 'redis'] as const;

/** pino's levels, most to least severe; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const HTTP_ADAPTERS = ['express', 'fastify'] as const;
export type HttpAdapterName = (typeof HTTP_ADAPTERS)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];
/** `auto`: pretty on a terminal outside production (`npm start`), JSON everywhere else. */
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
