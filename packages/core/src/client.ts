import type { Credentials, CredentialsProvider } from "@vclm/signer";
import * as v from "valibot";
import { clientDefaultCredentials } from "#client-default";
import { VCLM_HOST } from "./api.js";
import { VclmValidationError } from "./errors/validation-error.js";
import { defaultStack } from "./middleware/defaults.js";
import { issuesOf } from "./middleware/validate-input.js";
import type { VclmSpan } from "./observe/types.js";
import type { InputOf, Operation, OutputOf } from "./operation.js";
import type { ClientState, Context } from "./pipeline/context.js";
import type { MiddlewareStack } from "./pipeline/stack.js";

/**
 * How to make a {@link VclmClient}.
 *
 * @example
 * ```ts
 * const options: VclmClientOptions = { region: "ap-singapore", credentials: fromEnv(), timeout: 10_000 };
 * ```
 */
export interface VclmClientOptions {
  /** The region, sent as `X-TC-Region`, e.g. `ap-singapore`. */
  readonly region: string;
  /**
   * Credentials, or a function that supplies them (see `fromEnv`, `fromEndpoint`, `cacheCredentials`).
   * @default fromEnv(): TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, TENCENTCLOUD_SESSION_TOKEN
   */
  readonly credentials?: Credentials | CredentialsProvider | undefined;
  /**
   * Where requests go: the service, a local emulator, or a relay. In a browser, a path such as
   * `/vclm-relay` means a relay on the page's own origin, and requests are then signed for the
   * service's host.
   * @default "https://vclm.intl.tencentcloudapi.com/"
   */
  readonly endpoint?: string | URL | undefined;
  /**
   * The host requests are signed for. Set it when `endpoint` is an absolute URL of a relay that
   * forwards the signed request unchanged, e.g. `vclm.intl.tencentcloudapi.com`.
   * @default the endpoint's host name; `vclm.intl.tencentcloudapi.com` for a same-origin path
   */
  readonly signingHost?: string | undefined;
  /** The language of the service's messages, sent as `X-TC-Language`. @default the service's own */
  readonly language?: "zh-CN" | "en-US" | undefined;
  /**
   * The fetch to send requests with. On Node, a Submit's body over 1 MB reaches it as a
   * `ReadableStream` with its `Content-Length` header and `duplex: "half"`, as Node's own fetch takes
   * it (saving a 13 MB copy); a fetch of your own must take that too.
   * @default globalThis.fetch
   */
  readonly fetch?: typeof fetch | undefined;
  /** Milliseconds one attempt may take; `0` for none. @default 60_000 (a Submit may upload 13 MB) */
  readonly timeout?: number | undefined;
  /** Names your app in `X-TC-RequestClient`: `[0-9a-zA-Z-_,;.]`, at most 128 characters. @default "vclm-js" */
  readonly requestClient?: string | undefined;
  /** Check an `ImageBase64` photo before submitting it, as the service would. @default true */
  readonly preflight?: boolean | undefined;
}

/**
 * Options for one call.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * const JobId = "7532277463506747392"; // from a SubmitImageAnimateJob answer
 * await client.send(DescribeImageAnimateJob, { JobId }, { signal: AbortSignal.timeout(30_000), timeout: 5_000 });
 * ```
 */
export interface CallOptions {
  /** Abort the call: it rejects with the signal's reason (an `AbortError` by default). */
  readonly signal?: AbortSignal | undefined;
  /** Milliseconds one attempt may take; `0` for none. @default the client's `timeout` */
  readonly timeout?: number | undefined;
  /** Check an `ImageBase64` photo before submitting it. @default the client's `preflight` */
  readonly preflight?: boolean | undefined;
  /** The span this call is part of (with `observe`): its span is a child of it. @default the tracer's active span */
  readonly parent?: VclmSpan | undefined;
}

/**
 * Something that extends a client, usually by adding middleware to its stack.
 *
 * @example
 * ```ts
 * const traceIds: Plugin = (client) =>
 *   client.middleware.add(async (context, next) => {
 *     context.request.headers["X-TC-TraceId"] = crypto.randomUUID();
 *     await next();
 *   }, { name: "traceId", phase: "serialize", after: "serializeJson" });
 * const client = new VclmClient({ region: "ap-singapore" }).use(traceIds);
 * ```
 */
export type Plugin = (client: VclmClient) => void;

const SERVICE_HOST = VCLM_HOST;
const DEFAULT_ENDPOINT = `https://${SERVICE_HOST}/`;

// An absolute http(s) URL, or, where there is a page to resolve it against, a path on its origin.
const isEndpoint = (value: string): boolean => {
  if (value.startsWith("/")) return typeof globalThis.location?.href === "string";
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
};

