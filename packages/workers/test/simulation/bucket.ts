// An R2 bucket for the simulation: the objects, and per instance of the Durable Object the
// R2BucketLike its code calls, each call one operation of its process (through its gates). A put
// is applied whole or not at all: a stream is read to its end inside the operation, and one that
// errors (a download cut short, a FixedLengthStream that saw too few bytes) stores nothing. With
// `faults`, a call answers an error, having been applied or not.
import type { SimProcess } from "@vclm/tools/sim";
import type { R2BucketLike, R2ObjectLike } from "../../src/index.js";
import type { Gates } from "./gates.js";

export interface StoredObject {
  readonly bytes: Uint8Array;
  readonly contentType: string | undefined;
}

export type R2Call = "put" | "head" | "get" | "delete";

export class SimBucket {
  readonly objects = new Map<string, StoredObject>();
  /** Calls that failed on purpose, per kind. */
  readonly failed = { put: 0, head: 0, get: 0, delete: 0 };

  /** The bucket as one instance calls it; `faults(call, key)` is the chance that a call fails. */
  for(process: SimProcess, gates: Gates, faults: (call: R2Call, key: string) => number = () => 0): R2BucketLike {
    const random = process.simulation.random;
    const op = <T>(kind: R2Call, key: string, effect: () => T | Promise<T>) =>
      gates.outgoing(() =>
        process.io(`r2.${kind} ${key}`, async () => {
          if (!random.chance(faults(kind, key))) return effect();
          this.failed[kind]++;
          // R2 answers an error, having done the call or not.
          const applied = random.chance(0.5);
          if (applied) await effect();
          throw new Error(`simulated R2 failure: ${kind} ${key} (${applied ? "applied" : "not applied"})`);
        }),
      );
    return {
      put: (key, value, options) =>
        op("put", key, async () => {
          const bytes = value instanceof Uint8Array ? value.slice() : new Uint8Array(await new Response(value).arrayBuffer());
          this.objects.set(key, { bytes, contentType: options?.httpMetadata?.contentType });
          return { key, size: bytes.length };
        }),
      head: (key) => op("head", key, () => (this.objects.has(key) ? { size: (this.objects.get(key) as StoredObject).bytes.length } : null)),
      get: (key) =>
        op("get", key, (): R2ObjectLike | null => {
          const object = this.objects.get(key);
          if (!object) return null;
          return {
            body: new Response(object.bytes.slice()).body as ReadableStream<Uint8Array>,
            size: object.bytes.length,
            ...(object.contentType && { httpMetadata: { contentType: object.contentType } }),
          };
        }),
      delete: (key) => op("delete", key, () => void this.objects.delete(key)),
    };
  }
}
