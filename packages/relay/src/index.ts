/**
 * The browser's way to VCLM, safe by default: a credentials handler that gives signed-in users
 * short-lived, VCLM-only temporary credentials, and a same-origin relay that forwards their signed
 * requests (the API sends no CORS headers) only for the user they were issued to, within quotas,
 * never twice. Both are plain fetch handlers (Workers, Deno, Bun, Node) and hold no secret but the
 * STS client you give the credentials handler.
 *
 * @example
 * ```ts
 * import { VclmClient } from "@vclm/core";
 * import { STS } from "@vclm/core/sts";
 * import { type Authorize, createCredentialsHandler, createRelay, memoryStore } from "@vclm/relay";
 *
 * declare function userOfSession(request: Request): Promise<{ id: string } | undefined>; // your sign-in
 * const authorize: Authorize = (request) => userOfSession(request);
 * const sts = new VclmClient({ region: "ap-singapore", endpoint: STS.intlEndpoint }); // your permanent key: from the environment
 * const store = memoryStore();
 * const credentials = createCredentialsHandler({ authorize, sts, store, bindTo: "203.0.113.7/32" });
 * const relay = createRelay({ authorize, store });
 * ```
 *
 * @packageDocumentation
 */
export { type Authorize, anyoneMaySpendMyMoney, type RelayUser } from "./authorize.js";
export type { RelayRequestInfo, TrustProxy } from "./client-address.js";
export { type CredentialsHandlerOptions, createCredentialsHandler } from "./credentials-handler.js";
export type { RelayObserveOptions } from "./observed.js";
export { createRelay, type RelayOptions, submitsLeft } from "./relay.js";
export { memoryStore, type RelayStore, RelayStoreError, windowOf } from "./store.js";
export { vclmPolicy } from "./vclm-policy.js";
