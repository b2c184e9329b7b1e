import type { Credentials, CredentialsProvider } from "@vclm/signer";
import { VclmValidationError } from "../errors/validation-error.js";
import { type EnvRecord, readEnv } from "../runtime/env.js";

/**
 * Where environment variables come from: any object with the TENCENTCLOUD_* properties, such as
 * a Worker's `env` bindings (an interface of your own is fine) or `process.env`.
 *
 * @example
 * ```ts
 * export default {
 *   async fetch(request: Request, env: EnvSource): Promise<Response> {
 *     const client = new VclmClient({ region: "ap-singapore", credentials: fromEnv(env) });
 *     const JobId = new URL(request.url).searchParams.get("job") ?? "";
 *     return Response.json(await client.send(DescribeImageAnimateJob, { JobId }));
 *   },
 * };
 * ```
 */
export interface EnvSource {
  readonly TENCENTCLOUD_SECRET_ID?: unknown;
  readonly TENCENTCLOUD_SECRET_KEY?: unknown;
  readonly TENCENTCLOUD_SESSION_TOKEN?: unknown;
}

const NAMES = ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN"] as const;

/**
 * Credentials from the environment names every official Tencent Cloud SDK reads:
 * `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and, for temporary credentials,
 * `TENCENTCLOUD_SESSION_TOKEN`. Reads the runtime's environment (Node, Deno, Bun), or the object
 * you pass (a Worker's `env`). The variables are read on every call, so a rotated key is picked up;
 * their absence is reported at once, naming what to set.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore", credentials: fromEnv() });
 * // In a Worker: new VclmClient({ region: "ap-singapore", credentials: fromEnv(env) })
 * ```
 */
export function fromEnv(env?: EnvSource): CredentialsProvider {
  const read = (): Credentials => {
    const [secretId, secretKey, token] = Object.values(readEnv(NAMES, env as EnvRecord | undefined));
    if (!secretId || !secretKey) {
      const missing = [secretId ? "" : "TENCENTCLOUD_SECRET_ID", secretKey ? "" : "TENCENTCLOUD_SECRET_KEY"].filter(Boolean);
      throw new VclmValidationError("credentials", [
        {
          path: missing.join(", "),
          message: `${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set in the ${
            env ? "env object given (a Worker's env)" : "environment"
          }: set ${missing.length > 1 ? "them" : "it"}, or pass credentials`,
        },
      ]);
    }
    return token ? { secretId, secretKey, token } : { secretId, secretKey };
  };
  read();
  return read;
}
