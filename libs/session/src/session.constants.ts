/**
 * DI token of the frozen, validated options (`ResolvedSessionOptions`), for custom guards and
 * adapters: `@Inject(SESSION_RESOLVED_OPTIONS) options: ResolvedSessionOptions`.
 *
 * @publicApi
 */
export const SESSION_RESOLVED_OPTIONS = Symbol('SESSION:RESOLVED_OPTIONS');

/** A store given as `store` to forRoot/forRootAsync (instance or provider form). Internal. */
export const SESSION_STORE_PROVIDER = Symbol('SESSION:STORE_PROVIDER');

/** Metadata key set by `@Public()`. */
export const IS_PUBLIC_KEY = 'session:public';

/** Metadata key set by `@RequireFreshSession()`: seconds, or null for the module default. */
export const REQUIRE_FRESH_SESSION_KEY = 'session:require-fresh';
