import * as v from "valibot";

/**
 * Temporary credentials as STS answers them (valibot): what `GetFederationToken`, `AssumeRole` and
 * `AssumeRoleWithWebIdentity` answer, what a credentials handler (`@vclm/relay`) hands a browser,
 * and what `fromEndpoint` reads. `ExpiredTime` is in unix seconds; `Expiration` is the same moment
 * in ISO 8601.
 *
 * @example
 * ```ts
 * const ExpiredTime = Math.floor(Date.now() / 1000) + 1800; // in 30 minutes, in seconds
 * const answer: v.InferOutput<typeof StsCredentials> = {
 *   Credentials: { Token: "...", TmpSecretId: "AKID...", TmpSecretKey: "..." },
 *   ExpiredTime,
 *   Expiration: new Date(ExpiredTime * 1000).toISOString(),
 * };
 * ```
 */
export const StsCredentials = v.object({
  Credentials: v.object({ Token: v.string(), TmpSecretId: v.string(), TmpSecretKey: v.string() }),
  ExpiredTime: v.number(),
  Expiration: v.optional(v.string()),
});

/**
 * The schema of an STS answer's `Response` that carries credentials (valibot): {@link StsCredentials}
 * and the `RequestId`.
 *
 * @example
 * ```ts
 * type Answer = v.InferOutput<typeof StsAnswer>;
 * ```
 */
export const StsAnswer = v.object({ ...StsCredentials.entries, RequestId: v.string() });
