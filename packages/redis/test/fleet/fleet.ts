// The batch fleet's world for tests: the emulator behind a proxy that logs every API call (action,
// time), a folder of distinct photos, and child processes running fleet/batch-process.mjs.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { makeJpeg } from "@vclm/tools/photos";

export interface Call {
  readonly action: string;
  readonly at: number;
}

/** The emulator (10 jobs at once, 20 requests a second per action) behind a proxy that logs each call. */
export async function startService(): Promise<{ url: string; emulator: RunningEmulator; calls: Call[]; close(): Promise<void> }> {
  const emulator = await startEmulator({
    schedule: { waitMs: 300, runMs: 1_200 },
    photoVideos: false,
    limits: { concurrentJobs: 10, requestsPerSecond: 20 },
  });
  const calls: Call[] = [];
  const proxy: Server = createServer(async (request, response) => {
    const action = request.headers["x-tc-action"];
    if (typeof action === "string") calls.push({ action, at: Date.now() });
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    try {
      const answer = await fetch(new URL(request.url ?? "/", emulator.url), {
        method: request.method ?? "GET",
        headers: Object.entries(request.headers).flatMap(([name, value]) =>
          typeof value === "string" && name !== "host" && name !== "connection" ? [[name, value] as [string, string]] : [],
        ),
        ...(chunks.length && { body: Buffer.concat(chunks) }),
      });
      response.writeHead(answer.status, Object.fromEntries(answer.headers));
      response.end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      response.destroy();
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    emulator,
    calls,
    close: async () => {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
      await emulator.close();
    },
  };
}

/** The most calls of `action` in any one second (wall clock, as the service counts them). */
export function busiestSecond(calls: readonly Call[], action: string): number {
  const perSecond = new Map<number, number>();
  for (const call of calls)
    if (call.action === action) perSecond.set(Math.floor(call.at / 1000), (perSecond.get(Math.floor(call.at / 1000)) ?? 0) + 1);
  return Math.max(0, ...perSecond.values());
}

/** A folder of `count` distinct photos. */
export async function photoFolder(root: string, count: number): Promise<string> {
  const folder = join(root, "photos");
  await mkdir(folder, { recursive: true });
  for (let i = 0; i < count; i++) await writeFile(join(folder, `p${String(i).padStart(3, "0")}.jpg`), makeJpeg(600 + i, 1000));
  return folder;
}

export interface BatchProcess {
  readonly child: ChildProcess;
  /** Lines it printed, parsed. */
  readonly lines: Record<string, unknown>[];
  /** Resolves when it exits, with its exit code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts one process of the fleet. */
export function startBatchProcess(env: Record<string, string>): BatchProcess {
  const child = spawn(process.execPath, [new URL("./batch-process.mjs", import.meta.url).pathname], {
    cwd: new URL("../..", import.meta.url).pathname, // @vclm/redis: its dependencies resolve from here
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  let rest = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    const text = rest + chunk.toString();
    const parts = text.split("\n");
    rest = parts.pop() ?? "";
    for (const line of parts) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, lines, exited };
}

/** Every video file in the processes' folders. */
export async function videosIn(folders: readonly string[]): Promise<string[]> {
  const all = await Promise.all(
    folders.map(async (folder) => (await readdir(folder).catch(() => [])).filter((name) => name.endsWith(".mp4"))),
  );
  return all.flat();
}

export const tempRoot = () => mkdtemp(join(tmpdir(), "vclm-fleet-"));
export const remove = (path: string) => rm(path, { recursive: true, force: true });