const optionsSchema = v.strictObject({
  region: v.pipe(v.string("region must look like ap-singapore"), v.regex(/^[a-z]+(-[a-z0-9]+)+$/, "region must look like ap-singapore")),
  // Their fields are checked, each named, by the signer.
  credentials: v.optional(v.custom((value) => value instanceof Object, "credentials must be an object or a function")),
  endpoint: v.optional(
    v.pipe(v.string(), v.check(isEndpoint, "endpoint must be an absolute http(s) URL, or in a browser a path such as /vclm-relay")),
  ),
  signingHost: v.optional(v.pipe(v.string(), v.regex(/^[\w.-]+$/, "signingHost must be a host name without a scheme, port or path"))),
  language: v.optional(v.picklist(["zh-CN", "en-US"], "language must be zh-CN or en-US")),
  fetch: v.optional(v.custom((value) => typeof value === "function", "fetch must be a function")),
  timeout: v.optional(v.pipe(v.number(), v.minValue(0, "timeout must be 0 (none) or more milliseconds"))),
  requestClient: v.optional(v.pipe(v.string(), v.regex(/^[\w\-,;.]{1,128}$/, "requestClient must be 1 to 128 of [0-9a-zA-Z-_,;.]"))),
  preflight: v.optional(v.custom((value) => typeof value === "boolean", "preflight must be true or false")),
});

/**
 * The VCLM image-animation client. Call an operation with {@link VclmClient.send}; every call flows
 * through {@link VclmClient.middleware}: validate, serialize, sign, send, parse, each a named
 * middleware that plugins can add to, remove or replace. Operations are imported, not methods, so a
 * bundle carries only the operations it calls.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 * import { DescribeImageAnimateJob, SubmitImageAnimateJob, VclmClient, photoToBase64 } from "@vclm/core";
 *
 * const client = new VclmClient({ region: "ap-singapore" }); // credentials from TENCENTCLOUD_* variables
 * const photo = await readFile("dancer.jpg");
 * const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64: await photoToBase64(photo) });
 * const { Status, ResultVideoUrl } = await client.send(DescribeImageAnimateJob, { JobId });
 * ```
 */
export class VclmClient {
  /** This client's pipeline. Change it directly or through {@link VclmClient.use}. */
  readonly middleware: MiddlewareStack = defaultStack();
  /** The client's settings as middleware see them; `clockOffset` (seconds) may be corrected. */
  readonly state: ClientState;
  readonly #timeout: number;
  readonly #preflight: boolean;

  constructor(options: VclmClientOptions) {
    const checked = v.safeParse(optionsSchema, {
      ...options,
      endpoint: options.endpoint === undefined ? undefined : String(options.endpoint),
    });
    if (!checked.success) throw new VclmValidationError("VclmClient options", issuesOf(checked.issues, optionsSchema, "option"));
    const {
      region,
      endpoint: given = DEFAULT_ENDPOINT,
      signingHost,
      language,
      requestClient = "vclm-js",
      timeout = 60_000,
    } = checked.output;
    const relative = given.startsWith("/");
    // The base counts only for a path: isEndpoint let a path through only where there is a page.
    const endpoint = new URL(given, globalThis.location?.href);
    const fetcher = options.fetch ?? globalThis.fetch;
    this.state = {
      region,
      endpoint: endpoint.href,
      // A same-origin path is a relay, never the service: sign for the service's host.
      signingHost: signingHost ?? (relative ? SERVICE_HOST : endpoint.hostname),
      language,
      requestClient,
      credentials: options.credentials ?? clientDefaultCredentials(),
      // Called as a plain function: some fetches must not be called as a method of another object.
      fetch: (input, init) => fetcher(input, init),
      clockOffset: 0,
    };
    this.#timeout = timeout;
    this.#preflight = options.preflight ?? true;
  }

  /**
   * Applies a plugin to this client; returns the client, so calls chain.
   *
   * @example
   * ```ts
   * const client = new VclmClient({ region: "ap-singapore" }).use(retry());
   * ```
   */
  use(plugin: Plugin): this {
    plugin(this);
    return this;
  }

  /**
   * Calls an operation through the pipeline and resolves to its answer, typed by the operation.
   * Rejects with a {@link VclmValidationError} before sending when the input is bad, a
   * `VclmPhotoError` when a submitted photo would be refused, a `VclmServiceError` for the
   * service's errors, and `VclmResponseError`, `VclmNetworkError`, `VclmTimeoutError` or the
   * signal's reason for the rest.
   *
   * @example
   * ```ts
   * const client = new VclmClient({ region: "ap-singapore" });
   * const answer = await client.send(DescribeImageAnimateJob, { JobId: "7532277463506747392" }, { timeout: 5_000 });
   * ```
   */
  async send<Op extends Operation>(operation: Op, input: InputOf<Op>, options: CallOptions = {}): Promise<OutputOf<Op>> {
    options.signal?.throwIfAborted();
    const context: Context = {
      operation,
      client: this.state,
      input,
      request: { url: this.state.endpoint, headers: {}, body: "" },
      signal: options.signal,
      timeout: options.timeout ?? this.#timeout,
      preflight: options.preflight ?? this.#preflight,
      state: {},
      parent: options.parent,
    };
    await this.middleware.run(context);
    return context.output as OutputOf<Op>;
  }
}
