// The world the end-to-end tests run in: the emulator over real HTTP on loopback (on a clock that
// moves only when the client's sleeps move it, so a job goes WAIT, RUN, DONE without waiting), an
// account whose key and temporary credentials the tests look for in what was exported, and a
// client with @vclm/retry and observe(otel()) on the real SDK.
import { type Clock, fromAssumeRole, observe, VclmClient } from "@vclm/core";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { type RetryEvent, retry } from "@vclm/retry";
import { otel } from "../src/index.js";
import type { Sdk } from "./sdk.js";

export const SECRET_KEY = "otel-test-secret-key-never-in-telemetry";
const ACCOUNT = { secretId: "AKIDotelTest00000000000000000000000", secretKey: SECRET_KEY, accountId: "100000000001" };

export interface World {
  readonly running: RunningEmulator;
  /** The account's permanent credentials (a backend's, e.g. a relay's credentials handler's). */
  readonly account: { readonly secretId: string; readonly secretKey: string };
  /** The action and traceparent of each request the emulator received. */
  readonly received: { action: string | null; traceparent: string | null }[];
  /** The temporary credentials the client signs with. */
  readonly issued: { secretKey: string; token?: string | undefined };
  readonly clock: Clock;
  /** A client observed into `sdk`, with retries; `onRetry` hears each decision. */
  client(sdk: Sdk, onRetry?: (event: RetryEvent) => void): VclmClient;
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const running = await startEmulator({ clock: "manual", accounts: [ACCOUNT], limits: { requestsPerSecond: 1_000 } });
  const received: World["received"] = [];
  const handler = running.emulator.fetch;
  Object.assign(running.emulator, {
    fetch: (request: Request, info?: { remoteAddress?: string }) => {
      received.push({ action: request.headers.get("x-tc-action"), traceparent: request.headers.get("traceparent") });
      return handler(request, info);
    },
  });
  const { emulator } = running;
  const clock: Clock = {
    now: () => emulator.clock.now(),
    sleep: async (ms) => void emulator.clock.advance(ms),
    random: () => 0.5,
  };
  const credentials = fromAssumeRole({
    credentials: ACCOUNT,
    roleArn: "qcs::cam::uin/100000000001:roleName/otel-test",
    endpoint: running.url,
  });
  const issued = await credentials();
  return {
    running,
    account: ACCOUNT,
    received,
    issued,
    clock,
    client: (sdk, onRetry) =>
      new VclmClient({ region: "ap-singapore", endpoint: running.url, credentials })
        .use(retry({ clock, ...(onRetry && { onRetry }) }))
        .use(observe(otel({ tracer: sdk.tracer, meter: sdk.meter }))),
    close: () => running.close(),
  };
}
