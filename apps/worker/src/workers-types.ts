// The few Workers types used here (see @cloudflare/workers-types for the whole set).
export interface DurableObjectNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(input: string, init?: RequestInit): Promise<Response> };
}
export interface DurableObjectState {
  storage: {
    get<T>(key: string): Promise<T | undefined>;
    put(key: string, value: unknown): Promise<void>;
    setAlarm(at: number): Promise<void>;
  };
}
export interface R2Object {
  readonly body: ReadableStream<Uint8Array>;
  readonly size: number;
  readonly range?: { offset?: number; length?: number };
  readonly httpMetadata?: { contentType?: string };
}
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
