import { basename, extname } from "node:path";
import {
  DescribeImageAnimateJob,
  isServiceError,
  isVclmError,
  SubmitImageAnimateJob,
  type VclmClient,
  type VclmServiceError,
} from "@vclm/core";
import { type JobAnswer, JobFailedError, WaitInterruptedError, WaitTimeoutError, waitForJob } from "@vclm/poller";
import type { Args } from "../args.js";
import { nextStep } from "../next-step.js";
import { progress } from "../progress.js";
import { UsageError } from "../usage.js";
import { batchCommand, isBatch } from "./batch.js";
import { checkOut, download, formatBytes, freeName } from "./download.js";
import { EMULATOR_JOBS_END, type JobState, resumeCommand } from "./left.js";
import { readPhoto } from "./photo.js";
import { stopOnSignals } from "./stop.js";

export interface Output {
  text: string;
  json: Record<string, unknown>;
  /** @default 0 */
  exitCode?: number;
}

const jobIdOf = (args: Args) => {
  const JobId = args.operands[0];
  if (!JobId || !/^\d+$/.test(JobId))
    throw new UsageError(`give the JobId, a number such as 1194931538865782784${JobId ? `, not "${JobId}"` : ""}`);
  return JobId;
};

/** A JobId the service does not know: a mistake in the call (the JobId, the region, the account), not a job that may finish. */
function notFound(JobId: string, args: Args, error: VclmServiceError): UsageError {
  const answer = `${error.code}${error.requestId ? `, RequestId ${error.requestId}` : ""}`;
  return new UsageError(
    args.emulator
      ? `job ${JobId} does not exist in the embedded emulator (${answer}): it starts empty each time, and knows only the jobs submitted in the same command.`
      : `job ${JobId} does not exist in this account and region (${args.region}${args.endpoint ? ` at ${args.endpoint}` : ""}; ${answer}). Check the JobId, and that the credentials and --region are those it was submitted with.`,
  );
}

async function submit(client: VclmClient, args: Args, state: JobState, photo?: Uint8Array): Promise<string> {
  const source = args.imageUrl ? { ImageUrl: args.imageUrl } : { photo: photo ?? (await readPhoto(args.operands[0])).photo };
  // The embedded emulator makes its video from a photo it is sent, and does not fetch URLs.
  if (args.imageUrl && args.emulator)
    process.stderr.write("note: the embedded emulator does not fetch --image-url photos: this video is its test pattern, not your photo\n");
  state.phase = "submitting";
  const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: args.template, ...source });
  Object.assign(state, { phase: "waiting", JobId });
  return JobId;
}

/** Says the JobId the moment it exists, on stderr, whatever the output mode: the job is paid for. */
function announce(state: JobState & { JobId: string }, args: Args): void {
  process.stderr.write(
    args.emulator
      ? `job ${state.JobId} submitted; ${EMULATOR_JOBS_END}\n`
      : `job ${state.JobId} submitted; if this stops, pick it up with: ${resumeCommand(state.JobId, args, state.out)}\n`,
  );
}

/**
 * Waits for a job. After this command's own Submit, every error it ends with carries the JobId
 * and says the job may still finish; a JobId given to `vclm wait` that the service does not know
 * is a mistake in the call.
 */
async function wait(
  client: VclmClient,
  JobId: string,
  args: Args,
  { submitted, signal }: { submitted: boolean; signal: AbortSignal },
): Promise<JobAnswer> {
  const line = progress(!args.json);
  const started = Date.now();
  // A ticking clock on a terminal; elsewhere (logs, CI), one line per change of status.
  const timer = process.stderr.isTTY
    ? setInterval(() => line.update(`job ${JobId}: ${status} ${Math.round((Date.now() - started) / 1000)}s`), 1000)
    : undefined;
  let status = "WAIT";
  try {
    let lastProblem = "";
    return await waitForJob(client, JobId, {
      signal,
      // A check that fails is tried again until the wait's end: say so (once per new problem), not nothing.
      onCheckFailed: (error) => {
        // The first sentence, without @vclm/retry's "(gave up after N attempts)": the wait goes on.
        const said = (error instanceof Error ? error.message : String(error)).replace(/ \(gave up after [^)]*\)/, "");
        const problem = (said.split(/(?<=\.) /)[0] ?? "").replace(/([^.])$/, "$1.");
        if (problem === lastProblem) return;
        lastProblem = problem;
        const next = nextStep(error, args);
        line.update(`job ${JobId}: cannot check it: ${problem} Trying again; the job itself is not affected.${next ? ` ${next}` : ""}`);
      },
      onProgress: (job) => {
        lastProblem = "";
        status = job.Status;
        line.update(
          process.stderr.isTTY ? `job ${JobId}: ${status} ${Math.round((Date.now() - started) / 1000)}s` : `job ${JobId}: ${status}`,
        );
      },
    });
  } catch (error) {
    if (isVclmError(error, JobFailedError) || isVclmError(error, WaitTimeoutError) || signal.aborted) throw error;
    if (!submitted && isServiceError(error, "FailedOperation.JobNotFound")) throw notFound(JobId, args, error);
    throw submitted ? new WaitInterruptedError(JobId, error) : error;
  } finally {
    clearInterval(timer);
    line.done();
  }
}

