/**
 * Key layout of `RedisSessionStore` (P = prefix, U = escaped user id, I = escaped session id):
 *
 * | key              | type   | holds                                                 | slot       |
 * | ---------------- | ------ | ----------------------------------------------------- | ---------- |
 * | `P:{U}:s:I`      | hash   | the session record                                    | user's     |
 * | `P:{U}:ids`      | zset   | the user's session ids, scored by createdAt (ms)      | user's     |
 * | `P:{U}:r:<hex>`  | hash   | rotated-token tombstone of token hash `<hex>`         | user's     |
 * | `P:{U}:rot`      | zset   | the user's tombstone hashes, scored by purgeAfter     | user's     |
 * | `P:hash:<hex>`   | string | `U:I` — token hash → its session (current or old)     | own        |
 * | `P:id:I`         | string | `U` — session id → its user                           | own        |
 * | `P:snap:<hex>`   | string | JSON copy of the record whose current hash is `<hex>` | own        |
 * | `P:lock:purge`   | string | which instance runs `purge()` (expires after 60 s)    | own        |
 *
 * The `{U}` hash tag puts every key of one user in one Redis Cluster slot, so one Lua script can
 * count, evict and insert atomically. The two lookups only know a hash or an id, so they hash
 * on their whole name and spread over the cluster. Snapshots exist on standalone Redis only (the
 * scripts write them next to the record, which Cluster would refuse across slots).
 */
export class RedisSessionKeys {
  constructor(readonly prefix: string) {
    // A brace in the prefix would become the hash tag of EVERY key: all users in one slot, and
    // the per-user tags below would be ignored.
    if (prefix === '' || /[{}]/.test(prefix)) {
      throw new Error(
        `RedisSessionStore: prefix must be non-empty and contain no "{" or "}" (got "${prefix}"); ` +
          `the store adds a per-user hash tag itself.`,
      );
    }
  }

  /** `P:{U}:` — the start of every key of one user; `user` is already escaped. */
  userBase(user: string): string {
    return `${this.prefix}:{${user}}:`;
  }

  index(user: string): string {
    return `${this.userBase(user)}ids`;
  }

  rotatedIndex(user: string): string {
    return `${this.userBase(user)}rot`;
  }

  record(user: string, member: string): string {
    return `${this.userBase(user)}s:${member}`;
  }

  tombstone(user: string, hashHex: string): string {
    return `${this.userBase(user)}r:${hashHex}`;
  }

  hashLookup(hashHex: string): string {
    return `${this.prefix}:hash:${hashHex}`;
  }

  snapshot(hashHex: string): string {
    return `${this.prefix}:snap:${hashHex}`;
  }

  idLookup(member: string): string {
    return `${this.prefix}:id:${member}`;
  }

  usedProof(key: string): string {
    return `${this.prefix}:proof:${key}`;
  }

  purgeLock(): string {
    return `${this.prefix}:lock:purge`;
  }

  /** SCAN pattern of every user's two index zsets (`…:ids`, `…:rot`). */
  userIndexPattern(): string {
    return `${globEscape(this.prefix)}:{*}:*`;
  }

  /** SCAN pattern of every key of this store (tests, maintenance). */
  allPattern(): string {
    return `${globEscape(this.prefix)}:*`;
  }
}

/**
 * Escapes `%`, `{`, `}` and `:` as `%XX`. Injective, so two users never share keys; free of
 * braces, so a user id can neither close the hash tag early nor open another; free of `:`, so
 * `U:I` lookups split unambiguously. Ordinary ids (uuids, numbers, emails) stay readable.
 */
export function escapeKeyPart(value: string): string {
  return value.replace(
    /[%{}:]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

function globEscape(value: string): string {
  return value.replace(/[*?[\]\\]/g, '\\$&');
}
