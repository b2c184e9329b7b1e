// The Worker as a service under test: bundled by wrangler, run in workerd through miniflare
// (Durable Objects, a Queue, R2) listening on loopback, against an emulator on loopback that
// downloads photos from it. Calls to the service can pass through a recorder, to count them per
// second as the account's limit sees them.
import { mkdtemp, rm } from "node:fs/promises";
import { createServer as createHttpServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { type RunningEmulator, type StartEmulatorOptions, startEmulator } from "@vclm/emulator/node";
import { freePort } from "@vclm/tools/free-port";
import { Miniflare, type MiniflareOptions } from "miniflare";
import { signToken } from "../src/token.js";
import { bundleWithWrangler } from "./run-wrangler.js";

export const AUTH_SECRET = "worker-test-auth-secret-0000000000000000";
export const PHOTO_LINK_SECRET = "worker-test-photo-link-secret-000000000";

export interface JobView {
  state: string;
  JobId?: string;
  Status?: string;
  checks?: number;
  video?: { key: string; bytes: number };
  error?: string;
}

// A free port on loopback, for the Worker to listen on (the emulator downloads photos from it).
export { freePort };

/** Forwards every call to `target`, noting its action and time first. */
async function recorder(target: string) {
  const calls: { action: string; at: number }[] = [];
  const server: Server = createHttpServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    calls.push({ action: String(request.headers["x-tc-action"]), at: Date.now() });
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => name !== "host" && name !== "connection"),
    ) as Record<string, string>;
    const answer = await fetch(target, { method: request.method, headers, body: Buffer.concat(chunks) }).catch(() => undefined);
    if (!answer) return response.socket?.destroy();
    response.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
    calls,
    close: () => new Promise((r) => server.close(r)),
  };
}

export async function startService({
  emulator: emulatorOptions = {},
  bindings = {},
  keepOutput = false,
}: {
  emulator?: StartEmulatorOptions;
  bindings?: Record<string, string>;
  /** Keep what the Worker writes to stdout (its console), for `output()`, instead of printing it. */
  keepOutput?: boolean;
} = {}) {
  const emulator: RunningEmulator = await startEmulator({ fetchImageUrls: true, ...emulatorOptions });
  const recorded = await recorder(emulator.url);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const persist = await mkdtemp(join(tmpdir(), "vclm-worker-"));
  const output: string[] = [];
  // Bundled by wrangler, as `wrangler deploy` would upload it.
  const script = await bundleWithWrangler(join(persist, "bundle"));
  const options: MiniflareOptions = {
    modules: true,
    script,
    compatibilityDate: "2026-07-01",
    host: "127.0.0.1",
    port,
    cf: false, // no download of Cloudflare's request metadata: nothing leaves this machine
    durableObjects: { COORDINATOR: "CoordinatorObject", RELAY_STORE: "RelayStoreObject" },
    ...(keepOutput && {
      handleRuntimeStdio(stdout, stderr) {
        stdout.on("data", (chunk) => output.push(String(chunk)));
        stderr.pipe(process.stderr);
      },
    }),
    durableObjectsPersist: join(persist, "do"), // on disk: a restart drops memory, not storage
    r2Buckets: ["BUCKET"],
    r2Persist: join(persist, "r2"),
    queueProducers: { SUBMISSIONS: "vclm-submissions" },
    queueConsumers: { "vclm-submissions": { maxBatchSize: 100, maxBatchTimeout: 1 } },
    bindings: {
      TENCENTCLOUD_SECRET_ID: DEMO_ACCOUNT.secretId,
      TENCENTCLOUD_SECRET_KEY: DEMO_ACCOUNT.secretKey,
      AUTH_SECRET,
      PHOTO_LINK_SECRET,
      PUBLIC_URL: origin,
      VCLM_ENDPOINT: recorded.url,
      ...bindings,
    },
  };
  const mf = new Miniflare(options);
  await mf.ready; // listening on origin: requests go over real HTTP, as a browser's upload would
  const bearer = async (user: string, expiresAt = Date.now() + 3_600_000, secret = AUTH_SECRET) => ({
    Authorization: `Bearer ${await signToken(user, expiresAt, secret)}`,
  });
  /** Polls our own endpoint (never the service) until `done` holds for the submission's state. */
  const waitFor = async (id: string, user: string, done: (job: JobView) => boolean, timeoutMs = 25_000): Promise<JobView> => {
    const deadline = Date.now() + timeoutMs;
    for (let dropped = 0; ; ) {
      let job: JobView;
      try {
        job = (await (await fetch(`${origin}/jobs/${id}`, { headers: await bearer(user) })).json()) as JobView;
        dropped = 0;
      } catch (error) {
        // A kept-alive connection the server closed as this GET went out on it ("other side closed",
        // seen once in CI under load): asked again, as browsers do for an idempotent request. Not twice in a row.
        if ((error as { cause?: { code?: string } }).cause?.code !== "UND_ERR_SOCKET" || ++dropped > 1) throw error;
        continue;
      }
      if (done(job) || Date.now() > deadline) return job;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  return {
    origin,
    mf,
    emulator,
    calls: recorded.calls,
    /** What the Worker wrote to stdout so far (with `keepOutput`). */
    output: () => output.join(""),
    bearer,
    waitFor,
    /** Restarts workerd: every Durable Object loses what it held in memory; storage and R2 stay. */
    restart: () => mf.setOptions(options),
    async close() {
      await mf.dispose();
      await recorded.close();
      await emulator.close();
      await rm(persist, { recursive: true, force: true });
    },
  };
}
