import type { LogLevel, VclmLogEvent, VclmLogger } from "@vclm/core";
import { say } from "./status-line.js";

/** Fields a reader looks for that an event's `msg` does not say itself, in this order, with their names as the service spells them. */
const KEY_FIELDS = { requestId: "RequestId", code: "code" } as const;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
/** The local time of day, to the millisecond: what a reader lines up with other logs. */
const clock = (at: Date) => `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}`;

/**
 * One line of an event: the time, the level when it is more than debug or info, the event's `msg`,
 * then its key fields `msg` does not already say: `14:02:11.250 SubmitImageAnimateJob: 200 JobId
 * 1194931538865782784 in 84 ms · RequestId 6a3c…`. The events come scrubbed by `observe`.
 */
export function logLine(level: LogLevel, event: VclmLogEvent, at: Date = new Date()): string {
  const fields = Object.entries(KEY_FIELDS)
    .map(([field, name]) => [name, event[field]] as const)
    .filter(([, value]) => value !== undefined && value !== "" && !event.msg.includes(String(value)))
    .map(([name, value]) => ` · ${name} ${value}`)
    .join("");
  const shout = level === "warn" || level === "error" ? `${level.toUpperCase()} ` : "";
  return `${clock(at)} ${shout}${event.msg}${fields}`;
}

/**
 * The logger `--verbose` installs with `observe`: each call (its HTTP status, RequestId, time and
 * attempts), each retry decision and each status change of a job, one readable line on stderr.
 * Events of the kinds in `skip` are left out: a batch says its photos' statuses in its own lines.
 */
export function verboseLogger({ skip = [] }: { skip?: readonly string[] } = {}): VclmLogger {
  const at = (level: LogLevel) => (event: VclmLogEvent) => {
    if (!skip.includes(event.event)) say(logLine(level, event));
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
