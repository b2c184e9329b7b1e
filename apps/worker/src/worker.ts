// A Cloudflare Worker that animates photos for signed-in users. Every request needs
// `Authorization: Bearer <token>` (see token.ts); anything else gets 401 and costs nothing.
// POST /jobs?template=ke3 with the photo as the body (and its Content-Length): the photo is checked
// as the service would from its first bytes, then streamed into R2 (never held whole, never
// base64'd here), and the job is submitted with a short-lived signed link to it as ImageUrl, within
// the user's daily quota (429 past it, kept by a Durable Object shared by every instance). It
// answers 202 with its JobId. GET /photos/<key>?expires&sig serves that photo to whoever holds an
// unexpired link (the service). GET /jobs/<JobId> answers the job's state, to its owner only; once
// DONE, the video is streamed into R2 and GET /jobs/<JobId>/video serves it from there, after the
// service's link has expired too. Waiting is done the Workers way: a Durable Object per job, woken
// by its alarm. Credentials come from Worker secrets.

import { openVideo } from "@vclm/batch";
import { DescribeImageAnimateJob, fromEnv, SubmitImageAnimateJob, VclmClient, VclmError } from "@vclm/core";
import { nextDelay } from "@vclm/poller";
import { type DurableObjectNamespaceLike, durableObjectStore } from "@vclm/relay";
import { retry } from "@vclm/retry";
import { photoLink, verifyPhotoLink } from "./photo-link.js";
import { storePhoto, UploadError } from "./store-photo.js";
import { verifyToken } from "./token.js";
import type { DurableObjectNamespace, DurableObjectState, FixedLengthStream as FixedLengthStreamType, R2Bucket } from "./workers-types.js";

declare const FixedLengthStream: typeof FixedLengthStreamType;

export { RelayStoreObject } from "@vclm/relay";

interface Env {
  TENCENTCLOUD_SECRET_ID: string;
  TENCENTCLOUD_SECRET_KEY: string;
  /** The key user tokens are signed with (wrangler secret put AUTH_SECRET). */
  AUTH_SECRET: string;
  /** The key photo links are signed with (wrangler secret put PHOTO_LINK_SECRET). */
  PHOTO_LINK_SECRET: string;
  /** Where the service reaches this Worker, for photo links. @default the origin of each request */
  PUBLIC_URL?: string;
  /** Paid jobs per user per day. @default 20 */
  SUBMITS_PER_DAY?: string;
  /** An emulator or relay instead of the service (tests, development). */
  VCLM_ENDPOINT?: string;
  JOBS: DurableObjectNamespace;
  RELAY_STORE: DurableObjectNamespaceLike;
  /** Photos (photos/<key>) and the videos kept (videos/<JobId>.mp4). */
  BUCKET: R2Bucket;
}

/** What is known of a job. */
interface JobState {
  JobId: string;
  submittedAt: number;
  Status: "WAIT" | "RUN" | "DONE" | "FAIL";
  /** The user who submitted it: the only one who may see it. */
  owner: string;
  ResultVideoUrl?: string;
  ErrorCode?: string;
  checks: number;
  /** The photo in R2, until the job ends. */
  photo?: string;
  /** The video kept in R2, once DONE: served at /jobs/<JobId>/video. */
  video?: { key: string; bytes: number };
  /** Why the video could not be kept yet (it is tried again). */
  keepError?: string;
}

const clientFor = (env: Env) =>
  new VclmClient({ region: "ap-singapore", credentials: fromEnv(env), ...(env.VCLM_ENDPOINT && { endpoint: env.VCLM_ENDPOINT }) }).use(
    retry(),
  );
