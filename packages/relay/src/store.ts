/**
 * Where a relay and its credentials handler keep what they must remember across requests, and
 * across instances when the store is shared: allowances in time windows (quotas, rate limits), and
 * values that expire (which user each temporary SecretId was issued to, which user each job is,
 * signatures already forwarded). Every method is one atomic step for its key: checking an
 * allowance and taking a unit of it cannot be split, so a shared store never lets two instances
 * (or two requests at the same instant) both take the last unit of a quota, nor both forward one
 * signature.
 *
 * @example
 * ```ts
 * const store: RelayStore = memoryStore();
 * const taken = await store.take("submit:alice", 20, 86_400_000, Date.now());
 * ```
 */
export interface RelayStore {
  /**
   * Takes one unit of `key`'s allowance of `limit` in the fixed window of `windowMs` that holds
   * `now`, if one is left. Resolves to whether it was taken.
   */
  take(key: string, limit: number, windowMs: number, now: number): Promise<boolean>;
  /** Gives back one unit taken for `key` in the window that holds `takenAt` (never below none). */
  giveBack(key: string, windowMs: number, takenAt: number, now: number): Promise<void>;
  /** The units taken for `key` in the window that holds `now`. */
  count(key: string, windowMs: number, now: number): Promise<number>;
  /** Keeps `value` under `key` until `expiresAt` (ms) unless one is kept there already; resolves to whether this one was kept. */
  claim(key: string, value: string, expiresAt: number, now: number): Promise<boolean>;
  /** The value kept under `key`, if it has not expired. */
  get(key: string, now: number): Promise<string | undefined>;
}

/**
 * The relay's store cannot take new work: it has no room left for what it must not forget (a
 * quota, an issued credential's owner, a job's owner, a signature forwarded: nothing it holds is
 * thrown away to make room), or it failed to answer (a Durable Object). The relay and the
 * credentials handler refuse the request with 503, failing closed: nothing is forwarded or issued
 * without its record.
 *
 * @example
 * ```ts
 * const store = memoryStore({ maxEntries: 10_000 });
 * const taken = await store.take("export:alice", 5, 3_600_000, Date.now()).catch((error: unknown) => {
 *   if (error instanceof RelayStoreError) return false; // full: refuse the work rather than forget a record
 *   throw error;
 * });
 * ```
 */
export class RelayStoreError extends Error {
  override name = "RelayStoreError";
}

/**
 * The key of `key`'s count in the fixed window of `windowMs` that holds `at`, and when that window
 * ends: how every {@link RelayStore} (memoryStore, and @vclm/workers' Durable Object) keeps an
 * allowance.
 *
 * @example
 * ```ts
 * const { key, endsAt } = windowOf("submit:alice", 86_400_000, Date.now()); // "submit:alice@<day>", the next midnight UTC
 * ```
 */
export function windowOf(key: string, windowMs: number, at: number): { key: string; endsAt: number } {
  const index = Math.floor(at / windowMs);
  return { key: `${key}@${index}`, endsAt: (index + 1) * windowMs };
}

/**
 * A {@link RelayStore} in this process's memory: right for one server, or one Worker isolate in a
 * test. Bounded by `maxEntries`: expired entries are swept to make room, and when none can be, new
 * work is refused ({@link RelayStoreError}, which the relay answers with 503). No live entry is
 * ever evicted, so nobody can wipe a user's used-up quota, a replay record or an owner record by
 * filling the store. For many instances, share a store (a Durable Object on Workers).
 *
 * @example
 * ```ts
 * declare function userOfSession(request: Request): Promise<{ id: string } | undefined>; // your sign-in
 * const authorize: Authorize = (request) => userOfSession(request);
 * const relay = createRelay({ authorize, store: memoryStore({ maxEntries: 50_000 }) });
 * ```
 */
export function memoryStore({ maxEntries = 100_000 }: { maxEntries?: number } = {}): RelayStore {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  const live = (key: string, now: number) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now) entries.delete(key);
    return entry && entry.expiresAt > now ? entry : undefined;
  };
  const put = (key: string, value: string, expiresAt: number, now: number) => {
    if (!entries.has(key) && entries.size >= maxEntries) {
      for (const [old, entry] of entries) if (entry.expiresAt <= now) entries.delete(old);
      if (entries.size >= maxEntries)
        throw new RelayStoreError(`the relay's store holds ${maxEntries} live entries, its limit: new work waits until some expire`);
    }
    entries.set(key, { value, expiresAt });
  };
  const units = (key: string, now: number) => Number(live(key, now)?.value ?? 0);
  return {
    async take(key, limit, windowMs, now) {
      const window = windowOf(key, windowMs, now);
      const taken = units(window.key, now);
      if (taken >= limit) return false;
      put(window.key, String(taken + 1), window.endsAt, now);
      return true;
    },
    async giveBack(key, windowMs, takenAt, now) {
      const window = windowOf(key, windowMs, takenAt);
      const taken = units(window.key, now);
      if (taken > 0) put(window.key, String(taken - 1), window.endsAt, now);
    },
    async count(key, windowMs, now) {
      return units(windowOf(key, windowMs, now).key, now);
    },
    async claim(key, value, expiresAt, now) {
      if (live(key, now)) return false;
      put(key, value, expiresAt, now);
      return true;
    },
    async get(key, now) {
      return live(key, now)?.value;
    },
  };
}
