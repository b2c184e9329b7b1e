/**
 * Where a relay and its credentials handler keep what they must remember across requests, and
 * across instances when the store is shared: counts in time windows (rate limits, quotas), and
 * values that expire (which user each temporary SecretId was issued to, signatures already
 * forwarded). Every method is atomic for its key, so a shared store never lets two instances both
 * take the last unit of a quota or both forward one signature.
 *
 * @example
 * ```ts
 * const store: RelayStore = memoryStore();
 * const count = await store.hit("submit:alice", 3_600_000, Date.now());
 * ```
 */
export interface RelayStore {
  /** Counts one more for `key` in the fixed window of `windowMs` that holds `now`; resolves to the count, this one included. */
  hit(key: string, windowMs: number, now: number): Promise<number>;
  /** The count for `key` in the window that holds `now`, without adding to it. */
  count(key: string, windowMs: number, now: number): Promise<number>;
  /** Keeps `value` under `key` until `expiresAt` (ms) unless one is kept there already; resolves to whether this one was kept. */
  claim(key: string, value: string, expiresAt: number, now: number): Promise<boolean>;
  /** The value kept under `key`, if it has not expired. */
  get(key: string, now: number): Promise<string | undefined>;
}

/**
 * A {@link RelayStore} in this process's memory: right for one server, or one Worker isolate in a
 * test. Bounded: past `maxEntries`, the entries closest to expiry go first. For many instances,
 * share a store (a Durable Object on Workers).
 *
 * @example
 * ```ts
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
    entries.delete(key);
    entries.set(key, { value, expiresAt });
    if (entries.size > maxEntries) {
      for (const [old, entry] of entries) if (entry.expiresAt <= now) entries.delete(old);
      // Still full: the least recently written go first (a Map keeps insertion order).
      for (const old of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(old);
      }
    }
  };
  const windowKey = (key: string, windowMs: number, now: number) => `${key}@${Math.floor(now / windowMs)}`;
  return {
    async hit(key, windowMs, now) {
      const at = windowKey(key, windowMs, now);
      const count = Number(live(at, now)?.value ?? 0) + 1;
      put(at, String(count), (Math.floor(now / windowMs) + 1) * windowMs, now);
      return count;
    },
    async count(key, windowMs, now) {
      return Number(live(windowKey(key, windowMs, now), now)?.value ?? 0);
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
