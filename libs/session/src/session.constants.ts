/** DI token of the frozen, validated options (`ResolvedSessionOptions`). */
export const SESSION_RESOLVED_OPTIONS = Symbol('SESSION:RESOLVED_OPTIONS');

/** Metadata key set by `@Public()`. */
export const IS_PUBLIC_KEY = 'session:public';

/** Metadata key set by `@RequireFreshSession()`: seconds, or null for the module default. */
export const REQUIRE_FRESH_SESSION_KEY = 'session:require-fresh';
