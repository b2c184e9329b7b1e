import type { Credentials, CredentialsProvider } from "@vclm/signer";
import type { Observer } from "../observe/observer.js";
import type { VclmSpan } from "../observe/types.js";
import type { Operation } from "../operation.js";

/**
 * The HTTP request a call becomes. Middleware in the serialize phase fills `body`, the sign phase
 * adds the signature headers, the transport phase sends it.
 *
 * @example
 * ```ts
 * const logRequest: Middleware = async (context, next) => {
 *   console.log(context.request.url, context.request.headers["X-TC-Action"]);
 *   await next();
 * };
 * ```
 */
export interface HttpRequest {
  url: string;
  headers: Record<string, string>;
  /**
   * The body: a string, or bytes for a large one (a Submit's photo), made once and sent as they
   * are. (On Node, Submit's `streamLargeBody` hands `fetchTransport` a stream of views of large
   * bytes in their place, for the attempt only.)
   */
  body: string | Uint8Array<ArrayBuffer>;
}

/**
 * The HTTP answer, as the transport phase received it.
 *
 * @example
 * ```ts
 * const logStatus: Middleware = async (context, next) => {
 *   await next();
 *   console.log(context.response?.status);
 * };
 * ```
 */
export interface HttpResponse {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * What every call's middleware share: the client's settings, and the state of this call.
 *
 * @example
 * ```ts
 * const stamp: Middleware = async (context, next) => {
 *   context.request.headers["X-TC-TraceId"] = crypto.randomUUID();
 *   await next();
 * };
 * ```
 */
export interface Context {
  /** The action being called. */
  readonly operation: Operation;
  /** The client's settings (shared by all its calls). */
  readonly client: ClientState;
  /** The caller's input; after the validate phase, the schema's parsed output. */
  input: unknown;
  /** The request; built at initialize, its body set at serialize, signed at sign. */
  request: HttpRequest;
  /** The answer, once the transport phase has one. */
  response?: HttpResponse | undefined;
  /** The parsed output, once the deserialize phase has one; what the call resolves to. */
  output?: unknown;
  /** The caller's signal: middleware that waits should stop when it aborts. */
  readonly signal: AbortSignal | undefined;
  /** Milliseconds one attempt may take before it fails with a timeout. */
  timeout: number;
  /** Whether to check an `ImageBase64` photo before submitting it. */
  preflight: boolean;
  /** Room for plugins to keep per-call state, by their own keys. */
  readonly state: Record<string, unknown>;
  /** The span the call is part of, when its caller gave one (`CallOptions.parent`). */
  readonly parent?: VclmSpan | undefined;
}

/**
 * A client's settings as middleware see them. `clockOffset` may be changed (the retry plugin
 * corrects clock skew with it); the rest is fixed when the client is made.
 *
 * @example
 * ```ts
 * const skewAware: Middleware = async (context, next) => {
 *   console.log(`signing ${context.client.clockOffset} s off the local clock`);
 *   await next();
 * };
 * ```
 */
export interface ClientState {
  readonly region: string;
  /** The URL requests are sent to. */
  readonly endpoint: string;
  /** The host name requests are signed for. */
  readonly signingHost: string;
  readonly language: "zh-CN" | "en-US" | undefined;
  readonly requestClient: string;
  readonly credentials: Credentials | CredentialsProvider;
  readonly fetch: typeof fetch;
  /** Seconds added to the local clock when signing. */
  clockOffset: number;
  /** What the client is watched with, once `observe` is used: the vclm packages report through it. */
  observer?: Observer | undefined;
}
