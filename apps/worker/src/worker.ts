// A Cloudflare Worker that animates photos for signed-in users, on many instances at once, within
// the account's limits. Every request needs `Authorization: Bearer <token>` (see token.ts); anything
// else gets 401 and costs nothing.
// - POST /jobs?template=ke3 with the photo as the body (and its Content-Length): within the user's
//   request rate and daily quota (429 past either, kept by a Durable Object shared by every
//   instance, and taken before anything is stored), the photo is checked as the service would from
//   its first bytes, then streamed into R2 (never held whole, never base64'd here); the submission
//   goes onto a Queue, and the answer is 202 with its id.
// - The Queue's consumer hands submissions to the account's coordinator (@vclm/workers), one
//   Durable Object that admits them up to the concurrent-job limit, makes every call under one rate
//   limit, follows every job from one alarm, and streams each video into R2. A photo is deleted
//   from R2 once no job can use it: DONE, FAIL, refused or maybe submitted (see unused-photos.ts).
// - GET /jobs/<id> answers the submission's state, to its owner only; GET /jobs/<id>/video serves
//   the video from R2 (with Range), after the service's own link has expired too.
// - GET /photos/<key>?expires&sig serves a photo to whoever holds an unexpired link: the service.
import { fromEnv, isVclmError, observe, TEMPLATE_IDS, type TemplateId, VclmClient } from "@vclm/core";
import {
  Coordinator,
  type DurableObjectNamespaceLike,
  type DurableStorageLike,
  durableObjectStore,
  type R2BucketLike,
  type Submission,
  storePhoto,
  UploadError,
  verifyPhotoLink,
} from "@vclm/workers";
import { consoleAt } from "./log.js";
import { verifyToken } from "./token.js";
import { deletingUnusedPhotos, sweepUnusedPhotos } from "./unused-photos.js";

export { RelayStoreObject } from "@vclm/workers";

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
  /** POST /jobs per user per minute, refused or not: what one user may write to R2. @default 30 */
  REQUESTS_PER_MINUTE?: string;
  /** Calls per second per action, for the whole account. @default 20 */
  REQUESTS_PER_SECOND?: string;
  /** An emulator or relay instead of the service (tests, development). */
  VCLM_ENDPOINT?: string;
  /** The coordinator's log (`debug`: a line per alarm and per call; `warn`: problems only), to the console. @default none */
  VCLM_LOG?: string;
  COORDINATOR: DurableObjectNamespaceLike;
  RELAY_STORE: DurableObjectNamespaceLike;
  SUBMISSIONS: { send(body: Submission): Promise<void> };
  /** Photos (photos/<key>, until their job ends) and the videos kept (videos/<JobId>.mp4). */
  BUCKET: R2BucketLike;
}

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { "Content-Type": "application/json" } });
const DAY = 86_400_000;
const MINUTE = 60_000;
/** The account's one coordinator. */
const coordinator = (env: Env) => env.COORDINATOR.get(env.COORDINATOR.idFromName("account"));

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
        const store = durableObjectStore(env.RELAY_STORE);
        // The user's request rate first, each request counted (a refused photo too): what one user
        // may write to R2 in a minute. Taken in one step, shared by every instance.
        const perMinute = Number(env.REQUESTS_PER_MINUTE ?? 30);
        if (!(await store.take(`jobs-rate:${user}`, perMinute, MINUTE, Date.now())))
          return json({ error: `at most ${perMinute} uploads a minute: slow down` }, 429);
        const template = (url.searchParams.get("template") ?? "ke3") as TemplateId;
        if (!TEMPLATE_IDS.includes(template)) return json({ error: `template must be one of ${TEMPLATE_IDS.join(", ")}` }, 400);
        // The quota is taken before anything is stored, in one step (no two requests take its last
        // unit): a job that might exist counts (the safe side), and a refused user writes nothing to R2.
        const limit = Number(env.SUBMITS_PER_DAY ?? 20);
        const takenAt = Date.now();
        if (!(await store.take(`submit:${user}`, limit, DAY, takenAt)))
          return json({ error: `the quota of ${limit} jobs a day is used up` }, 429);
        // A photo refused here makes no job: its unit is given back.
        const { key } = await storePhoto(request, env.BUCKET).catch(async (error: unknown) => {
          await store.giveBack(`submit:${user}`, DAY, takenAt, Date.now());
          throw error;
        });
        const id = crypto.randomUUID();
        const origin = env.PUBLIC_URL?.replace(/\/$/, "") ?? url.origin;
        try {
          await env.SUBMISSIONS.send({ id, owner: user, photo: `photos/${key}`, template, origin });
        } catch {
          // Not queued, so no job will use the photo: it goes, and the unit comes back.
          await env.BUCKET.delete(`photos/${key}`);
          await store.giveBack(`submit:${user}`, DAY, takenAt, Date.now());
          return json({ error: "the submission could not be queued: nothing was kept; try again" }, 503);
        }
        return json({ id, state: "queued", status: `/jobs/${id}` }, 202);
      }
      const match = /^\/jobs\/([\w-]+)(\/video)?$/.exec(url.pathname);
      if (request.method === "GET" && match) {
        const state = await coordinator(env).fetch(`https://coordinator/state?id=${match[1]}&owner=${encodeURIComponent(user)}`);
        if (!match[2] || !state.ok) return state;
        const { video } = (await state.json()) as { video?: { key: string } };
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
      return json({ error: "POST /jobs?template=ke3 with a photo, GET /jobs/<id> or GET /jobs/<id>/video" }, 404);
    } catch (error) {
      if (isVclmError(error, UploadError)) return json({ error: error.message }, error.status);
      // The client's typed errors say what is wrong (a refused photo) in one line.
      return json({ error: isVclmError(error) ? error.message : "internal error" }, isVclmError(error) ? 422 : 500);
    }
  },

  /** The Queue's consumer: hands each batch of submissions to the coordinator (a failure retries the batch; repeats are taken once). */
  async queue(batch: { messages: readonly { body: Submission }[] }, env: Env): Promise<void> {
    const answer = await coordinator(env).fetch("https://coordinator/enqueue", {
      method: "POST",
      body: JSON.stringify(batch.messages.map((message) => message.body)),
    });
    if (!answer.ok) throw new Error(`the coordinator answered ${answer.status}`);
  },
};

