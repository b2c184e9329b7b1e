// The bench's world, all of it on this machine: a real redis-server, the emulator over loopback HTTP
// behind a proxy that logs every API call as the service would count it, child processes that talk
// to both, a Redis command function that counts and times each round trip, and markdown tables.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { startEmulator } from "@vclm/emulator/node";
import { startRedisServer } from "@vclm/tools/redis-server";
import Redis from "ioredis";

/** The tests' redis-server (@vclm/tools/redis-server: loopback, a free port, AOF with `appendfsync always`), with an admin connection. */
export async function startRedis() {
  const server = await startRedisServer();
  const { url } = server;
  const admin = new Redis(url);
  return {
    url,
    admin,
    /** Each command's calls and server time (µs) so far, from INFO commandstats, and the commands run (scripts' own included). */
    async stats() {
      const text = await admin.info("all");
      const commands = {};
      for (const [, name, calls, usec] of text.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm))
        commands[name] = { calls: Number(calls), usec: Number(usec) };
      const processed = Number(/^total_commands_processed:(\d+)/m.exec(text)?.[1]);
      return { commands, processed };
    },
    version: async () => /^redis_version:(\S+)/m.exec(await admin.info("server"))?.[1],
    async stop() {
      admin.disconnect();
      await server.stop();
    },
  };
}

/** What the server did between two `stats()`: script calls (each one round trip), other commands, and all it ran. */
export function serverDelta(before, after) {
  const delta = (name, field) => (after.commands[name]?.[field] ?? 0) - (before.commands[name]?.[field] ?? 0);
  const scripts = delta("evalsha", "calls") + delta("eval", "calls");
  const scriptUsec = delta("evalsha", "usec") + delta("eval", "usec");
  // The two INFO calls that measure are not the batch's.
  return { scripts, scriptUsec, processed: after.processed - before.processed - 1 };
}

/**
 * The emulator (real clock) behind a proxy that logs each API call: its action, when it arrived
 * (wall clock, as the service counts its per-second limit) and the error code it was answered with.
 */
