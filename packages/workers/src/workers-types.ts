// The few Workers types used here (see @cloudflare/workers-types for the whole set).

/**
 * An object read from R2: the part of R2's `R2ObjectBody` this package uses.
 *
 * @example
 * ```ts
 * const serve = (object: R2Object) => new Response(object.body, { headers: { "Content-Length": String(object.size) } });
 * ```
 */
export interface R2Object {
  readonly body: ReadableStream<Uint8Array>;
  readonly size: number;
  readonly range?: { offset?: number; length?: number };
  readonly httpMetadata?: { contentType?: string };
}
/**
 * An R2 bucket binding: the part of R2's `R2Bucket` this package uses (a Worker's `env.BUCKET`
 * fits it).
 *
 * @example
 * ```ts
 * interface Env { BUCKET: R2Bucket }
 * ```
 */
export interface R2Bucket {
  put(key: string, value: ReadableStream | Uint8Array, options?: { httpMetadata?: { contentType?: string } }): Promise<unknown>;
  get(key: string, options?: { range?: Headers }): Promise<R2Object | null>;
  head(key: string): Promise<{ size: number } | null>;
  delete(key: string): Promise<void>;
}
/** A stream of exactly `length` bytes: what lets R2 take a body whose length is known but not buffered. */
export declare class FixedLengthStream extends TransformStream<Uint8Array, Uint8Array> {
  constructor(length: number);
}
