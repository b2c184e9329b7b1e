// Found by two reviews (issue 24), now fixed: Redis failing between forwarding a paid Submit and
// recording the job's owner (`store.claim("job:<JobId>")` in packages/relay/src/relay.ts).
// - First: the relay answered 503 and dropped the service's answer. The job existed and was paid,
//   but nobody learnt its JobId; the user tried again and paid a second job.
// - Second: after that fix, the record was tried for only ~1.2 s. A 2 s blip (a restart, a
//   failover) left a paid job its own user could never follow: every Describe refused (403).
import { DescribeImageAnimateJob, SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { type Authorize, createCredentialsHandler, createRelay } from "@vclm/relay";
import { fetchFrom } from "@vclm/tools/fetch-from";
import { type RedisServer, startRedisServer } from "@vclm/tools/redis-server";
import Redis from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signedInPage } from "../../../relay/test/signed-in-page.js";
import { fromIoredis, type RedisCommand, redisRelayStore } from "../../src/index.js";

const BACKEND = { secretId: "AKIDreviewBackend000000000000000000", secretKey: "review-backend-permanent-key-00000" };
const authorize: Authorize = () => ({ id: "bob" });
let server: RedisServer;
let emulator: RunningEmulator;
let client: Redis;
beforeAll(async () => {
  [server, emulator] = await Promise.all([startRedisServer(), startEmulator({ accounts: [BACKEND] })]);
  client = new Redis(server.url);
});
afterAll(async () => {
  client?.disconnect();
  await Promise.all([emulator?.close(), server?.stop()]);
});

/** Bob, a signed-in user, through a relay whose store sends its commands through `command`. */
function bobThrough(command: RedisCommand): VclmClient {
  const store = redisRelayStore(command);
  const sts = new VclmClient({ region: "ap-singapore", endpoint: emulator.url, credentials: BACKEND });
  const credentials = createCredentialsHandler({ authorize, sts, store, bindTo: "127.0.0.2/32" });
  const relay = createRelay({ authorize, store, target: emulator.url, signingHost: "127.0.0.1", fetch: fetchFrom("127.0.0.2") });
  return signedInPage({}, { credentials, relay });
}

it("Redis fails once while the relay records a new job's owner: the user still gets the JobId of the job paid for", async () => {
  const real = fromIoredis(client);
  let blips = 0;
  const bob = bobThrough(async (args) => {
    if (blips === 0 && args.some((arg) => arg.startsWith("vclm:relay:job:"))) {
      blips++;
      throw new Error("not connected (the connection was lost)"); // what apps/browser/redis-store.js says
    }
    return real(args);
  });
  const before = [...emulator.emulator.jobs.all()].length;
  const first = await bob
    .send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://example.com/bob.jpg" })
    .catch((error: Error) => error);
  const made = [...emulator.emulator.jobs.all()].length - before;
  expect(blips).toBe(1);
  expect(made).toBe(1);
  expect(first).not.toBeInstanceOf(Error);
});

it("Redis away for 2 s while the relay records a new job's owner: its user can still follow the job", async () => {
  const real = fromIoredis(client);
  let awayUntil = 0;
  const bob = bobThrough(async (args) => {
    if (args.some((arg) => arg.startsWith("vclm:relay:job:")) && awayUntil === 0) awayUntil = Date.now() + 2_000; // the blip starts
    if (Date.now() < awayUntil) throw new Error("not connected (the connection was lost)");
    return real(args);
  });
  const { JobId } = await bob.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://example.com/bob-2.jpg" });
  expect(awayUntil).toBeGreaterThan(0);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, awayUntil - Date.now()) + 200)); // Redis is back
  const describe = await bob.send(DescribeImageAnimateJob, { JobId }).catch((error: Error) => error);
  expect(describe).not.toBeInstanceOf(Error);
});
