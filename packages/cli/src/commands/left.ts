import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { DEFAULT_REGION } from "../animate/connect.js";
import type { Args } from "../args.js";
import { formatBytes } from "./download.js";

/**
 * What a single-job command (animate one photo, submit, wait) has done so far: what an error or
 * Ctrl-C must say was left, and how to pick it up. The command moves it along; main reads it.
 */
export interface JobState {
  /** before: nothing sent yet; submitting: a Submit is on its way; waiting, saving: the job exists. */
  phase: "before" | "submitting" | "waiting" | "saving";
  JobId?: string;
  /** The file the video goes to, if any. */
  out?: string;
  /** When saving began (ms): a `.part` file changed since then is this command's. */
  savingSince?: number;
}

/** A word for the shell as it is, quoted only when it must be. */
const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);

/** The command that picks a job up again: `vclm wait JOBID`, with the options it needs to find the job and save its video. */
export function resumeCommand(JobId: string, args: Args, out: string | undefined): string {
  const options = [
    ...(out ? ["--out", out] : []),
    ...(args.endpoint ? ["--endpoint", args.endpoint] : []),
    ...(args.region !== DEFAULT_REGION ? ["--region", args.region] : []),
  ];
  return ["vclm", "wait", JobId, ...options].map(shellWord).join(" ");
}

/** Said wherever the embedded emulator held the job: nothing can pick it up later. */
export const EMULATOR_JOBS_END = "the embedded emulator ends with this command, and its jobs with it (nothing is paid for with --emulator)";

/** The `.part` files in the video's folder changed since saving began: what a cut download kept. */
async function partsKept(out: string, since: number): Promise<{ path: string; bytes: number }[]> {
  const folder = dirname(resolve(out));
  const names = (await readdir(folder).catch(() => [])).filter((name) => name.startsWith(".vclm-") && name.endsWith(".part"));
  const parts = await Promise.all(
    names.map(async (name) => {
      const info = await stat(join(folder, name)).catch(() => undefined);
      return info && info.mtimeMs >= since - 1_000 ? { path: join(folder, name), bytes: info.size } : undefined;
    }),
  );
  return parts.filter((part) => part !== undefined);
}

/**
 * What is left of the job, and how to pick it up: the sentence after "stopped" (Ctrl-C) or after
 * an error. `kept` says what a cut download left, when known.
 */
export function whatIsLeftNow(state: JobState, args: Args, kept?: string): string {
  const { JobId } = state;
  if (state.phase === "before") return "Nothing was submitted: nothing is paid for.";
  if (state.phase === "submitting" || !JobId)
    return "A Submit was on its way: the job may exist and be paid for, with its JobId unknown. Check the account's jobs before submitting this photo again.";
  if (args.emulator) return `Job ${JobId} is gone: ${EMULATOR_JOBS_END}.`;
  const resume = resumeCommand(JobId, args, state.out);
  if (state.phase === "waiting") return `Job ${JobId} may still finish (it is paid for): pick it up with: ${resume}`;
  return `Job ${JobId} is done${kept ? `; ${kept}` : ""}. Its video stays at the service for 24 hours after the job is done: get it with: ${resume}`;
}

/** {@link whatIsLeftNow}, naming the `.part` file a cut download left (or saying nothing was saved). */
export async function whatIsLeft(state: JobState, args: Args): Promise<string> {
  if (state.phase !== "saving" || !state.out || args.emulator) return whatIsLeftNow(state, args);
  const [part] = await partsKept(state.out, state.savingSince ?? 0);
  return whatIsLeftNow(
    state,
    args,
    !part
      ? "nothing of its video was saved"
      : // A part named with no validator (the server gave no ETag or Last-Modified) is never resumed.
        /^\.vclm-[^.]+\.part$/.test(basename(part.path))
        ? `${formatBytes(part.bytes)} of its video was kept in ${part.path}, but cannot be resumed (the server names no version of the video): the command below downloads it again`
        : `${formatBytes(part.bytes)} of its video was kept in ${part.path}, and the command below goes on from there`,
  );
}