/** The video's file: --out, or `<photo>-<template>.mp4`, then `-2`, `-3`... when that is taken (said on stderr). */
async function outOf(args: Args): Promise<{ out: string; chosen: boolean }> {
  if (args.out) return { out: args.out, chosen: false };
  const photoPath = args.operands[0];
  const name = `${photoPath ? basename(photoPath, extname(photoPath)) : "dance"}-${args.template}.mp4`;
  const out = args.force ? name : await freeName(name);
  if (out !== name) process.stderr.write(`note: ${name} exists: this video goes to ${out} (--out names the file)\n`);
  return { out, chosen: true };
}

export async function animateCommand(client: VclmClient, args: Args, state: JobState): Promise<Output> {
  if (await isBatch(args)) return batchCommand(client, args);
  if (!args.operands[0] && !args.imageUrl)
    throw new UsageError("give the photo: vclm animate <photo.jpg> [--template ke3] [--out dance.mp4]");
  const { out, chosen } = await outOf(args);
  state.out = out;
  await checkOut(out, args.force); // before paying for a job whose video could not be saved
  const stop = stopOnSignals(state, args);
  try {
    const photo = args.imageUrl ? undefined : (await readPhoto(args.operands[0])).photo;
    if (stop.signal.aborted) throw await stop.stopped();
    const JobId = await submit(client, args, state, photo);
    announce({ ...state, JobId }, args);
    if (stop.signal.aborted) throw await stop.stopped(); // Ctrl-C while the Submit was on its way
    const done = await wait(client, JobId, args, { submitted: true, signal: stop.signal });
    Object.assign(state, { phase: "saving", savingSince: Date.now() });
    const saved = await download(done.ResultVideoUrl, out, { force: args.force, chosen, signal: stop.signal });
    return {
      text: `Saved ${saved.path} (${formatBytes(saved.bytes)}, job ${JobId}, template ${args.template}).`,
      json: { JobId, Status: done.Status, ResultVideoUrl: done.ResultVideoUrl, file: saved.path, bytes: saved.bytes },
    };
  } catch (error) {
    // Stopped by Ctrl-C: what was left says more than the abort did. A Submit that failed says its own.
    throw (state.phase !== "submitting" && (await stop.stopped())) || error;
  } finally {
    stop.remove();
  }
}

export async function submitCommand(client: VclmClient, args: Args, state: JobState): Promise<Output> {
  if (!args.operands[0] && !args.imageUrl) throw new UsageError("give the photo: vclm submit <photo.jpg> (or --image-url URL)");
  const photo = args.imageUrl ? undefined : (await readPhoto(args.operands[0])).photo;
  const stop = stopOnSignals(state, args);
  try {
    const JobId = await submit(client, args, state, photo);
    // Ctrl-C while the Submit was on its way: the JobId is printed all the same, and the exit code says it was stopped.
    const stopped = await stop.stopped();
    return { text: JobId, json: { JobId }, ...(stopped && { exitCode: stopped.exitCode }) };
  } finally {
    stop.remove();
  }
}

export async function describeCommand(client: VclmClient, args: Args): Promise<Output> {
  const JobId = jobIdOf(args);
  const job = await client.send(DescribeImageAnimateJob, { JobId }).catch((error: Error) => {
    throw isServiceError(error, "FailedOperation.JobNotFound") ? notFound(JobId, args, error) : error;
  });
  const detail = job.Status === "DONE" ? ` ${job.ResultVideoUrl}` : job.Status === "FAIL" ? ` ${job.ErrorCode}: ${job.ErrorMessage}` : "";
  return { text: `${job.Status}${detail}`, json: { ...job } };
}

export async function waitCommand(client: VclmClient, args: Args, state: JobState): Promise<Output> {
  const JobId = jobIdOf(args);
  Object.assign(state, { phase: "waiting", JobId, out: args.out });
  if (args.out) await checkOut(args.out, args.force);
  const stop = stopOnSignals(state, args);
  try {
    const done = await wait(client, JobId, args, { submitted: false, signal: stop.signal });
    Object.assign(state, { phase: "saving", savingSince: Date.now() });
    const saved = args.out ? await download(done.ResultVideoUrl, args.out, { force: args.force, signal: stop.signal }) : undefined;
    return {
      text: saved ? `Saved ${saved.path} (${formatBytes(saved.bytes)}).` : done.ResultVideoUrl,
      json: { ...done, JobId, ...(saved && { file: saved.path, bytes: saved.bytes }) },
    };
  } catch (error) {
    throw (await stop.stopped()) || error;
  } finally {
    stop.remove();
  }
}
