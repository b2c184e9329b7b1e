// `--redis URL`: the relay's store in Redis, so that several instances of this app share the users'
// quotas, the replay claims, the credential and job owners and the stand-in sign-in's sessions.
// Loaded only with --redis: without it, nothing here (nor ioredis) is imported.
import { fromIoredis, redisRelayStore } from "@vclm/redis";
import Redis, { ReplyError } from "ioredis";

/** How long a command may wait for Redis's answer: a hung Redis is refused, not waited for. */
const COMMAND_TIMEOUT_MS = 5_000;

/** A Redis URL as it may be shown in a log or an error: its password replaced by `***`. */
export function shownRedisUrl(url) {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || !/^rediss?:$/.test(parsed.protocol))
    throw new TypeError("--redis (REDIS_URL) must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379");
  if (parsed.password) parsed.password = "***";
  // ioredis also reads options from the query (?password=...): none of them is shown.
  if (parsed.search) parsed.search = "?***";
  return parsed.href;
}

/**
 * Connects to the Redis at `url`, and resolves to the relay's store in it once Redis answers; rejects,
 * naming Redis and the URL (never its password), when it does not. While Redis is unreachable, a call
 * to the store fails at once instead of waiting in a queue, so the app answers 503 (fails closed: no
 * Submit is forwarded without its quota taken); the log says when Redis goes away and when it is back.
 *
 * @param {string} url e.g. redis://127.0.0.1:6379, redis://:password@redis.internal:6379/2, rediss://... for TLS
 * @param {{ log?: (line: string) => void, connectTimeoutMs?: number }} [options]
 * @returns {Promise<{ store: import("@vclm/relay").RelayStore, shownUrl: string, close: () => Promise<void> }>}
 */
export async function connectRedisStore(url, { log = console.error, connectTimeoutMs = 5_000 } = {}) {
  const shownUrl = shownRedisUrl(url);
  const parsedUrl = new URL(url);
  // Every secret the URL may hold: its password, and any query value (ioredis reads ?password= too).
  const secrets = [decodeURIComponent(parsedUrl.password), ...parsedUrl.searchParams.values()].filter((secret) => secret.length >= 3);
  const scrub = (message) => secrets.reduce((text, secret) => text.replaceAll(secret, "***"), String(message));
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false, // refuse now rather than answer late: a browser is waiting
    maxRetriesPerRequest: 1,
    connectTimeout: connectTimeoutMs,
    commandTimeout: COMMAND_TIMEOUT_MS,
  });
  let started = false;
  let away = false;
  let lastError;
  // Without a listener, ioredis's 'error' event would end the process: here it is said once per outage.
  client.on("error", (error) => {
    lastError = error;
    if (!started || away) return;
    away = true;
    log(`Redis at ${shownUrl} is unreachable (${scrub(error.message)}): requests that need it are refused with 503 until it answers`);
  });
  client.on("ready", () => {
    if (away) log(`Redis at ${shownUrl} answers again`);
    away = false;
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new Error(
      `Redis at ${shownUrl} did not answer or refused the app (${scrub((lastError ?? error).message)}): check that it runs, and the URL and password --redis gives`,
    );
  }
  started = true;
  const command = fromIoredis(client);
  // Anything but Redis's own answer (an error reply: OOM, NOSCRIPT...) is the connection failing: said plainly,
  // not in ioredis's words, and without Redis's address, since the message reaches browsers in the 503.
  const send = async (args) => {
    if (client.status !== "ready") throw new Error("not connected");
    try {
      return await command(args);
    } catch (error) {
      if (error instanceof ReplyError) throw error;
      const timedOut = /timed out/i.test(String(error?.message));
      throw new Error(timedOut ? `no answer within ${COMMAND_TIMEOUT_MS} ms` : "not connected (the connection was lost)", { cause: error });
    }
  };
  return {
    store: redisRelayStore(send),
    shownUrl,
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
