// A Durable Object's storage for the simulation: the data and the alarm that outlive every instance,
// and, per instance (a life of the object's process), the DurableStorageLike its code calls. Each
// call is one operation of that process. A write is stored the moment its operation is applied
// and the code continues only after: workerd may lose writes that had resolved, but then also
// drops every request sent after them (the output gate, see gates.ts) and commits writes in
// order, so what a real crash leaves (a prefix of the writes, nothing sent after the lost ones)
// is a state this model reaches too. Values are stored and read as structured clones.
import type { SimProcess } from "@vclm/tools/sim";
import type { DurableStorageLike } from "../../src/index.js";
import type { Gates } from "./gates.js";

export class SimDurableStorage {
  readonly data = new Map<string, unknown>();
  /** The alarm set, if any (what getAlarm answers). */
  alarm: number | null = null;
  /** True while an alarm handler runs: getAlarm answers null then, unless set again since it began. */
  firing = false;
  /** The alarm's failures in a row (Cloudflare gives up after 6 retries). */
  alarmFailures = 0;
  #setWhileFiring = false;
  readonly #watchers = new Set<() => void>();

  /** Resolves the next time the alarm is set (or cleared). */
  alarmChanged(): Promise<void> {
    return new Promise((resolve) => this.#watchers.add(resolve));
  }

  #setAlarm(at: number | null): void {
    this.alarm = at;
    if (this.firing) this.#setWhileFiring = true;
    for (const watcher of this.#watchers) watcher();
    this.#watchers.clear();
  }

  /** The platform fires the alarm: it is no longer set, unless the handler sets it again. */
  beginAlarm(): void {
    this.firing = true;
    this.#setWhileFiring = false;
    this.alarm = null;
  }

  /** The handler ended: on failure (a throw, a crash) the alarm is tried again by `retryAt` at the latest. */
  endAlarm(retryAt?: number): void {
    this.firing = false;
    if (retryAt !== undefined && (this.alarm === null || this.alarm > retryAt)) this.#setAlarm(retryAt);
  }

  /** The storage as one instance of the object calls it: each call an operation of `process`, through its gates. */
  for(process: SimProcess, gates: Gates): DurableStorageLike {
    const op = <T>(label: string, effect: () => T, write = false) => gates.storage(() => process.io(label, effect), { write });
    return {
      get: <T>(key: string) => op(`storage.get ${key}`, () => structuredClone(this.data.get(key)) as T | undefined),
      put: (key, value) => op(`storage.put ${key}`, () => void this.data.set(key, structuredClone(value)), true),
      delete: (key) => op(`storage.delete ${key}`, () => this.data.delete(key), true),
      list: <T>({ prefix = "", limit = Number.POSITIVE_INFINITY }: { prefix?: string; limit?: number } = {}) =>
        op(`storage.list ${prefix}`, () => {
          const keys = [...this.data.keys()].filter((key) => key.startsWith(prefix)).sort();
          return new Map(keys.slice(0, limit).map((key) => [key, structuredClone(this.data.get(key)) as T]));
        }),
      getAlarm: () => op("storage.getAlarm", () => (this.firing && !this.#setWhileFiring ? null : this.alarm)),
      setAlarm: (at) => op(`storage.setAlarm`, () => this.#setAlarm(at), true),
    };
  }
}