export async function startService(options) {
  const emulator = await startEmulator({ photoVideos: false, ...options });
  const calls = [];
  const proxy = createServer(async (request, response) => {
    const action = request.headers["x-tc-action"];
    const call = typeof action === "string" ? { action, at: Date.now(), code: undefined } : undefined;
    if (call) calls.push(call);
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    try {
      const answer = await fetch(new URL(request.url ?? "/", emulator.url), {
        method: request.method ?? "GET",
        headers: Object.entries(request.headers).flatMap(([name, value]) =>
          typeof value === "string" && name !== "host" && name !== "connection" ? [[name, value]] : [],
        ),
        ...(chunks.length && { body: Buffer.concat(chunks) }),
      });
      const body = Buffer.from(await answer.arrayBuffer());
      if (call) call.code = /"Error":\{"Code":"([^"]+)"/.exec(body.toString("utf8", 0, 200))?.[1];
      response.writeHead(answer.status, Object.fromEntries(answer.headers));
      response.end(body);
    } catch {
      response.destroy();
    }
  });
  await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${proxy.address().port}/`,
    emulator: emulator.emulator,
    calls,
    async close() {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
      await emulator.close();
    },
  };
}

/** Calls in each second of the wall clock (the service's windows), from their times (ms). */
export function perSecond(times) {
  const counts = new Map();
  for (const at of times) counts.set(Math.floor(at / 1000), (counts.get(Math.floor(at / 1000)) ?? 0) + 1);
  return [...counts.values()];
}

/**
 * A Redis command function that counts and times each round trip (from the call to the answer, as
 * the caller waits for it), by what it is for. Each script call (EVALSHA, or EVAL after NOSCRIPT)
 * is one round trip.
 */
export function countingCommand(command, { leaseMs }) {
  const calls = [];
  const counted = async (args) => {
    const start = performance.now();
    let noScript = false;
    let error;
    try {
      return await command(args);
    } catch (caught) {
      noScript = /NOSCRIPT/.test(String(caught?.message));
      if (!noScript) error = String(caught?.message ?? caught);
      throw caught;
    } finally {
      calls.push({
        kind: noScript ? "EVALSHA refused NOSCRIPT (a script's first use), then EVAL" : kindOf(args, leaseMs),
        ms: performance.now() - start,
        ...(error && { error }),
      });
    }
  };
  return { command: counted, calls };
}

/** What a call to Redis is for, from the keys and arguments @vclm/redis sends (see its src). */
function kindOf([name, ...rest], leaseMs) {
  const command = name.toUpperCase();
  if (command !== "EVALSHA" && command !== "EVAL") {
    if (command === "SET" && rest[0]?.includes(":alive:")) return "journal: heartbeat (SET)";
    if (command === "ZREM") return "limits: release a slot (ZREM)";
    if (command === "LRANGE") return "journal: read (LRANGE)";
    if (command === "DEL") return "journal: close (DEL)";
    return `other: ${command}`;
  }
  const count = Number(rest[1]);
  const keys = rest.slice(2, 2 + count);
  const argv = rest.slice(2 + count);
  const [first = ""] = keys;
  const rate = /:rate:(\w+)$/.exec(first);
  if (count === 1 && rate) return `limits: pace ${rate[1].replace("ImageAnimateJob", "")}`;
  if (count === 2 && first.endsWith(":slots"))
    return argv[1] === String(leaseMs) ? "limits: acquire a slot" : "limits: refused (learn the limit)";
  if (count === 1 && first.endsWith(":slots")) return "limits: hold / renew slots";
  // The journal's scripts: keys [log, state] (CLAIM has one argument more than APPEND); [state] alone: LOOK or TAKE_OVER.
  if (count === 2 && first.endsWith(":log")) return argv.length === 7 ? "journal: claim (intent)" : `journal: append ${argv[1]}`;
  if (count === 1 && first.endsWith(":state")) return argv[0]?.includes(":alive:") ? "journal: look" : "journal: take over";
  return `other: a script with ${count} keys`;
}

/** Starts `script` as a child process with IPC; resolves its messages as they come. */
export function child(script, env) {
  const process_ = spawn(process.execPath, [new URL(script, import.meta.url).pathname], {
    cwd: new URL("..", import.meta.url).pathname,
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const messages = [];
  const waiting = [];
  process_.on("message", (message) => (waiting.length ? waiting.shift()(message) : messages.push(message)));
  // "close", not "exit": a process may exit before its last message is read.
  const exited = new Promise((resolve) => process_.once("close", (code, signal) => resolve({ code, signal })));
  return {
    process: process_,
    send: (message) => process_.send(message),
    /** The next message; rejects if the child exits first. */
    next: () =>
      messages.length
        ? Promise.resolve(messages.shift())
        : Promise.race([
            new Promise((resolve) => waiting.push(resolve)),
            exited.then(({ code, signal }) => Promise.reject(new Error(`${script} exited (${signal ?? code}) before it answered`))),
          ]),
    exited,
  };
}

export const sum = (values) => values.reduce((total, value) => total + value, 0);

/** The value at quantile `q` (0..1) of `values`, by the nearest rank. */
export function quantile(values, q) {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** A markdown table of rows (objects with the same keys). */
export function markdown(rows) {
  const columns = Object.keys(rows[0]);
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(columns), line(columns.map(() => "---")), ...rows.map((row) => line(columns.map((column) => String(row[column]))))].join(
    "\n",
  );
}

/** `value` with `digits` decimals, or "-" for none. */
export const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "-");

/** JSON as the repo's formatter writes it (2 spaces; an array of plain values on one line when it fits in 140 columns). */
export function toJson(value) {
  const text = JSON.stringify(value, null, 2).replace(
    /^( *)(.*)\[\n((?: *(?:"(?:[^"\\\n]|\\.)*"|-?\d[\d.eE+-]*|true|false|null),?\n)+) *\]/gm,
    (whole, indent, head, items) => {
      const line = `${indent}${head}[${items
        .split("\n")
        .filter(Boolean)
        .map((item) => item.trim())
        .join(" ")}]`;
      return line.length < 140 ? line : whole;
    },
  );
  return `${text}\n`;
}
