// Found by a review (issue 24), now fixed: packages/redis/README.md's example (and the JobTracker example of
// docs/guides/node-fleet.md, and the @example of redisJournal / redisAccountLimits) open an ioredis
// client and never close it: the batch finishes, journal.close() runs, and the process never exits
// (ioredis keeps its socket open). A newcomer's `node batch.mjs` hangs after the work is done.
// Here: the README example, as written, with only the emulator's endpoint and key put in.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { startEmulator } from "@vclm/emulator/node";
import { makeJpeg } from "@vclm/tools/photos";
import { type RedisServer, startRedisServer } from "@vclm/tools/redis-server";
import { afterAll, beforeAll, expect, it } from "vitest";

let redis: RedisServer;
let service: Awaited<ReturnType<typeof startEmulator>>;
let dir: string;
beforeAll(async () => {
  [redis, service, dir] = await Promise.all([
    startRedisServer(),
    startEmulator({ schedule: { waitMs: 100, runMs: 300 }, photoVideos: false }),
    mkdtemp(join(tmpdir(), "vclm-readme-")),
  ]);
  await writeFile(join(dir, "alice.jpg"), makeJpeg(600, 1000));
  await writeFile(join(dir, "bob.jpg"), makeJpeg(601, 1000));
});
afterAll(async () => {
  await Promise.all([service?.close(), redis?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

// packages/redis/README.md's example, read from the README, with only its client put on the emulator, and a last line.
const example = (endpoint: string) => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
  const client = 'new VclmClient({ region: "ap-singapore" })';
  expect(code, "the README's first example makes a client").toContain(client);
  const credentials = { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey };
  return `${code.replace(client, `new VclmClient({ region: "ap-singapore", endpoint: ${JSON.stringify(endpoint)}, credentials: ${JSON.stringify(credentials)} })`)}\nconsole.log("done");\n`;
};

it("the README's example exits when its batch is done", async () => {
  const file = new URL("../../.readme-example.mjs", import.meta.url).pathname; // beside package.json: its dependencies resolve
  await writeFile(file, example(service.url));
  try {
    const child = spawn(process.execPath, [file], { cwd: dir, env: { ...process.env, REDIS_URL: redis.url } });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const done = await Promise.race([
      new Promise((resolve) => child.stdout.on("data", () => out.includes("done") && resolve(true))),
      exited.then(() => false),
    ]);
    expect(done, out).toBe(true);
    const exitedSoon = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 10_000))]);
    child.kill("SIGKILL");
    console.log(JSON.stringify({ printedDone: done, exitedWithin10sAfterDone: exitedSoon }));
    expect(exitedSoon).toBe(true);
  } finally {
    await rm(file, { force: true });
  }
});
