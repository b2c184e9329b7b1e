// The relay's store on Workers: one Durable Object holds every quota, owner record and seen
// signature of a relay and its credentials handler, for all of the Worker's instances.
import { type RelayStore, RelayStoreError, windowOf } from "@vclm/relay";
import type { DurableObjectNamespaceLike, DurableStorageLike } from "./workers-types.js";

interface Entry {
  value: string;
  expiresAt: number;
}
type Call =
  | { op: "take"; key: string; limit: number; windowMs: number; now: number }
  | { op: "giveBack"; key: string; windowMs: number; takenAt: number; now: number }
  | { op: "count"; key: string; windowMs: number; now: number }
  | { op: "claim"; key: string; value: string; expiresAt: number; now: number }
  | { op: "get"; key: string; now: number };

const HOUR = 3_600_000;

/**
 * A Durable Object that keeps a `RelayStore` (@vclm/relay) for every instance of a Worker: one object, so
 * each operation runs alone, and a quota or a seen signature holds across all instances and
 * restarts. Expired entries are swept by its alarm. Export it from your Worker and bind it
 * (`[[durable_objects.bindings]] name = "RELAY_STORE", class_name = "RelayStoreObject"`), then use
 * {@link durableObjectStore}.
 *
 * @example
 * ```ts
 * export { RelayStoreObject } from "@vclm/workers";
 * ```
 */
export class RelayStoreObject {
  readonly #storage: DurableStorageLike;

  constructor(state: { storage: DurableStorageLike }) {
    this.#storage = state.storage;
  }

  /**
   * Runs one store operation sent by {@link durableObjectStore}, alone: the object's input gate
   * holds every other request while this one waits on storage, so a check and its update are one step.
   */
  async fetch(request: Request): Promise<Response> {
    const call = (await request.json()) as Call;
    return Response.json({ result: await this.#run(call) });
  }

  /** Sweeps expired entries, and comes back while any are left. */
  async alarm(): Promise<void> {
    const now = Date.now();
    let left = 0;
    for (const [key, entry] of await this.#storage.list<Entry>()) {
      if (entry.expiresAt <= now) await this.#storage.delete(key);
      else left++;
    }
    if (left) await this.#storage.setAlarm(now + HOUR);
  }

  async #live(key: string, now: number): Promise<Entry | undefined> {
    const entry = await this.#storage.get<Entry>(key);
    return entry && entry.expiresAt > now ? entry : undefined;
  }

  async #put(key: string, entry: Entry): Promise<void> {
    await this.#storage.put(key, entry);
    if ((await this.#storage.getAlarm()) === null) await this.#storage.setAlarm(Date.now() + HOUR);
  }

  async #units(key: string, now: number): Promise<number> {
    return Number((await this.#live(key, now))?.value ?? 0);
  }

  async #run(call: Call): Promise<number | boolean | string | undefined | null> {
    switch (call.op) {
      case "take": {
        const window = windowOf(call.key, call.windowMs, call.now);
        const taken = await this.#units(window.key, call.now);
        if (taken >= call.limit) return false;
        await this.#put(window.key, { value: String(taken + 1), expiresAt: window.endsAt });
        return true;
      }
      case "giveBack": {
        const window = windowOf(call.key, call.windowMs, call.takenAt);
        const taken = await this.#units(window.key, call.now);
        if (taken > 0) await this.#put(window.key, { value: String(taken - 1), expiresAt: window.endsAt });
        return null;
      }
      case "count":
        return this.#units(windowOf(call.key, call.windowMs, call.now).key, call.now);
      case "claim":
        if (await this.#live(call.key, call.now)) return false;
        await this.#put(call.key, { value: call.value, expiresAt: call.expiresAt });
        return true;
      case "get":
        return (await this.#live(call.key, call.now))?.value;
    }
  }
}

/**
 * A `RelayStore` (@vclm/relay) kept by a {@link RelayStoreObject}: what a relay and a credentials handler
 * on Workers share, across every instance of the Worker.
 *
 * @example
 * ```ts
 * declare const env: { RELAY_STORE: DurableObjectNamespaceLike }; // the Worker's binding
 * declare function userOfSession(request: Request): Promise<{ id: string } | undefined>; // your sign-in
 * const authorize: Authorize = (request) => userOfSession(request);
 * const store = durableObjectStore(env.RELAY_STORE);
 * const relay = createRelay({ authorize, store });
 * ```
 */
export function durableObjectStore(namespace: DurableObjectNamespaceLike, name = "relay-store"): RelayStore {
  const stub = namespace.get(namespace.idFromName(name));
  const call = async <T>(body: Call): Promise<T> => {
    const answer = await stub.fetch("https://relay-store/", { method: "POST", body: JSON.stringify(body) }).catch((error: Error) => {
      throw new RelayStoreError(`the relay's store (a Durable Object) did not answer: ${error.message}`);
    });
    if (!answer.ok) throw new RelayStoreError(`the relay's store (a Durable Object) answered HTTP ${answer.status}`);
    return ((await answer.json()) as { result: T }).result;
  };
  return {
    take: (key, limit, windowMs, now) => call({ op: "take", key, limit, windowMs, now }),
    giveBack: async (key, windowMs, takenAt, now) => void (await call({ op: "giveBack", key, windowMs, takenAt, now })),
    count: (key, windowMs, now) => call({ op: "count", key, windowMs, now }),
    claim: (key, value, expiresAt, now) => call({ op: "claim", key, value, expiresAt, now }),
    get: async (key, now) => (await call<string | null>({ op: "get", key, now })) ?? undefined,
  };
}
