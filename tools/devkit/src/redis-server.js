// A real redis-server for the tests, as Debian packages it: installed when missing (CI runs as root),
// started on a free loopback port with a temporary folder (AOF on, fsync always), stopped after.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";

const has = (binary) => {
  try {
    execFileSync("sh", ["-c", `command -v ${binary}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

/** Installs Debian's redis-server if it is missing (needs root, as CI has). */
export function ensureRedisServer() {
  if (has("redis-server")) return;
  if (process.getuid?.() !== 0)
    throw new Error("redis-server is missing: apt-get install -y redis-server (as root), then run the tests again");
  // One install at a time: several test files may get here at once.
  execFileSync(
    "flock",
    [
      "/tmp/vclm-redis-install.lock",
      "sh",
      "-c",
      "command -v redis-server || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server)",
    ],
    { stdio: "inherit" },
  );
}

/**
 * Starts one: `url`, `port`, `stop({ kill, keepData })` (SIGKILL with `kill: true`, as a crash
 * would; the folder removed unless kept), `restart()` (on the same port and folder: what the AOF
 * kept comes back).
 */
export async function startRedisServer() {
  ensureRedisServer();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "vclm-redis-"));
  let child;
  const start = async () => {
    child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        dir,
        "--save",
        "",
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--daemonize",
        "no",
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise((resolve, reject) => {
      child.stdout?.on("data", (chunk) => chunk.toString().includes("Ready to accept connections") && resolve());
      child.on("error", (error) => reject(new Error(`redis-server did not start (apt-get install -y redis-server): ${error.message}`)));
      child.on("exit", (code) => reject(new Error(`redis-server exited with ${code} before it was ready`)));
    });
  };
  await start();
  const halt = (signal) =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.on("exit", () => resolve());
      child.kill(signal);
    });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop({ kill = false, keepData = false } = {}) {
      await halt(kill ? "SIGKILL" : "SIGTERM");
      if (!keepData) rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await halt("SIGKILL");
      await start();
    },
  };
}