/** The account's coordinator as a Durable Object: see coordinator.ts. */
export class CoordinatorObject {
  readonly #coordinator: Coordinator;
  readonly #storage: DurableStorageLike;
  readonly #bucket: R2BucketLike;

  constructor(state: { storage: DurableStorageLike }, env: Env) {
    // No @vclm/retry here: its pauses would hold up the alarm, and with it every other job. The
    // coordinator retries on its own clock: a throttled Submit waits its turn again, a failed
    // Describe is looked at again two seconds later.
    const client = new VclmClient({
      region: "ap-singapore",
      credentials: fromEnv(env),
      // The alarm waits for its calls: a call that hangs must not hold every job for a minute.
      timeout: 10_000,
      ...(env.VCLM_ENDPOINT && { endpoint: env.VCLM_ENDPOINT }),
    });
    // VCLM_LOG: each alarm, call and problem of the coordinator as a log line (no secret is in one).
    const logger = consoleAt(env.VCLM_LOG);
    if (logger) client.use(observe({ logger }));
    // Its storage deletes a photo from R2 as soon as its submission is stored as refused or maybe submitted.
    this.#storage = state.storage;
    this.#bucket = env.BUCKET;
    this.#coordinator = new Coordinator(deletingUnusedPhotos(state.storage, env.BUCKET), env, client);
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/enqueue") {
      await this.#coordinator.enqueue((await request.json()) as Submission[]);
      await sweepUnusedPhotos(this.#storage, this.#bucket);
      return json({ ok: true });
    }
    const state = await this.#coordinator.state(url.searchParams.get("id") ?? "", url.searchParams.get("owner") ?? "");
    // Someone else's job is no job at all, as far as this caller can tell.
    return state ? json(state) : json({ error: "no such job here" }, 404);
  }

  async alarm(): Promise<void> {
    await this.#coordinator.alarm();
    await sweepUnusedPhotos(this.#storage, this.#bucket); // the photo deletes that failed, tried again
  }
}
