// Three relay instances behind a round-robin, each with its own Redis connection, as three processes
// of a backend behind a load balancer: one user's 150 concurrent Submits with a daily quota of 20
// forward at most 20, and another user's JobId is refused on every instance. Real parts: the
// emulator on 127.0.0.1 (it enforces the credentials' qcs:ip condition; the relays send from
// 127.0.0.2), STS credentials from @vclm/relay's handler, and a real redis-server.
import { DescribeImageAnimateJob, SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { type Authorize, createCredentialsHandler, createRelay } from "@vclm/relay";
import { fetchFrom } from "@vclm/tools/fetch-from";
import { type RedisServer, startRedisServer } from "@vclm/tools/redis-server";
import Redis from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signedInPage } from "../../relay/test/signed-in-page.js";
import { fromIoredis, redisRelayStore } from "../src/index.js";

const BACKEND = { secretId: "AKIDfleetBackend0000000000000000000", secretKey: "fleet-backend-permanent-key-000000" };
const SESSIONS: Record<string, string> = {
  "session-alice": "alice",
  "session-bob": "bob",
  "session-carol": "carol",
  "session-dave": "dave",
  "session-erin": "erin",
};
const authorize: Authorize = (request) => {
  const id = SESSIONS[request.headers.get("x-session") ?? ""];
  return id ? { id } : undefined;
};
const submit = { TemplateId: "ke3" as const, ImageUrl: "https://example.com/dancer.jpg" };

let server: RedisServer;
let emulator: RunningEmulator;
const clients: Redis[] = [];
let instances: { credentials: (request: Request) => Promise<Response>; relay: (request: Request) => Promise<Response> }[];
let forwarded = 0;

beforeAll(async () => {
  [server, emulator] = await Promise.all([
    startRedisServer(),
    startEmulator({ accounts: [BACKEND], limits: { requestsPerSecond: 1_000, concurrentJobs: 1_000 } }),
  ]);
  const sts = new VclmClient({ region: "ap-singapore", endpoint: emulator.url, credentials: BACKEND });
  const fromRelay = fetchFrom("127.0.0.2");
  instances = [0, 1, 2].map(() => {
    const client = new Redis(server.url);
    clients.push(client);
    const store = redisRelayStore(fromIoredis(client));
    return {
      credentials: createCredentialsHandler({ authorize, sts, store, bindTo: "127.0.0.2/32" }),
      relay: createRelay({
        authorize,
        store,
        target: emulator.url,
        signingHost: "127.0.0.1",
        submitsPerDay: 20,
        fetch: (input, init) => {
          if (new Headers(init?.headers).get("x-tc-action") === "SubmitImageAnimateJob") forwarded++;
          return fromRelay(input, init);
        },
      }),
    };
  });
}, 120_000);
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await Promise.all([emulator?.close(), server?.stop()]);
});

/** A browser of `session`, whose every request goes to the next instance in turn (the round-robin). */
function browser(session: string) {
  let next = 0;
  const instance = () => instances[next++ % instances.length] as (typeof instances)[number];
  return signedInPage(
    { "x-session": session },
    { credentials: (request) => instance().credentials(request), relay: (request) => instance().relay(request) },
  );
}

it("150 concurrent Submits of one user with a quota of 20 through 3 instances: 20 forwarded, 20 jobs", async () => {
  const alice = browser("session-alice");
  const jobsBefore = [...emulator.emulator.jobs.all()].length;
  const sent = forwarded;
  // Each photo its own (identical requests in one second are one signature: the relay refuses replays).
  const results = await Promise.all(
    Array.from({ length: 150 }, (_, i) =>
      alice.send(SubmitImageAnimateJob, { ...submit, ImageUrl: `https://example.com/${i}.jpg` }).then(
        () => "ok",
        (e: Error) => e.message,
      ),
    ),
  );
  expect(results.filter((r) => r !== "ok").every((r) => /HTTP 429/.test(r))).toBe(true);
  expect(results.filter((r) => r === "ok")).toHaveLength(20);
  expect(forwarded - sent).toBe(20);
  expect([...emulator.emulator.jobs.all()].length - jobsBefore).toBe(20);
}, 60_000);

it("another user's JobId is refused on every instance; its owner is answered on every instance", async () => {
  const bob = browser("session-bob");
  const { JobId } = await bob.send(SubmitImageAnimateJob, submit);
  const carol = browser("session-carol"); // alice has used her requests per minute above
  for (let i = 0; i < instances.length; i++) {
    const refused = await carol.send(DescribeImageAnimateJob, { JobId }).catch((e: Error) => e);
    expect(String((refused as Error).message), `instance ${i}`).toMatch(/HTTP 403/);
    expect((await bob.send(DescribeImageAnimateJob, { JobId })).Status).toMatch(/WAIT|RUN|DONE/);
  }
}, 60_000);

it("a caller with no session is refused (401) on every instance, and takes nothing from Redis", async () => {
  const keysBefore = Number(await clients[0]?.dbsize());
  for (const [i, instance] of instances.entries()) {
    const request = new Request("https://app.example/vclm", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-TC-Action": "SubmitImageAnimateJob" },
      body: JSON.stringify(submit),
    });
    expect((await instance.relay(request)).status, `instance ${i}`).toBe(401);
    const credentials = await instance.credentials(new Request("https://app.example/api/credentials", { method: "POST" }));
    expect(credentials.status, `instance ${i}`).toBe(401);
  }
  expect(Number(await clients[0]?.dbsize())).toBe(keysBefore);
});

it("one signed Submit replayed to every instance at once is forwarded once, by one of them", async () => {
  // Dave's browser signs a Submit; the request is kept, then sent to all 3 instances at the same instant.
  let signed: { url: string; headers: Headers; body: string } | undefined;
  const capture = signedInPage(
    { "x-session": "session-dave" },
    {
      credentials: (request) => (instances[0] as (typeof instances)[number]).credentials(request),
      relay: async (request) => {
        signed = { url: request.url, headers: new Headers(request.headers), body: await request.text() };
        return new Response("{}", { status: 599 }); // kept, not sent
      },
    },
  );
  await capture.send(SubmitImageAnimateJob, { ...submit, ImageUrl: "https://example.com/replayed.jpg" }).catch(() => {});
  expect(signed).toBeDefined();
  const sent = forwarded;
  const statuses = await Promise.all(
    instances.map((instance) => {
      const headers = new Headers(signed?.headers);
      headers.set("x-session", "session-dave");
      return instance
        .relay(new Request(signed?.url as string, { method: "POST", headers, body: signed?.body ?? null }))
        .then((answer) => answer.status);
    }),
  );
  expect(forwarded - sent).toBe(1);
  expect(statuses.filter((status) => status === 200)).toHaveLength(1);
  expect(statuses.filter((status) => status === 403)).toHaveLength(2);
});
