import { defaultCredentials, isVclmError, observe, VclmClient, VclmCredentialsError, VclmValidationError } from "@vclm/core";
import { retry } from "@vclm/retry";
import type { Args } from "./args.js";
import { isBatch } from "./commands/batch.js";
import { UsageError } from "./usage.js";
import { verboseLogger } from "./verbose-log.js";

/**
 * The command's client, with retries; with `--verbose`, watched by `observe` so each call, retry
 * decision and status change is a line on stderr. A batch says its photos' events in its own lines
 * (batch-log.ts), so their statuses are not said twice.
 */
async function equipped(client: VclmClient, args: Args): Promise<VclmClient> {
  client.use(retry());
  if (!args.verbose) return client;
  const batch = args.command === "animate" && (await isBatch(args));
  return client.use(observe({ logger: verboseLogger({ skip: batch ? ["vclm.batch", "vclm.job"] : [] }) }));
}

/** A client for the command: the embedded emulator, or an endpoint or the service with the credentials the official chain finds. */
export async function connect(args: Args): Promise<{ client: VclmClient; close: () => Promise<void> }> {
  if (args.emulator) {
    // Loaded only here: every other command is spared its code (memory, and start-up time).
    const [{ DEMO_ACCOUNT }, { startEmulator }] = await Promise.all([import("@vclm/emulator"), import("@vclm/emulator/node")]);
    // Quick jobs: a demo should not take minutes.
    const running = await startEmulator({ schedule: { waitMs: 1_000, runMs: 4_000 } });
    const client = new VclmClient({
      region: args.region,
      endpoint: running.url,
      credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
    });
    return { client: await equipped(client, args), close: running.close };
  }
  // The official chain: environment, profile file, CVM role, TKE web identity. Looked up before any
  // work starts, so a missing key is one message, not a failure halfway.
  const credentials = defaultCredentials();
  try {
    await credentials();
  } catch (error) {
    // A source set up halfway (one of the two variables, a TKE variable missing) or a malformed
    // profile file: a mistake in the setup, named by the source.
    if (isVclmError(error, VclmValidationError)) {
      const half = error.issues.find(({ message }) => message.includes("half set up"));
      throw new UsageError(half ? `${half.message}. Nothing was sent.` : error.message);
    }
    if (!isVclmError(error, VclmCredentialsError)) throw error;
    const tried = error.tried.map(({ source, reason }, i) => `\n  ${i + 1}. ${source}: ${reason}`).join("");
    throw new UsageError(
      `no credentials${args.endpoint ? " for the endpoint" : ""}: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (${
        args.endpoint ? "for `vclm emulator`, it prints them" : "a Tencent Cloud API key"
      }), or set up another source. Tried, in order:${tried}${args.endpoint ? "" : "\nOr add --emulator to try it locally."}`,
    );
  }
  const client = new VclmClient({ region: args.region, credentials, ...(args.endpoint && { endpoint: args.endpoint }) });
  return { client: await equipped(client, args), close: async () => {} };
}
