/**
 * The emulator as a Node HTTP server, with state that survives a restart when given a data
 * directory. Dropped-connection scenarios close the socket, as a network would.
 *
 * @example
 * ```ts
 * import { startEmulator } from "@vclm/emulator/node";
 *
 * const { url, emulator, close } = await startEmulator({ port: 0, clock: "manual" });
 * ```
 *
 * @packageDocumentation
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { DroppedConnection } from "./dropped.js";
import { createEmulator, type Emulator, type EmulatorOptions, type EmulatorState } from "./emulator.js";

export * from "./index.js";

/**
 * Where and how to serve.
 *
 * @example
 * ```ts
 * const options: StartEmulatorOptions = { port: 8080, dataDir: ".vclm-emulator", cors: true };
 * ```
 */
export interface StartEmulatorOptions extends Omit<EmulatorOptions, "onChange"> {
  /** @default 0 (any free port) */
  readonly port?: number;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** Keep jobs and temporary credentials in this directory (state.json) across restarts. */
  readonly dataDir?: string;
}

/**
 * A running emulator.
 *
 * @example
 * ```ts
 * const running: RunningEmulator = await startEmulator();
 * console.log(running.url);
 * await running.close();
 * ```
 */
export interface RunningEmulator {
  /** The base URL, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  readonly emulator: Emulator;
  /** Stops serving and writes the state. */
  close(): Promise<void>;
}

/**
 * Starts an emulator on Node's HTTP server.
 *
 * @example
 * ```ts
 * const { url, close } = await startEmulator({ port: 8080 });
 * ```
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const { port = 0, host = "127.0.0.1", dataDir, ...emulatorOptions } = options;
  const file = dataDir ? join(dataDir, "state.json") : undefined;
  let writeTimer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    if (!file) return;
    clearTimeout(writeTimer);
    writeTimer = undefined;
    // It holds temporary secret keys and tokens: only the owner may read it.
    mkdirSync(dataDir as string, { recursive: true, mode: 0o700 });
    writeFileSync(`${file}.tmp`, JSON.stringify(emulator.snapshot()), { mode: 0o600 });
    renameSync(`${file}.tmp`, file); // never a half-written state
  };
  const emulator = createEmulator({
    ...emulatorOptions,
    // Issued credentials are on disk before the answer leaves; jobs are written within 100 ms (a
    // whole snapshot per Submit would cost 22 ms at 10,000 jobs).
    onChange: ({ credentials }) => {
      if (credentials) save();
      else writeTimer ??= setTimeout(save, 100);
    },
  });
  if (file) {
    try {
      emulator.restore(JSON.parse(readFileSync(file, "utf8")) as EmulatorState);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }

  const server = createServer((request, response) => {
    handle(emulator, request, response).catch((error: unknown) => {
      if (error instanceof DroppedConnection) request.socket.destroy();
      else if (!response.headersSent) response.writeHead(500, { "Content-Type": "text/plain" }).end(String(error));
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}/`;
  return {
    url,
    emulator,
    close: () =>
      new Promise<void>((resolve) => {
        save();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(emulator: Emulator, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = `http://${request.headers.host ?? "127.0.0.1"}${request.url ?? "/"}`;
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const answer = await emulator.fetch(
    new Request(url, {
      method: request.method ?? "GET",
      headers,
      body: hasBody ? (request as unknown as ReadableStream) : null,
      // @ts-expect-error Node's fetch needs duplex for a streamed request body.
      duplex: "half",
    }),
    { remoteAddress: request.socket.remoteAddress },
  );
  response.writeHead(answer.status, Object.fromEntries(answer.headers));
  response.end(answer.body ? Buffer.from(await answer.arrayBuffer()) : undefined);
}
