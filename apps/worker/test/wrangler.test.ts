// The Workers developer's own loop, with the real wrangler (it needs Node 22 or newer: the Node 24
// that tests/runtimes/setup.sh installs runs it): `wrangler deploy --dry-run` bundles the Worker with
// its bindings, and `wrangler dev` serves it locally against the emulator, secrets from .dev.vars.
// Nothing leaves this machine: no metrics, no Request.cf download, no update check (its cache is
// seeded in a private temporary folder).
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../src/token.js";
import { wrangler } from "./run-wrangler.js";
import { freePort } from "./service.js";

const app = new URL("..", import.meta.url).pathname;
let temp: string;

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), "vclm-wrangler-"));
});
afterAll(() => rm(temp, { recursive: true, force: true }));

describe("apps/worker with wrangler", () => {
  it("`wrangler deploy --dry-run` bundles it, with its Durable Objects, Queue and R2 bucket", async () => {
    const out = join(temp, "out");
    const run = wrangler(["deploy", "--dry-run", "--outdir", out]);
    expect(await run.exited).toBe(0);
    const output = run.output();
    for (const binding of [
      "env.COORDINATOR (CoordinatorObject)",
      "env.RELAY_STORE (RelayStoreObject)",
      "env.SUBMISSIONS (vclm-submissions)",
      "env.BUCKET (vclm-animate)",
    ])
      expect(output).toContain(binding);
    expect(output).toMatch(/Total Upload: [\d.]+ KiB \/ gzip: [\d.]+ KiB/);
    expect((await stat(join(out, "worker.js"))).size).toBeGreaterThan(10_000);
    console.log(output.match(/Total Upload: .*/)?.[0]);
  }, 60_000);

  it("`wrangler dev` serves it locally against the emulator, with secrets from .dev.vars: a photo to a kept video", async () => {
    const emulator: RunningEmulator = await startEmulator({ schedule: { waitMs: 300, runMs: 700 }, fetchImageUrls: true });
    const vars = join(app, ".dev.vars");
    // wrangler dev on free ports; one more try if it exits before it is ready (another process may
    // take a port between freePort() and wrangler's listen), with its output in the error.
    const start = async () => {
      const port = await freePort();
      const origin = `http://127.0.0.1:${port}`;
      await writeFile(
        vars,
        [
          `TENCENTCLOUD_SECRET_ID=${DEMO_ACCOUNT.secretId}`,
          `TENCENTCLOUD_SECRET_KEY=${DEMO_ACCOUNT.secretKey}`,
          "AUTH_SECRET=wrangler-dev-auth-secret-000000000000",
          "PHOTO_LINK_SECRET=wrangler-dev-photo-link-secret-0000000",
          `PUBLIC_URL=${origin}`,
          `VCLM_ENDPOINT=${emulator.url}`,
          "",
        ].join("\n"),
      );
      const run = wrangler([
        "dev",
        "--ip",
        "127.0.0.1",
        "--port",
        String(port),
        "--inspector-port",
        String(await freePort()),
        "--persist-to",
        join(temp, "state"),
        "--show-interactive-dev-session=false",
      ]);
      let exited = false;
      run.exited.then(() => (exited = true));
      for (const deadline = Date.now() + 45_000; !/Ready on/.test(run.output()) && !exited && Date.now() < deadline; )
        await new Promise((resolve) => setTimeout(resolve, 100));
      return { run, exited, origin };
    };
    let started = await start();
    if (started.exited) {
      console.log(`wrangler dev exited before it was ready; trying once more. Its output:\n${started.run.output()}`);
      started = await start();
    }
    const { run: dev, origin } = started;
    try {
      expect(started.exited, `wrangler dev exited before it was ready:\n${dev.output()}`).toBe(false);
      expect(dev.output()).toContain(`Ready on ${origin}`);
      expect(dev.output()).toContain("Using secrets defined in .dev.vars");
      const headers = {
        Authorization: `Bearer ${await signToken("dev", Date.now() + 3_600_000, "wrangler-dev-auth-secret-000000000000")}`,
      };
      const photo = await readFile(new URL("../../../samples/dancer.jpg", import.meta.url));
      const posted = await fetch(`${origin}/jobs`, { method: "POST", body: photo, headers });
      expect(posted.status).toBe(202);
      const { id } = (await posted.json()) as { id: string };
      let state: { state?: string; video?: unknown } = {};
      for (const deadline = Date.now() + 30_000; !state.video && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        state = (await (await fetch(`${origin}/jobs/${id}`, { headers })).json()) as typeof state;
      }
      expect(state.state).toBe("DONE");
      const video = new Uint8Array(await (await fetch(`${origin}/jobs/${id}/video`, { headers })).arrayBuffer());
      expect(new TextDecoder().decode(video.subarray(4, 8))).toBe("ftyp");
      expect(dev.output()).not.toMatch(/workers\.cloudflare\.com|ENOTFOUND/);
    } finally {
      try {
        if (dev.child.pid) process.kill(-dev.child.pid, "SIGTERM");
      } catch {
        // Already gone (ESRCH): the failure above, not this, says why.
      }
      await dev.exited;
      await rm(vars, { force: true });
      await emulator.close();
    }
  }, 150_000);
});
