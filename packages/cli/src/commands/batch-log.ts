import type { BatchCounts, BatchEvent } from "@vclm/batch";
import { endStatus, say, showStatus } from "../status-line.js";
import { formatBytes } from "./download.js";

const seconds = (ms: number) => (ms < 90_000 ? `${Math.round(ms / 1000)}s` : `${Math.round(ms / 60_000)}m`);
/** On a log (not a terminal), the counts are written when nothing else was for this long, and they changed. */
const QUIET_FOR_MS = 30_000;
const OUTCOMES = new Set<BatchEvent["type"]>(["saved", "failed", "maybe-submitted", "lost", "refused", "error"]);
const PROBLEMS = new Set<BatchEvent["type"]>(["failed", "maybe-submitted", "lost", "refused", "error", "limit", "unrecorded", "stopped"]);

function countsLine(counts: BatchCounts, started: number, finishedThisRun: number): string {
  const left = counts.pending + counts.waiting + counts.running + counts.saving;
  const elapsed = Date.now() - started;
  const eta = finishedThisRun && left ? ` · about ${seconds((elapsed / finishedThisRun) * left)} left` : "";
  const problems = counts.failed + counts.refused + counts.error + counts.lost + counts["maybe-submitted"];
  return `${counts.saved} saved · ${counts.saving} saving · ${counts.running} running · ${counts.waiting} waiting · ${counts.pending} to submit${problems ? ` · ${problems} not saved` : ""}${eta}`;
}

function eventLine(event: BatchEvent): string {
  if (event.type === "limit") return `the account runs at most ${event.limit} jobs at once: keeping to that`;
  if (event.type === "stopped") return `no more photos are submitted this run: ${event.message}`;
  if (event.type === "unrecorded") return `${event.message}`;
  const job = event.JobId ? ` (job ${event.JobId})` : "";
  if (event.type === "saved") return `${event.name}: saved ${event.location}, ${formatBytes(event.bytes ?? 0)}${job}`;
  if (event.type === "submitted") return `${event.name}: submitted, job ${event.JobId}`;
  return `${event.name}: ${event.type}${job}${event.message ? `: ${event.message}` : ""}`;
}

/**
 * What a batch writes to stderr while it runs. On a terminal: one line of counts, rewritten in
 * place, and a line of its own for each problem. On a log: each job's JobId the moment it exists
 * (one line per photo), each problem, and the counts when nothing else was written for 30 s. `verbose`
 * writes every event; `quiet` only what must not be lost (a JobId the journal could not record,
 * why submitting stopped).
 */
export function batchLog({ quiet, verbose, journal }: { quiet: boolean; verbose: boolean; journal: string }) {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  const followed = new Set<string>();
  let finishedThisRun = 0;
  let counts: BatchCounts | undefined;
  let shown = ""; // the counts line on a terminal, or the last one written to a log
  let submitting: string | undefined; // the photo whose Submit is on its way (one at a time)
  const running = new Map<string, string>(); // photo -> JobId, from its Submit's answer to its outcome
  let unrecorded = false;
  let wrote = Date.now();
  const write = (line: string) => {
    wrote = Date.now();
    say(line);
  };
  const show = () => {
    if (!counts || quiet || (!tty && Date.now() - wrote < QUIET_FOR_MS)) return;
    const line = countsLine(counts, started, finishedThisRun);
    if (line === shown) return;
    if (tty) showStatus(line);
    else write(line);
    shown = line;
  };
  const ticker = setInterval(show, tty ? 1_000 : QUIET_FOR_MS / 3);
  ticker.unref();
  return {
    event(event: BatchEvent) {
      counts = event.counts;
      if (event.type === "submitting") submitting = event.name;
      else if (event.name === submitting) submitting = undefined;
      if (event.type === "submitted" && event.name && event.JobId) running.set(event.name, event.JobId);
      else if (event.name && OUTCOMES.has(event.type)) running.delete(event.name);
      if (event.type === "unrecorded") unrecorded = true;
      // The time left comes from jobs this run followed to their end, not those done before it.
      if (event.JobId && (event.type === "submitted" || event.type === "waiting" || event.type === "running")) followed.add(event.JobId);
      if ((event.type === "saved" || event.type === "failed") && event.JobId && followed.has(event.JobId)) finishedThisRun++;
      const mustSay = event.type === "unrecorded" || event.type === "stopped";
      if (verbose || mustSay || (!quiet && (PROBLEMS.has(event.type) || (!tty && event.type === "submitted")))) write(eventLine(event));
      if (tty) show();
    },
    /** A photo may have been submitted without its JobId being recorded: a Submit on its way, or a record the journal refused. */
    unsure: () => submitting !== undefined || unrecorded,
    stopping(signal: string) {
      write(
        `${signal === "SIGINT" ? "Ctrl-C" : signal}: stopping. No new photo is submitted; a Submit already sent is let finish so its JobId is recorded. What is done stays in ${journal}. (Again to leave at once.)`,
      );
    },
    forced(signal: string) {
      const jobs = [...running].map(([name, JobId]) => `${name}: job ${JobId}`).join(", ");
      write(
        `${signal === "SIGINT" ? "Ctrl-C" : signal} again: leaving now.${jobs ? ` Jobs paid for and not saved yet: ${jobs}.` : ""} Run the same command again to go on${submitting ? `; ${submitting}, whose Submit was on its way, is then reported as maybe submitted` : ""}.`,
      );
    },
    done() {
      clearInterval(ticker);
      endStatus();
    },
  };
}
