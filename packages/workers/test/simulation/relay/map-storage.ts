// A Durable Object's storage as a Map: durable (a relay crash leaves it as it was) and read directly
// by the checks. Each call is in-memory: a store operation runs alone inside one simulated call,
// as the object's input gate makes it run.
import type { DurableStorageLike } from "../../../src/index.js";

export function mapStorage(): DurableStorageLike & { readonly data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  let alarm: number | null = null;
  return {
    data,
    get: async <T>(key: string) => structuredClone(data.get(key)) as T | undefined,
    put: async (key, value) => void data.set(key, structuredClone(value)),
    delete: async (key) => data.delete(key),
    list: async <T>({ prefix = "" } = {}) => new Map([...data].filter(([key]) => key.startsWith(prefix))) as Map<string, T>,
    getAlarm: async () => alarm,
    setAlarm: async (at) => {
      alarm = at;
    },
  };
}
