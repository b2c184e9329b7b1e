// What more than one test of the app does: run `node server.js` as a process of its own, and sign in
// with the stand-in sign-in as the page does.
import { spawn } from "node:child_process";
import { expect } from "vitest";

const appDir = new URL("..", import.meta.url).pathname;
/** The app's settings from the environment: a test gives the ones it means, never the ones of whoever runs it. */
const SETTINGS = [
  "TENCENTCLOUD_SECRET_ID",
  "TENCENTCLOUD_SECRET_KEY",
  "AUTHORIZE_MODULE",
  "BIND_CREDENTIALS_TO",
  "PUBLIC_URL",
  "REDIS_URL",
  "SUBMITS_PER_DAY",
];

/** A running `node server.js`. */
export interface AppProcess {
  /** Resolves when it says where it listens (`url`), or when it exits first (`code`). */
  readonly outcome: Promise<{ code: number | null; url?: string }>;
  /** All it wrote to stdout and stderr so far. */
  output(): string;
  /** Whether it is still running. */
  running(): boolean;
  /** Stops it (SIGTERM) and resolves once it has exited. */
  stop(): Promise<void>;
}

/** Starts `node server.js ...args` on a free port with only these of the app's settings in its environment. */
export function runServer(settings: Record<string, string>, args: readonly string[] = []): AppProcess {
  const env: Record<string, string | undefined> = { ...process.env, PORT: "0" };
  for (const name of SETTINGS) delete env[name];
  const child = spawn(process.execPath, ["server.js", ...args], { cwd: appDir, env: { ...env, ...settings } });
  let output = "";
  const running = () => child.exitCode === null && child.signalCode === null;
  const outcome = new Promise<{ code: number | null; url?: string }>((resolve) => {
    const listen = (chunk: Buffer) => {
      output += chunk;
      const url = /Open (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve({ code: null, url });
    };
    child.stdout.on("data", listen);
    child.stderr.on("data", listen);
    child.once("exit", (code) => resolve({ code }));
  });
  return {
    outcome,
    output: () => output,
    running,
    stop: () =>
      new Promise<void>((resolve) => {
        if (!running()) return resolve();
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
}

/** The stand-in sign-in as the page does it: JSON, from the app's own origin. Resolves to the session cookie. */
export async function signIn(url: string, name: string): Promise<string> {
  const answer = await fetch(new URL("/api/login", url), {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: new URL(url).origin },
    body: JSON.stringify({ name }),
  });
  expect(answer.status).toBe(200);
  return (answer.headers.get("set-cookie") ?? "").split(";")[0] as string;
}
