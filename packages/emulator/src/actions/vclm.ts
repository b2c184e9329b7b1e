import type { Caller } from "../accounts.js";
import type { VideoLinks } from "../auth/video-links.js";
import { doneAt, type Job, type JobStore, statusOf, VIDEO_TTL_MS } from "../jobs/store.js";
import { downloadPhoto } from "../photo/download-photo.js";
import { photoProblem } from "../photo/photo-problem.js";
import type { Scenarios } from "../scenarios.js";
import { TEMPLATE_IDS } from "../video/dances.js";
import { decodeBase64 } from "../wire/base64.js";
import { type Answer, serviceError } from "../wire/envelope.js";
import { checkFields, type Field, missing } from "./params.js";

const TEMPLATES_SAID = `${TEMPLATE_IDS.slice(0, -1).join(", ")} or ${TEMPLATE_IDS.at(-1)}`; // "ke3, tuziwu or huajiangwu"
const int: Field = { kind: "integer" };
const SUBMIT_FIELDS: Record<string, Field> = {
  ImageUrl: { kind: "string" },
  ImageBase64: { kind: "string" },
  TemplateId: { kind: "string" },
  EnableAudio: { kind: "boolean" },
  EnableBodyJoins: { kind: "boolean" },
  EnableSegment: { kind: "boolean" },
  LogoAdd: int,
  LogoParam: {
    kind: "object",
    fields: {
      LogoUrl: { kind: "string" },
      LogoImage: { kind: "string" },
      LogoRect: { kind: "object", fields: { X: int, Y: int, Width: int, Height: int } },
    },
  },
};

/** What the VCLM actions need from the emulator. */
export interface VclmContext {
  readonly jobs: JobStore;
  readonly scenarios: Scenarios;
  readonly schedule: { readonly waitMs: number; readonly runMs: number };
  readonly maxConcurrentJobs: number;
  readonly now: number;
  /** Where the video URLs point: the emulator's own origin. */
  readonly origin: string;
  /** Signs the video links: a link is the only way to a video, until it expires. */
  readonly videoLinks: Pick<VideoLinks, "query">;
  /** Download ImageUrl photos and check them; otherwise a URL is taken as a good photo. */
  readonly fetchImageUrls: boolean;
  readonly fetch: typeof fetch;
  /** How long an ImageUrl download may take, from the request to the last byte. */
  readonly imageUrlTimeoutMs: number;
  /** Keeps a job's photo to make its video from (when the emulator makes videos from photos). */
  readonly keepPhoto?: ((jobId: string, photo: Uint8Array) => void) | undefined;
}

// The base64 is ASCII: encodeInto a buffer of its length is one copy, half the cost of encode().
async function sha256Hex(ascii: string): Promise<string> {
  const bytes = new Uint8Array(ascii.length);
  new TextEncoder().encodeInto(ascii, bytes);
  return hex(await crypto.subtle.digest("SHA-256", bytes));
}

const hex = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");

export async function submitImageAnimateJob(params: Record<string, unknown>, caller: Caller, context: VclmContext): Promise<Answer> {
  const problem = checkFields(params, SUBMIT_FIELDS);
  if (problem) return problem;
  const { ImageUrl, ImageBase64, TemplateId, EnableSegment } = params as Record<string, string | boolean | undefined>;
  if (TemplateId === undefined) return missing("TemplateId");
  if (!(TEMPLATE_IDS as string[]).includes(TemplateId as string))
    return serviceError("InvalidParameterValue", `TemplateId \`${TemplateId}\` is not a template: use ${TEMPLATES_SAID}.`);
  if (!ImageUrl && !ImageBase64) return missing("ImageUrl or ImageBase64");

  let photoKey: string;
  let photoBytes: Uint8Array | undefined;
  if (ImageUrl) {
    if (!/^https?:\/\//i.test(ImageUrl as string)) return serviceError("InvalidParameterValue", "ImageUrl must be an http(s) URL.");
    if (context.fetchImageUrls) {
      const downloaded = await downloadPhoto(ImageUrl as string, context.fetch, context.imageUrlTimeoutMs);
      if (!(downloaded instanceof Uint8Array)) return downloaded;
      const bad = photoProblem(downloaded);
      if (bad) return bad;
      photoBytes = downloaded;
    }
    photoKey = ImageUrl as string;
  } else {
    photoBytes = decodeBase64(ImageBase64 as string);
    if (!photoBytes) return serviceError("FailedOperation.ImageDecodeFailed", "ImageBase64 is not valid base64.");
    const bad = photoProblem(photoBytes);
    if (bad) return bad;
    photoKey = await sha256Hex(ImageBase64 as string);
  }

  if (context.jobs.activeCount(caller.accountId, context.now) >= context.maxConcurrentJobs)
    return serviceError(
      "RequestLimitExceeded.JobNumExceed",
      `The account already has ${context.maxConcurrentJobs} jobs waiting or running.`,
    );

  const job = context.jobs.create({
    accountId: caller.accountId,
    createdAt: context.now,
    waitMs: context.schedule.waitMs,
    runMs: context.schedule.runMs,
    templateId: TemplateId as string,
    photo: photoKey,
    segment: EnableSegment === true && TemplateId === "ke3",
    failure: context.scenarios.takeJobFailure(photoKey),
  });
  if (photoBytes) context.keepPhoto?.(job.id, photoBytes);
  return { output: { JobId: job.id } };
}

export async function describeImageAnimateJob(params: Record<string, unknown>, caller: Caller, context: VclmContext): Promise<Answer> {
  const problem = checkFields(params, { JobId: { kind: "string" } });
  if (problem) return problem;
  if (params.JobId === undefined || params.JobId === "") return missing("JobId");
  const job = context.jobs.get(params.JobId as string, caller.accountId);
  if (!job) return serviceError("FailedOperation.JobNotFound", "The task does not exist.");
  return { output: await describe(job, context) };
}

async function describe(job: Job, { now, origin, videoLinks }: VclmContext): Promise<Record<string, unknown>> {
  const status = statusOf(job, now);
  const output: Record<string, unknown> = { Status: status, ErrorCode: "", ErrorMessage: "", ResultVideoUrl: "" };
  if (status === "FAIL") {
    output.ErrorCode = job.failure?.code;
    output.ErrorMessage = job.failure?.message ?? `The job failed: ${job.failure?.code}.`;
  }
  if (status === "DONE") {
    // Signed over the path the emulator serves, whatever origin the link is given with.
    const expires = Math.floor((doneAt(job) + VIDEO_TTL_MS) / 1000);
    const link = async (path: string) => `${origin}${path}?${await videoLinks.query(path, expires)}`;
    output.ResultVideoUrl = await link(`/videos/${job.id}.mp4`);
    if (job.segment) output.MaskVideoUrl = await link(`/videos/${job.id}.mask.mp4`);
  }
  return output;
}
