// Three `node server.js` processes on one Redis behind a round-robin, as a fleet behind a load
// balancer: a user signed in through one instance is known to all of them, one user's 150 concurrent
// Submits with a daily quota of 20 forward at most 20, and another user's JobId is refused on every
// instance. With Redis gone they refuse (503) naming Redis, and once it is back what it kept is
// still there. Real parts only: the app's processes, a real redis-server (AOF, fsync always), the
// emulator (it checks the credentials' qcs:ip, bound to 127.0.0.1), HTTP on loopback.
import { Agent, createServer, type IncomingMessage, request } from "node:http";
import type { AddressInfo } from "node:net";
import { DescribeImageAnimateJob, fromEndpoint, SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { freePort } from "@vclm/tools/free-port";
import { type RedisServer, startRedisServer } from "@vclm/tools/redis-server";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type AppProcess, runServer, signIn } from "./app-process.js";

const INSTANCES = 3;
const QUOTA = 20;

/** An HTTP proxy on loopback that sends each request to the next of `targets` in turn, Host header and all (a load balancer's round-robin). */
async function roundRobin(targets: readonly string[], answered: (to: number, incoming: IncomingMessage, status: number) => void) {
  const agent = new Agent({ keepAlive: true });
  let next = 0;
  const server = createServer((incoming, outgoing) => {
    const to = next++ % targets.length;
    const upstream = request(
      new URL(incoming.url ?? "/", targets[to]),
      { method: incoming.method, headers: incoming.headers, agent },
      (answer) => {
        answered(to, incoming, answer.statusCode ?? 0);
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on("error", () => (outgoing.headersSent ? outgoing.destroy() : outgoing.writeHead(502).end()));
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

/** A page's temporary credentials: fetched with its session cookie from `base`'s /api/credentials, once. */
const credentialsOf = (base: string, cookie: string) =>
  fromEndpoint(new URL("/api/credentials", base), { init: { method: "POST", headers: { cookie } } });

/** What the page does: requests signed with its temporary credentials, sent with its cookie to `base`'s relay. `bodies` hears each answer's body. */
const pageClient = (base: string, cookie: string, credentials: ReturnType<typeof credentialsOf>, bodies: string[] = []) =>
  new VclmClient({
    region: "ap-singapore",
    endpoint: new URL("/vclm", base).href,
    signingHost: "127.0.0.1",
    credentials,
    fetch: async (input, init) => {
      const sent = new Request(input, init);
      sent.headers.set("cookie", cookie);
      const answer = await fetch(sent);
      bodies.push(await answer.clone().text());
      return answer;
    },
  });

const me = async (base: string, cookie: string) => {
  const answer = await fetch(new URL("/api/me", base), { headers: { cookie } });
  return { status: answer.status, body: (await answer.json()) as { user?: string; submitsLeft?: number; error?: string } };
};

let redis: RedisServer;
let emulator: RunningEmulator;
let service: Awaited<ReturnType<typeof roundRobin>>; // in front of the emulator: counts what the instances forward
let balancer: Awaited<ReturnType<typeof roundRobin>>;
const apps: AppProcess[] = [];
let instances: string[] = [];
let forwardedSubmits = 0;
const submitsAt = Array.from({ length: INSTANCES }, () => ({ handled: 0, forwarded: 0 }));

beforeAll(async () => {
  [redis, emulator] = await Promise.all([
    startRedisServer(),
    // Room for every Submit the relays forward: a job the service refused would give its unit back.
    startEmulator({ limits: { requestsPerSecond: 1_000, concurrentJobs: 1_000 } }),
  ]);
  service = await roundRobin([emulator.url], (_, incoming) => {
    if (incoming.headers["x-tc-action"] === "SubmitImageAnimateJob") forwardedSubmits++;
  });
  for (let i = 0; i < INSTANCES; i++)
    apps.push(runServer({ SUBMITS_PER_DAY: String(QUOTA) }, ["--emulator", service.url, "--redis", redis.url]));
  const started = await Promise.all(apps.map((app) => app.outcome));
  instances = started.map(({ url }, i) => {
    if (!url) throw new Error(`instance ${i} did not start: ${apps[i]?.output()}`);
    return url;
  });
  balancer = await roundRobin(instances, (to, incoming, status) => {
    if (incoming.url !== "/vclm" || incoming.headers["x-tc-action"] !== "SubmitImageAnimateJob") return;
    const at = submitsAt[to] as (typeof submitsAt)[number];
    at.handled++;
    if (status === 200) at.forwarded++;
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await Promise.all([balancer?.close(), service?.close()]);
  await Promise.all([emulator?.close(), redis?.stop()]);
});

describe(`apps/browser as ${INSTANCES} processes on one Redis, behind a round-robin`, () => {
  it("knows a user signed in through one instance on every instance, and keeps no session's cookie in Redis", async () => {
    const cookie = await signIn(balancer.url, "alice");
    for (const [i, url] of instances.entries())
      expect(await me(url, cookie), `instance ${i}`).toMatchObject({ status: 200, body: { user: "alice" } });
    const reader = new Redis(redis.url);
    try {
      const keys = await reader.keys("*");
      expect(keys.filter((key) => key.startsWith("vclm:relay:session:"))).toHaveLength(1);
      const kept = [...keys, ...(await reader.mget(keys))].join("\n");
      expect(kept).not.toContain(cookie.split("=")[1]);
    } finally {
      reader.disconnect();
    }
  });

  it(`forwards at most ${QUOTA} of one user's 150 concurrent Submits (a quota of ${QUOTA} a day), each instance taking its share`, async () => {
    const cookie = await signIn(balancer.url, "alice");
    const alice = pageClient(balancer.url, cookie, credentialsOf(balancer.url, cookie));
    const jobsBefore = [...emulator.emulator.jobs.all()].length;
    const forwardedBefore = forwardedSubmits;
    const started = performance.now();
    // Each photo its own: identical requests signed in one second are one signature, and the relay refuses a replay.
    const results = await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        alice.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: `https://example.com/fleet-${i}.jpg` }).then(
          () => "ok",
          (error: Error) => error.message,
        ),
      ),
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.info(
      `150 Submits in ${seconds} s: ${forwardedSubmits - forwardedBefore} forwarded; per instance handled ${submitsAt.map((at) => at.handled).join("/")}, forwarded ${submitsAt.map((at) => at.forwarded).join("/")}`,
    );
    expect(results.filter((result) => result !== "ok" && !/HTTP 429/.test(result))).toEqual([]); // refused: quota or rate
    expect(forwardedSubmits - forwardedBefore).toBeLessThanOrEqual(QUOTA);
    expect(forwardedSubmits - forwardedBefore).toBe(QUOTA); // and the quota was not refused to everyone either
    expect(results.filter((result) => result === "ok")).toHaveLength(QUOTA);
    expect([...emulator.emulator.jobs.all()].length - jobsBefore).toBe(QUOTA);
    expect(submitsAt.reduce((sum, at) => sum + at.forwarded, 0)).toBe(QUOTA);
    for (const [i, at] of submitsAt.entries()) expect(at.handled, `Submits instance ${i} handled`).toBeGreaterThanOrEqual(40);
    for (const [i, url] of instances.entries()) expect(await me(url, cookie), `instance ${i}`).toMatchObject({ body: { submitsLeft: 0 } });
  }, 60_000);

  it("refuses another user's JobId (403) on every instance, and answers its owner on every instance", async () => {
    const bobCookie = await signIn(balancer.url, "bob");
    const bob = credentialsOf(balancer.url, bobCookie); // issued by one instance, used on all
    const { JobId } = await pageClient(balancer.url, bobCookie, bob).send(SubmitImageAnimateJob, {
      TemplateId: "ke3",
      ImageUrl: "https://example.com/bob.jpg",
    });
    const carolCookie = await signIn(balancer.url, "carol");
    const carol = credentialsOf(balancer.url, carolCookie);
    for (const [i, url] of instances.entries()) {
      const bodies: string[] = [];
      const refused = await pageClient(url, carolCookie, carol, bodies)
        .send(DescribeImageAnimateJob, { JobId })
        .then(
          () => "answered",
          (error: Error) => error.message,
        );
      expect(refused, `instance ${i}`).toMatch(/HTTP 403/);
      expect(bodies, `instance ${i}`).toEqual([JSON.stringify({ error: `job ${JobId} is not one of yours` })]); // her credentials pass
      expect((await pageClient(url, bobCookie, bob).send(DescribeImageAnimateJob, { JobId })).Status, `instance ${i}`).toMatch(
        /WAIT|RUN|DONE/,
      );
    }
  }, 30_000);

  it("refuses with 503 naming Redis while Redis is down, without crashing, and keeps the quota and the session across Redis's crash", async () => {
    const cookie = await signIn(balancer.url, "alice");
    await redis.stop({ kill: true, keepData: true }); // as a crash: what the AOF holds is all that is left
    for (const [i, url] of instances.entries()) {
      const down = await me(url, cookie);
      expect(down.status, `instance ${i}`).toBe(503);
      expect(down.body.error).toMatch(/Redis did not read: not connected/);
      const relayed = await fetch(new URL("/vclm", url), {
        method: "POST",
        headers: { cookie, "X-TC-Action": "DescribeImageAnimateJob", "Content-Type": "application/json" },
        body: "{}",
      });
      expect(relayed.status, `instance ${i}`).toBe(503);
      expect(await relayed.text()).toMatch(/Redis/);
    }
    await vi.waitFor(
      () => {
        for (const app of apps) expect(app.output()).toContain(`Redis at ${redis.url} is unreachable`);
      },
      { timeout: 10_000, interval: 100 },
    );
    for (const app of apps) expect(app.running()).toBe(true);

    await redis.restart();
    for (const [i, url] of instances.entries())
      await vi.waitFor(
        async () => expect(await me(url, cookie), `instance ${i}`).toMatchObject({ status: 200, body: { user: "alice", submitsLeft: 0 } }),
        {
          timeout: 15_000,
          interval: 200,
        },
      );
    // Its scripts are gone with the restart: each instance loads them again (a sign-in takes from a count).
    for (const url of instances) await signIn(url, "dave");
    for (const app of apps) {
      expect(app.output()).toContain(`Redis at ${redis.url} answers again`);
      expect(app.output()).not.toMatch(/SecretKey|Token|Authorization|TC3-HMAC/i); // what they log holds no secret
    }
  }, 45_000);

  it("does not start when Redis does not answer, and says so naming Redis and the URL, never its password", async () => {
    const port = await freePort(); // nothing listens there
    const unreachable = runServer({}, ["--emulator", service.url, "--redis", `redis://:fleet-test-password@127.0.0.1:${port}`]);
    const notRedis = runServer({ REDIS_URL: "http://127.0.0.1:6379" }, ["--emulator", service.url]);
    try {
      expect((await unreachable.outcome).code).toBe(1);
      expect(unreachable.output()).toContain(
        `apps/browser cannot start: Redis at redis://:***@127.0.0.1:${port} did not answer or refused the app (connect ECONNREFUSED`,
      );
      expect(unreachable.output()).not.toContain("fleet-test-password");
      expect((await notRedis.outcome).code).toBe(1);
      expect(notRedis.output()).toContain("--redis (REDIS_URL) must be a redis:// or rediss:// URL");
    } finally {
      await Promise.all([unreachable.stop(), notRedis.stop()]);
    }
  });
});
