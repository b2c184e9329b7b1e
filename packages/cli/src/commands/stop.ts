import type { Args } from "../args.js";
import { type JobState, whatIsLeft, whatIsLeftNow } from "./left.js";

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type Signal = keyof typeof EXIT_CODES;
const nameOf = (signal: Signal) => (signal === "SIGINT" ? "Ctrl-C" : signal);
/** On a terminal, the ^C the terminal echoed (or a progress line) is not ended: end it first. */
const newLine = () => (process.stderr.isTTY ? "\n" : "");

/** A single-job command stopped by Ctrl-C or SIGTERM: its message says what was left; main exits with `exitCode`. */
export class StoppedError extends Error {
  override name = "StoppedError";
  readonly exitCode: number;
  readonly jobId: string | undefined;

  constructor(message: string, exitCode: number, jobId: string | undefined) {
    super(message);
    this.exitCode = exitCode;
    this.jobId = jobId;
  }
}

/**
 * Ctrl-C and SIGTERM for one job, stopping the way that loses nothing: a Submit on its way is let
 * finish (its JobId is what picks the job up), then the command stops and says what is left and
 * the command that picks it up. A second one leaves at once, saying the same.
 */
export function stopOnSignals(state: JobState, args: Args) {
  const controller = new AbortController();
  let received: Signal | undefined;
  let phaseThen: JobState["phase"] = state.phase;
  const handler = (signal: Signal) => () => {
    if (received) {
      // At once: a second Ctrl-C must leave now, so what a cut download kept is not looked up.
      const left = whatIsLeftNow(state, args);
      process.stderr.write(`${newLine()}vclm: ${nameOf(signal)} again: leaving now. ${left}\n`);
      process.exit(state.phase === "submitting" ? 3 : EXIT_CODES[signal]);
    }
    received = signal;
    phaseThen = state.phase;
    if (state.phase === "submitting")
      process.stderr.write(
        `${newLine()}${nameOf(signal)}: the Submit is on its way: waiting for its answer, so the job's JobId is not lost. (${nameOf(signal)} again to leave at once.)\n`,
      );
    controller.abort(new Error(signal === "SIGINT" ? "interrupted (Ctrl-C)" : "SIGTERM"));
  };
  const handlers = { SIGINT: handler("SIGINT"), SIGTERM: handler("SIGTERM") };
  for (const name of ["SIGINT", "SIGTERM"] as const) process.on(name, handlers[name]);
  return {
    signal: controller.signal,
    /** After a Ctrl-C: the error that says what was left (whatever else failed on the way out). */
    async stopped(): Promise<StoppedError | undefined> {
      if (!received) return undefined;
      const doing = { before: "before submitting", submitting: "after the Submit", waiting: "waiting", saving: "saving the video" }[
        phaseThen
      ];
      return new StoppedError(`${nameOf(received)}: stopped ${doing}. ${await whatIsLeft(state, args)}`, EXIT_CODES[received], state.JobId);
    },
    remove() {
      for (const name of ["SIGINT", "SIGTERM"] as const) process.off(name, handlers[name]);
    },
  };
}
