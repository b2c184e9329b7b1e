// The few Workers types used here, as the parts of the real bindings this package calls (see
// @cloudflare/workers-types for the whole set; test/workers-types.test.ts checks the real ones fit).

/**
 * The part of a Durable Object's storage (`state.storage`) this package uses: the
 * {@link Coordinator}, the {@link RelayStoreObject} and {@link durableObjectJournal} all keep their
 * state through it. A real `DurableObjectStorage` fits it.
 *
 * @example
 * ```ts
 * declare const state: { storage: DurableStorageLike }; // a Durable Object's state, as workerd gives it to its constructor
 * const journal = await durableObjectJournal(state.storage);
 * ```
 */
export interface DurableStorageLike {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<boolean>;
  list<T>(options?: { prefix?: string; limit?: number }): Promise<Map<string, T>>;
  getAlarm(): Promise<number | null>;
  setAlarm(at: number): Promise<void>;
}

/**
 * The part of a Durable Object namespace binding {@link durableObjectStore} uses: a Worker's
 * `env.RELAY_STORE` fits it.
 *
 * @example
 * ```ts
 * interface Env { RELAY_STORE: DurableObjectNamespaceLike }
 * ```
 */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

/**
 * An object read from R2: the part of R2's `R2ObjectBody` this package uses.
 *
 * @example
 * ```ts
 * const serve = (object: R2ObjectLike) => new Response(object.body, { headers: { "Content-Length": String(object.size) } });
 * ```
 */
export interface R2ObjectLike {
  readonly body: ReadableStream<Uint8Array>;
  readonly size: number;
  /** The part read, as R2 answers a `Range` (a suffix range, from the end, has `suffix` instead). */
  readonly range?: { offset?: number; length?: number; suffix?: number };
  readonly httpMetadata?: { contentType?: string };
}

/**
 * An R2 bucket binding: the part of R2's `R2Bucket` this package uses (a Worker's `env.BUCKET`
 * fits it).
 *
 * @example
 * ```ts
 * interface Env { BUCKET: R2BucketLike }
 * ```
 */
export interface R2BucketLike {
  put(key: string, value: ReadableStream | Uint8Array, options?: { httpMetadata?: { contentType?: string } }): Promise<unknown>;
  get(key: string, options?: { range?: Headers }): Promise<R2ObjectLike | null>;
  head(key: string): Promise<{ size: number } | null>;
  delete(key: string): Promise<void>;
}

/** A stream of exactly `length` bytes: what lets R2 take a body whose length is known but not buffered. */
export declare class FixedLengthStream extends TransformStream<Uint8Array, Uint8Array> {
  constructor(length: number);
}
