/**
 * Tencent Cloud API credentials: a permanent SecretId/SecretKey pair, or temporary (STS)
 * credentials that also carry a session token.
 *
 * @example
 * ```ts
 * const permanent: Credentials = { secretId: "AKID...", secretKey: "..." };
 * const { Credentials: tmp } = await (await fetch("/api/credentials", { method: "POST" })).json(); // STS's, from your backend
 * const temporary: Credentials = { secretId: tmp.TmpSecretId, secretKey: tmp.TmpSecretKey, token: tmp.Token };
 * ```
 */
export interface Credentials {
  /** The SecretId (or TmpSecretId). Printable ASCII without `/` or `,`. */
  readonly secretId: string;
  /** The SecretKey (or TmpSecretKey). Never appears in an error or in returned objects' JSON. */
  readonly secretKey: string;
  /** The STS session token of temporary credentials, sent as `X-TC-Token`. */
  readonly token?: string | undefined;
}

/**
 * A function that supplies credentials when a request is signed, for credentials that rotate.
 *
 * @example
 * ```ts
 * const provider: CredentialsProvider = async () => (await fetch("/api/credentials")).json();
 * ```
 */
export type CredentialsProvider = () => Credentials | Promise<Credentials>;

/** A request body the signer can hash. */
export type Body = string | Uint8Array | ArrayBuffer;

/**
 * The parts of an HTTP request that TC3-HMAC-SHA256 covers. The path is always `/`.
 *
 * @example
 * ```ts
 * const request: SignRequest = {
 *   host: "vclm.intl.tencentcloudapi.com",
 *   headers: {
 *     "Content-Type": "application/json",
 *     "X-TC-Action": "DescribeImageAnimateJob",
 *     "X-TC-Version": "2024-05-23",
 *     "X-TC-Region": "ap-singapore",
 *   },
 *   body: JSON.stringify({ JobId: "1194931538865782784" }),
 * };
 * ```
 */
export interface SignRequest {
  /** The HTTP method. @default "POST" */
  readonly method?: "POST" | "GET" | undefined;
  /** The host the request is signed for, e.g. `vclm.intl.tencentcloudapi.com`, even when it is sent through a relay. */
  readonly host: string;
  /** The form-urlencoded query of a GET request, without `?`, exactly as it will be sent. */
  readonly query?: string | undefined;
  /**
   * The headers that will be sent. `Content-Type` defaults to `application/json` for POST and
   * `application/x-www-form-urlencoded` for GET. Do not pass `Host`: give `host` instead.
   */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** The exact bytes that will be sent (a string is hashed as UTF-8). GET requests have none. */
  readonly body?: Body | undefined;
}

/**
 * How to sign.
 *
 * @example
 * ```ts
 * const options: SignOptions = {
 *   credentials: { secretId: "AKID...", secretKey: "..." },
 *   signedHeaders: ["X-TC-Action"],
 * };
 * ```
 */
export interface SignOptions {
  /** The credentials, or a function that supplies them for each request. */
  readonly credentials: Credentials | CredentialsProvider;
  /** The service in the credential scope. @default the first label of `host` */
  readonly service?: string | undefined;
  /** The signing time in unix seconds (an integer). @default the local clock plus `clockOffset` */
  readonly timestamp?: number | undefined;
  /** Seconds to add to the local clock, to correct a skew measured against the server. @default 0 */
  readonly clockOffset?: number | undefined;
  /** Names of further headers to sign besides `content-type` and `host`, e.g. `["X-TC-Action"]`. Each must be in `headers`. */
  readonly signedHeaders?: readonly string[] | undefined;
  /** Sign the literal `UNSIGNED-PAYLOAD` instead of the body's hash, and send `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`. @default false */
  readonly unsignedPayload?: boolean | undefined;
}

/**
 * The headers to send: the request's own plus `Authorization`, `X-TC-Timestamp`, and
 * `X-TC-Token` / `X-TC-Content-SHA256` where they apply. A plain object you can hand to `fetch`;
 * `JSON.stringify`, `String()` and `console.log` of it show `[redacted]` for the secret values.
 *
 * @example
 * ```ts
 * const host = "vclm.intl.tencentcloudapi.com";
 * const body = JSON.stringify({ JobId: "1194931538865782784" });
 * const request: SignRequest = { host, headers: { "X-TC-Action": "DescribeImageAnimateJob", "X-TC-Version": "2024-05-23", "X-TC-Region": "ap-singapore" }, body };
 * const headers: SignedHeaders = await sign(request, { credentials: { secretId: "AKID...", secretKey: "..." } });
 * await fetch(`https://${host}/`, { method: "POST", headers, body });
 * ```
 */
export type SignedHeaders = Record<string, string>;
