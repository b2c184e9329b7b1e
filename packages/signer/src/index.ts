/**
 * TC3-HMAC-SHA256 request signing for Tencent Cloud APIs, on Web Crypto: the same code in
 * browsers, Cloudflare Workers, Deno, Bun and Node (where a `node:crypto` build is picked
 * automatically).
 *
 * @example
 * ```ts run
 * import { sign } from "@vclm/signer";
 *
 * const JobId = process.argv[2]; // node describe.js <JobId>: the id a SubmitImageAnimateJob answered
 * if (!JobId) throw new Error("usage: node describe.js <JobId>");
 * const body = JSON.stringify({ JobId });
 * const headers = await sign(
 *   {
 *     host: "vclm.intl.tencentcloudapi.com",
 *     headers: { "X-TC-Action": "DescribeImageAnimateJob", "X-TC-Version": "2024-05-23", "X-TC-Region": "ap-singapore" },
 *     body,
 *   },
 *   { credentials: { secretId: "AKID...", secretKey: "..." }, signedHeaders: ["X-TC-Action"] },
 * );
 * const { Response } = await (await fetch("https://vclm.intl.tencentcloudapi.com/", { method: "POST", headers, body })).json();
 * console.log(Response.Status); // WAIT, RUN, DONE or FAIL
 * ```
 *
 * @packageDocumentation
 */
import { webCrypto } from "./crypto.web.js";
import { type Sign, signWith } from "./sign-with.js";

export { SignerError } from "./errors.js";
export type { Sign } from "./sign-with.js";
export type { Body, Credentials, CredentialsProvider, SignedHeaders, SignOptions, SignRequest } from "./types.js";

/**
 * Signs a request per TC3-HMAC-SHA256 and returns the headers to send: the request's own plus
 * `Authorization`, `X-TC-Timestamp`, and `X-TC-Token` for temporary credentials. Rejects with a
 * {@link SignerError} naming the input when something cannot be signed correctly.
 *
 * @example
 * ```ts
 * const { Credentials } = await (await fetch("/api/credentials", { method: "POST" })).json(); // temporary ones, from your backend
 * const credentials = { secretId: Credentials.TmpSecretId, secretKey: Credentials.TmpSecretKey, token: Credentials.Token };
 * const body = JSON.stringify({ JobId: "1194931538865782784" });
 * const headers = await sign(
 *   {
 *     host: "vclm.intl.tencentcloudapi.com",
 *     headers: { "X-TC-Action": "DescribeImageAnimateJob", "X-TC-Version": "2024-05-23", "X-TC-Region": "ap-singapore" },
 *     body,
 *   },
 *   { credentials, signedHeaders: ["X-TC-Action"] },
 * );
 * ```
 */
export const sign: Sign = signWith(webCrypto);
