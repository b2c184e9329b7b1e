import { VclmClient } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { startEmulator } from "@vclm/emulator/node";
import { retry } from "@vclm/retry";
import type { Args } from "./args.js";
import { UsageError } from "./usage.js";

/** A client for the command: the embedded emulator, an endpoint, or the service with the environment's credentials. */
export async function connect(args: Args): Promise<{ client: VclmClient; close: () => Promise<void> }> {
  if (args.emulator) {
    // Quick jobs: a demo should not take minutes.
    const running = await startEmulator({ schedule: { waitMs: 1_000, runMs: 4_000 } });
    const client = new VclmClient({
      region: args.region,
      endpoint: running.url,
      credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
    });
    return { client: client.use(retry()), close: running.close };
  }
  const { TENCENTCLOUD_SECRET_ID: secretId, TENCENTCLOUD_SECRET_KEY: secretKey, TENCENTCLOUD_SESSION_TOKEN: token } = process.env;
  if (!secretId || !secretKey) {
    throw new UsageError(
      args.endpoint
        ? "no credentials for the endpoint: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (for `vclm emulator`, it prints them)"
        : "no credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (a Tencent Cloud API key), or add --emulator to try it locally",
    );
  }
  const client = new VclmClient({
    region: args.region,
    credentials: token ? { secretId, secretKey, token } : { secretId, secretKey },
    ...(args.endpoint && { endpoint: args.endpoint }),
  });
  return { client: client.use(retry()), close: async () => {} };
}
