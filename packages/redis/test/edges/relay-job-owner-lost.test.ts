// Found by a review (issue 24), now fixed: when Redis fails between forwarding a paid Submit and recording the job's owner
// (`store.claim("job:<JobId>")` in packages/relay/src/relay.ts, inside withStore), the relay answers
// 503 "the relay is busy" and drops the service's answer: the job exists and is paid (and the
// user's quota unit is spent), but nobody learns its JobId. The user (or the page) tries again and
// pays a second job. With memoryStore this could only happen when the store was full; with a
// remote store (Redis, whose connection in apps/browser fails fast: no offline queue, 5 s command
// timeout) a blip at that moment is enough.
import { fromEndpoint, SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { type Authorize, createCredentialsHandler, createRelay } from "@vclm/relay";
import { fetchFrom } from "@vclm/tools/fetch-from";
import { type RedisServer, startRedisServer } from "@vclm/tools/redis-server";
import Redis from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
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

it("Redis fails once while the relay records a new job's owner: the user still gets the JobId of the job paid for", async () => {
  const real = fromIoredis(client);
  let blips = 0;
  const command: RedisCommand = async (args) => {
    if (blips === 0 && args.some((arg) => arg.startsWith("vclm:relay:job:"))) {
      blips++;
      throw new Error("not connected (the connection was lost)"); // what apps/browser/redis-store.js says
    }
    return real(args);
  };
  const store = redisRelayStore(command);
  const sts = new VclmClient({ region: "ap-singapore", endpoint: emulator.url, credentials: BACKEND });
  const credentials = createCredentialsHandler({ authorize, sts, store, bindTo: "127.0.0.2/32" });
  const relay = createRelay({ authorize, store, target: emulator.url, signingHost: "127.0.0.1", fetch: fetchFrom("127.0.0.2") });
  const bob = new VclmClient({
    region: "ap-singapore",
    endpoint: "https://app.example/vclm",
    signingHost: "127.0.0.1",
    credentials: fromEndpoint("https://app.example/api/credentials", {
      init: { method: "POST" },
      fetch: (input, init) => credentials(new Request(input, init)),
    }),
    fetch: (input, init) => relay(new Request(input, init)),
  });
  const before = [...emulator.emulator.jobs.all()].length;
  const first = await bob
    .send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://example.com/bob.jpg" })
    .catch((error: Error) => error);
  const made = [...emulator.emulator.jobs.all()].length - before;
  console.log(JSON.stringify({ blips, jobsMade: made, answer: first instanceof Error ? first.message : first }));
  expect(made).toBe(1);
  expect(first).not.toBeInstanceOf(Error);
});
