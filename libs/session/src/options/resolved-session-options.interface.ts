import type {
  SessionAnomalyAction,
  SessionAnomalyKind,
  SessionAnomalyOptions,
  SessionLimit,
  SessionReplayPolicy,
  SessionLimitStrategy,
  SessionTransport,
} from './session-module-options.interface';

import type { Session } from '../session.interface';

/**
 * The options after defaults are applied and values checked: frozen, all fields present, times
 * in milliseconds. Injected with `@Inject(SESSION_OPTIONS)`, e.g. by a custom guard.
 *
 * @publicApi
 */
export interface ResolvedSessionOptions {
  readonly idleTimeoutMs: number;
  readonly absoluteTimeoutMs: number;
  readonly touchIntervalMs: number;
  readonly maxSessionsPerUser: SessionLimit | undefined;
  readonly limitStrategy: SessionLimitStrategy;
  readonly cookie: {
    readonly name: string;
    readonly sameSite: 'lax' | 'strict' | 'none';
    readonly secure: boolean;
    readonly path: string;
    readonly domain: string | undefined;
  };
  readonly transports: ReadonlySet<SessionTransport>;
  readonly csrf: {
    readonly enabled: boolean;
    readonly headerName: string;
    readonly allowedOrigins: ReadonlySet<string>;
  };
  /** Undefined when DBSC is off. */
  readonly deviceBound:
    | {
        readonly secret: string;
        readonly cookieLifetimeMs: number;
        readonly registrationPath: string;
        readonly refreshPath: string;
      }
    | undefined;
  /** Undefined when DPoP is off. */
  readonly dpop:
    | {
        readonly required: boolean;
        readonly proofLifetimeMs: number;
        readonly nonce: { readonly secret: string; readonly lifetimeMs: number } | undefined;
      }
    | undefined;
  readonly rotationIntervalMs: number;
  readonly rotationGraceMs: number;
  readonly tombstoneRetentionMs: number;
  readonly onReplay: SessionReplayPolicy;
  readonly reauthWindowMs: number;
  readonly anomaly: {
    readonly enabled: boolean;
    readonly windowMs: number;
    readonly actions: Readonly<Record<SessionAnomalyKind, SessionAnomalyAction>>;
    readonly geoResolver: SessionAnomalyOptions['geoResolver'];
    readonly maxTravelSpeedKmh: number;
  };
  /** Undefined when the validation cache is off. */
  readonly cache: { readonly ttlMs: number; readonly max: number } | undefined;
  readonly cleanupIntervalMs: number;
  readonly cleanupBatchSize: number;
  readonly logEvents: boolean;
  readonly cacheControl: boolean;
  readonly socketActivityRenews: boolean;
  readonly dataSourceName: string;
  readonly resolveUser: ((session: Session) => unknown) | undefined;
}
