import type { JournalRecord, SharedJournal, SharedPhoto } from "@vclm/batch";
import type { RedisCommand } from "./command.js";
import { luaScript } from "./script.js";

// A batch's journal, shared by every process that works its photo list: its whole history (a list),
// and one hash with each photo's phase, holder and records (fields p:, h: and r: and the photo's
// key). Every step is one script that checks the photo's phase and holder and writes both, so two
// processes never both claim a photo's Submit. Both keys' TTL is renewed by each write: a journal
// lives (whole) until `ttlMs` after its last write. A process is alive while its heartbeat key is
// (renewed every third of `aliveMs`, deleted by close).
const WRITE = `
local photo = ARGV[6]
local function write(record, phase, holder)
  redis.call('RPUSH', KEYS[1], record)
  local kept = redis.call('HGET', KEYS[2], 'r:' .. photo)
  redis.call('HSET', KEYS[2], 'p:' .. photo, phase, 'r:' .. photo, kept and (kept .. '\\n' .. record) or record)
  if holder then redis.call('HSET', KEYS[2], 'h:' .. photo, holder) else redis.call('HDEL', KEYS[2], 'h:' .. photo) end
  for i = 1, 2 do redis.call('PEXPIRE', KEYS[i], ARGV[4]) end
end
local phase = redis.call('HGET', KEYS[2], 'p:' .. photo) or 'new'
local holder = redis.call('HGET', KEYS[2], 'h:' .. photo)
local function alive(name) return name and redis.call('EXISTS', ARGV[5] .. name) == 1 end
`;
// KEYS: log, state. ARGV: record, type, holder, ttl, alive prefix, photo.
const APPEND = luaScript(`${WRITE}
local kind, me = ARGV[2], ARGV[3]
if kind == 'not-submitted' then
  -- Only the process whose Submit it was says it made no job (another may hold the photo now).
  if holder ~= me then return 0 end
  write(ARGV[1], 'new', false)
elseif kind == 'intent' or kind == 'submitted' then
  write(ARGV[1], kind == 'intent' and 'unsure' or 'submitted', me)
else
  write(ARGV[1], kind, holder)
end
return 1`);
// As APPEND, for an intent: only when nobody holds the photo. ARGV[7]: the holder of an intent
// to claim over, if that holder is gone (an intent seen when the run began, to submit again).
const CLAIM = luaScript(`${WRITE}
local me = ARGV[3]
if phase == 'unsure' and holder == me then return 1 end -- this claim, sent again after a lost answer
if phase ~= 'new' and not (phase == 'unsure' and ARGV[7] ~= '' and holder == ARGV[7] and not alive(holder)) then return 0 end
write(ARGV[1], 'unsure', me)
return 1`);
// KEYS: state. ARGV: holder, alive prefix, photo.
const TAKE_OVER = luaScript(`
local phase = redis.call('HGET', KEYS[1], 'p:' .. ARGV[3])
local holder = redis.call('HGET', KEYS[1], 'h:' .. ARGV[3])
if phase ~= 'submitted' then return 0 end
if holder == ARGV[1] then return 1 end
if holder and redis.call('EXISTS', ARGV[2] .. holder) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'h:' .. ARGV[3], ARGV[1])
return 1`);
// KEYS: state. ARGV: alive prefix, photos... Each photo: { holder or '', alive, its records, one a line }.
const LOOK = luaScript(`
local out = {}
for i = 2, #ARGV do
  local holder = redis.call('HGET', KEYS[1], 'h:' .. ARGV[i])
  local alive = holder and redis.call('EXISTS', ARGV[1] .. holder) or 0
  out[i - 1] = { holder or '', alive, redis.call('HGET', KEYS[1], 'r:' .. ARGV[i]) or '' }
end
return out`);

/**
 * How {@link redisJournal} keeps a batch's journal.
 *
 * @example
 * ```ts
 * const options: RedisJournalOptions = { ttlMs: 90 * 86_400_000, aliveMs: 30_000 };
 * ```
 */
export interface RedisJournalOptions {
  /** Put before every key. @default "vclm:journal:" */
  readonly prefix?: string;
  /**
   * How long the journal is kept after its last write. A batch run again after its journal is gone
   * submits its photos again (and pays again): keep it as long as you may rerun it. @default 2_592_000_000 (30 days)
   */
  readonly ttlMs?: number;
  /**
   * How long a process that stops renewing its heartbeat (killed, frozen, cut off from Redis) is
   * still taken as alive: after this, its jobs are taken over and its Submit in flight is
   * `maybe-submitted` for everyone. @default 15_000
   */
  readonly aliveMs?: number;
  /**
   * Names this process in claims and reports (a host name, a pod's name). A random part is added
   * to it: two processes given one name are still two holders. @default "process"
   */
  readonly holder?: string;
}

/**
 * The Redis journal could not do what was asked: Redis did not answer, or answered with an error.
 * The batch does not take the step the record was for (no Submit without its intent recorded).
 *
 * @example
 * ```ts
 * const gone = (error: unknown) => error instanceof RedisJournalError;
 * ```
 */