const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { "Content-Type": "application/json" } });
const TEMPLATES = ["ke3", "tuziwu", "huajiangwu"] as const;
const DAY = 86_400_000;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    // The service's download of a photo: the signed link is the only credential.
    if (request.method === "GET" && url.pathname.startsWith("/photos/")) {
      const key = await verifyPhotoLink(url, env.PHOTO_LINK_SECRET);
      const photo = key ? await env.BUCKET.get(`photos/${key}`) : null;
      if (!photo) return json({ error: "no such photo, or the link has expired" }, 403);
      return new Response(photo.body, {
        headers: { "Content-Type": photo.httpMetadata?.contentType ?? "application/octet-stream", "Content-Length": String(photo.size) },
      });
    }
    const user = await verifyToken(request.headers.get("authorization"), env.AUTH_SECRET);
    if (!user) return json({ error: "sign in first: send Authorization: Bearer <token>" }, 401);
    try {
      if (request.method === "POST" && url.pathname === "/jobs") {
        const TemplateId = (url.searchParams.get("template") ?? "ke3") as (typeof TEMPLATES)[number];
        if (!TEMPLATES.includes(TemplateId)) return json({ error: `template must be one of ${TEMPLATES.join(", ")}` }, 400);
        const { key } = await storePhoto(request, env.BUCKET);
        // The quota is counted before the Submit: a job that might exist counts (the safe side).
        const limit = Number(env.SUBMITS_PER_DAY ?? 20);
        if ((await durableObjectStore(env.RELAY_STORE).hit(`submit:${user}`, DAY, Date.now())) > limit) {
          await env.BUCKET.delete(`photos/${key}`);
          return json({ error: `the quota of ${limit} jobs a day is used up` }, 429);
        }
        const ImageUrl = await photoLink(env.PUBLIC_URL?.replace(/\/$/, "") ?? url.origin, key, env.PHOTO_LINK_SECRET);
        const { JobId } = await clientFor(env).send(SubmitImageAnimateJob, { TemplateId, ImageUrl });
        await env.JOBS.get(env.JOBS.idFromName(JobId)).fetch("https://job/track", {
          method: "POST",
          body: JSON.stringify({ JobId, owner: user, photo: `photos/${key}` }),
        });
        return json({ JobId, Status: "WAIT", status: `/jobs/${JobId}` }, 202);
      }
      const match = /^\/jobs\/(\d+)(\/video)?$/.exec(url.pathname);
      if (request.method === "GET" && match) {
        const state = await env.JOBS.get(env.JOBS.idFromName(match[1] as string)).fetch(
          `https://job/state?owner=${encodeURIComponent(user)}`,
        );
        if (!match[2] || !state.ok) return state;
        const { video } = (await state.json()) as JobState;
        const object = video && (await env.BUCKET.get(video.key, { range: request.headers }));
        if (!object) return json({ error: "the video is not kept yet: the job is not DONE" }, 404);
        const range = request.headers.has("range") && object.range;
        const start = range ? (range.offset ?? 0) : 0;
        const length = range ? (range.length ?? object.size - start) : object.size;
        return new Response(object.body, {
          status: range ? 206 : 200,
          headers: {
            "Content-Type": "video/mp4",
            "Content-Length": String(length),
            "Accept-Ranges": "bytes",
            ...(range && { "Content-Range": `bytes ${start}-${start + length - 1}/${object.size}` }),
          },
        });
      }
      return json({ error: "POST /jobs?template=ke3 with a photo, GET /jobs/<JobId> or GET /jobs/<JobId>/video" }, 404);
    } catch (error) {
      if (error instanceof UploadError) return json({ error: error.message }, error.status);
      // The client's typed errors say what is wrong (a refused photo, a service error) in one line.
      return json({ error: error instanceof VclmError ? error.message : "internal error" }, error instanceof VclmError ? 422 : 500);
    }
  },
};

/** One job: remembers its state and polls the service from its alarm until the job ends. */
export class JobWatcher {
  readonly #state: DurableObjectState;
  readonly #env: Env;

  constructor(state: DurableObjectState, env: Env) {
    this.#state = state;
    this.#env = env;
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/track") {
      const { JobId, owner, photo } = (await request.json()) as { JobId: string; owner: string; photo: string };
      const job: JobState = { JobId, owner, photo, submittedAt: Date.now(), Status: "WAIT", checks: 0 };
      await this.#state.storage.put("job", job);
      await this.#state.storage.setAlarm(Date.now() + 1_000);
      return json(job);
    }
    const job = await this.#state.storage.get<JobState>("job");
    // Someone else's job is no job at all, as far as this caller can tell.
    if (!job || job.owner !== url.searchParams.get("owner")) return json({ error: "no such job here" }, 404);
    const { owner, ...state } = job;
    return json(state);
  }

  /** Streams the video into R2 as it downloads (checked to be a video): served from there, after 24 h too. */
  async #keep(JobId: string, url: string): Promise<{ key: string; bytes: number }> {
    const { body, total } = await openVideo(url);
    const key = `videos/${JobId}.mp4`;
    // R2 takes a stream of known length; a video sent without one is read whole first.
    const value =
      total === undefined ? new Uint8Array(await new Response(body).arrayBuffer()) : body.pipeThrough(new FixedLengthStream(total));
    await this.#env.BUCKET.put(key, value, {
      httpMetadata: { contentType: "video/mp4" },
    });
    return { key, bytes: (await this.#env.BUCKET.head(key))?.size ?? 0 };
  }

  async alarm(): Promise<void> {
    const job = await this.#state.storage.get<JobState>("job");
    if (!job || job.Status === "DONE" || job.Status === "FAIL") return;
    const answer = await clientFor(this.#env).send(DescribeImageAnimateJob, { JobId: job.JobId });
    const next: JobState = { ...job, Status: answer.Status, checks: job.checks + 1 };
    if (answer.Status === "DONE") {
      next.ResultVideoUrl = answer.ResultVideoUrl;
      try {
        next.video = await this.#keep(job.JobId, answer.ResultVideoUrl);
      } catch (error) {
        // Not kept yet (the download failed): the job stays RUN here, and the next alarm tries again.
        await this.#state.storage.put("job", { ...next, Status: "RUN", keepError: (error as Error).message });
        await this.#state.storage.setAlarm(Date.now() + 5_000);
        return;
      }
    }
    if (answer.Status === "FAIL") next.ErrorCode = answer.ErrorCode;
    if ((answer.Status === "DONE" || answer.Status === "FAIL") && job.photo) {
      await this.#env.BUCKET.delete(job.photo); // the service has it; nobody else needs it
      delete next.photo;
    }
    await this.#state.storage.put("job", next);
    if (next.Status === "WAIT" || next.Status === "RUN")
      await this.#state.storage.setAlarm(Date.now() + nextDelay(Date.now() - job.submittedAt, {}, Math.random));
  }
}
