import { stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { DescribeImageAnimateJob, isVclmError, SubmitImageAnimateJob, type VclmClient } from "@vclm/core";
import { type JobAnswer, JobFailedError, WaitInterruptedError, WaitTimeoutError, waitForJob } from "@vclm/poller";
import type { Args } from "../args.js";
import { progress } from "../progress.js";
import { UsageError } from "../usage.js";
import { batchCommand } from "./batch.js";
import { checkOut, download, formatBytes } from "./download.js";
import { readPhoto } from "./photo.js";

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

async function submit(client: VclmClient, args: Args): Promise<string> {
  const photo = args.imageUrl ? { ImageUrl: args.imageUrl } : { photo: (await readPhoto(args.operands[0])).photo };
  return (await client.send(SubmitImageAnimateJob, { TemplateId: args.template, ...photo })).JobId;
}

/** Says the JobId the moment it exists, on stderr, whatever the output mode: the job is paid for. */
function announce(JobId: string): void {
  process.stderr.write(`job ${JobId} submitted; if this stops, pick it up with: vclm wait ${JobId}\n`);
}

/** Waits for a job; every error it ends with carries the JobId (and says the job may still finish). */
async function wait(client: VclmClient, JobId: string, args: Args): Promise<JobAnswer> {
  const line = progress(!args.json);
  const started = Date.now();
  // A ticking clock on a terminal; elsewhere (logs, CI), one line per change of status.
  const timer = process.stderr.isTTY
    ? setInterval(() => line.update(`job ${JobId}: ${status} ${Math.round((Date.now() - started) / 1000)}s`), 1000)
    : undefined;
  let status = "WAIT";
  try {
    return await waitForJob(client, JobId, {
      onProgress: (job) => {
        status = job.Status;
        line.update(
          process.stderr.isTTY ? `job ${JobId}: ${status} ${Math.round((Date.now() - started) / 1000)}s` : `job ${JobId}: ${status}`,
        );
      },
    });
  } catch (error) {
    if (isVclmError(error, JobFailedError) || isVclmError(error, WaitTimeoutError)) throw error;
    throw new WaitInterruptedError(JobId, error);
  } finally {
    clearInterval(timer);
    line.done();
  }
}

export async function animateCommand(client: VclmClient, args: Args): Promise<Output> {
  if (args.outDir || args.operands.length > 1 || (args.operands[0] && (await stat(args.operands[0]).catch(() => undefined))?.isDirectory()))
    return batchCommand(client, args);
  const photoPath = args.operands[0];
  if (!photoPath && !args.imageUrl) throw new UsageError("give the photo: vclm animate <photo.jpg> [--template ke3] [--out dance.mp4]");
  const out = args.out ?? `${photoPath ? basename(photoPath, extname(photoPath)) : "dance"}-${args.template}.mp4`;
  await checkOut(out, args.force); // before paying for a job whose video could not be saved
  const JobId = await submit(client, args);
  announce(JobId);
  const done = await wait(client, JobId, args);
  const saved = await download(done.ResultVideoUrl, out, { force: args.force });
  return {
    text: `Saved ${saved.path} (${formatBytes(saved.bytes)}, job ${JobId}, template ${args.template}).`,
    json: { JobId, Status: done.Status, ResultVideoUrl: done.ResultVideoUrl, file: saved.path, bytes: saved.bytes },
  };
}

export async function submitCommand(client: VclmClient, args: Args): Promise<Output> {
  const JobId = await submit(client, args);
  return { text: JobId, json: { JobId } };
}

export async function describeCommand(client: VclmClient, args: Args): Promise<Output> {
  const job = await client.send(DescribeImageAnimateJob, { JobId: jobIdOf(args) });
  const detail = job.Status === "DONE" ? ` ${job.ResultVideoUrl}` : job.Status === "FAIL" ? ` ${job.ErrorCode}: ${job.ErrorMessage}` : "";
  return { text: `${job.Status}${detail}`, json: { ...job } };
}

export async function waitCommand(client: VclmClient, args: Args): Promise<Output> {
  const JobId = jobIdOf(args);
  if (args.out) await checkOut(args.out, args.force);
  const done = await wait(client, JobId, args);
  const saved = args.out ? await download(done.ResultVideoUrl, args.out, { force: args.force }) : undefined;
  return {
    text: saved ? `Saved ${saved.path} (${formatBytes(saved.bytes)}).` : done.ResultVideoUrl,
    json: { ...done, JobId, ...(saved && { file: saved.path, bytes: saved.bytes }) },
  };
}