export class RedisJournalError extends Error {
  override name = "RedisJournalError";
}

const MAX_PER_LOOK = 500;

/** What a record says, for an error: "record the intent to submit alice.jpg", "record job 1194931538865782784"... */
const recordOf = (record: JournalRecord): string =>
  record.type === "intent"
    ? `record the intent to submit ${record.name}`
    : record.type === "not-submitted"
      ? `record that photo ${record.key} made no job`
      : `record job ${record.JobId} (${record.type}) for photo ${record.key}`;

/**
 * A batch's journal in Redis (or Valkey), which many processes on many machines work from at once:
 * give each the same `name` and the whole photo list (in any order). Each photo's Submit is claimed
 * with compare-and-set before it is sent, so exactly one process pays for it; that process waits
 * for the job and saves the video; if it stops, another takes its job over, and a Submit it had in
 * flight is `maybe-submitted` for every process (never sent again unless asked). Every write is
 * durable as Redis makes it: run Redis with `appendonly yes` and `appendfsync always`, or a crash of
 * Redis may forget a claim or a JobId (and a photo be paid twice). `close()` stops this process's
 * heartbeat, so the others take over at once what it holds.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 * import Redis from "ioredis";
 * import { animateMany } from "@vclm/batch";
 * import { saveToDirectory } from "@vclm/batch/node";
 * import { fromIoredis, redisAccountLimits, redisJournal } from "@vclm/redis";
 *
 * const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
 * const command = fromIoredis(redis);
 * const client = new VclmClient({ region: "ap-singapore" });
 * const photos = ["alice.jpg", "bob.jpg"].map((name) => ({ name, photo: () => readFile(name) }));
 * const journal = await redisJournal(command, "holiday-photos");
 * try {
 *   const limits = redisAccountLimits(command, { account: "100000000001" });
 *   await animateMany(client, photos, { journal, limits, ...(await saveToDirectory("out")) });
 * } finally {
 *   await journal.close();
 *   redis.disconnect();
 * }
 * ```
 */
export async function redisJournal(
  command: RedisCommand,
  name: string,
  options: RedisJournalOptions = {},
): Promise<SharedJournal & { close(): Promise<void> }> {
  const { prefix = "vclm:journal:", ttlMs = 30 * 86_400_000, aliveMs = 15_000 } = options;
  // Unique whatever it is named: a claim is known as this process's own (sent again after a lost
  // answer) by its holder, so two processes must never share one.
  const holder = `${options.holder ?? "process"}-${crypto.randomUUID().slice(0, 8)}`;
  // One hash tag: every key of a journal is in one slot of a Redis Cluster, as its scripts need.
  const base = `${prefix}{${name}}:`;
  const alivePrefix = `${base}alive:`;
  const keys = [`${base}log`, `${base}state`];
  const send = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw new RedisJournalError(
        `Redis did not ${what} (shared journal "${name}"): ${(error as Error)?.message ?? error}; no step is taken without its record`,
        { cause: error },
      );
    }
  };
  const beat = () => send("keep this process alive", () => command(["SET", alivePrefix + holder, "1", "PX", String(aliveMs)]));
  await beat();
  const heartbeat = setInterval(() => beat().catch(() => {}), Math.max(1, Math.floor(aliveMs / 3)));
  (heartbeat as { unref?: () => void }).unref?.();
  let closed = false;
  const write = (script: typeof APPEND, record: JournalRecord, extra: (string | number)[] = []) =>
    send(recordOf(record), () =>
      script(command, keys, [JSON.stringify(record), record.type, holder, ttlMs, alivePrefix, record.key, ...extra]),
    );
  return {
    holder,
    heartbeatMs: Math.max(1, Math.floor(aliveMs / 3)),
    async read() {
      const lines = (await send("read the records", () => command(["LRANGE", `${base}log`, "0", "-1"]))) as string[];
      return lines.map((line) => JSON.parse(line) as JournalRecord);
    },
    async append(record) {
      await write(APPEND, record);
    },
    async claim(intent, { over = "" } = {}) {
      return (await write(CLAIM, intent, [over])) === 1;
    },
    async look(keys) {
      const looks = new Map<string, SharedPhoto>();
      for (let at = 0; at < keys.length; at += MAX_PER_LOOK) {
        const part = keys.slice(at, at + MAX_PER_LOOK);
        const answer = (await send("read the photos", () => LOOK(command, [`${base}state`], [alivePrefix, ...part]))) as [
          string,
          number,
          string,
        ][];
        part.forEach((key, i) => {
          const [who, alive, lines] = answer[i] as [string, number, string];
          const records = lines ? lines.split("\n").map((line) => JSON.parse(line) as JournalRecord) : [];
          looks.set(key, { records, holder: who || undefined, alive: alive === 1 });
        });
      }
      return looks;
    },
    async takeOver(key) {
      return (await send("hand a job over", () => TAKE_OVER(command, [`${base}state`], [holder, alivePrefix, key]))) === 1;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      await send("let go of this process's photos", () => command(["DEL", alivePrefix + holder]));
    },
  };
}
