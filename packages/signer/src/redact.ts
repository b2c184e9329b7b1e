import type { SignedHeaders } from "./types.js";

const SECRET_HEADER = /^(authorization|x-tc-token)$/i;

// The hooks live on a prototype: own keys must be header names only, since undici's Headers
// (Node 20) throws on any own symbol key, enumerable or not. Class methods are non-enumerable,
// so `for...in`, spreads and fetch still see just the headers.
class Redacted {
  [name: string]: unknown;
  toJSON(): SignedHeaders {
    const shown: SignedHeaders = {};
    for (const name in this) shown[name] = SECRET_HEADER.test(name) ? "[redacted]" : (this[name] as string);
    return shown;
  }
  toString(): string {
    return JSON.stringify(this);
  }
  // Node's console and util.inspect; Deno's console honours the same symbol.
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return JSON.stringify(this);
  }
}

/** An empty header record whose `JSON.stringify`, `String()` and console output show `[redacted]` for secret values. */
export const redactedHeaders = (): SignedHeaders => new Redacted() as SignedHeaders;
