import { VCLM_API } from "@vclm/core";
import { type Caller, DEMO_ACCOUNT, type EmulatorAccount, type TemporaryCredential } from "./accounts.js";
import { assumeRole, getFederationToken } from "./actions/sts.js";
import { describeImageAnimateJob, submitImageAnimateJob, type VclmContext } from "./actions/vclm.js";
import {
  assumeRoleWithWebIdentity,
  type EmulatorOidcProvider,
  type OidcProvider,
  oidcProvidersOf,
  type WebIdentityContext,
} from "./actions/web-identity.js";
import { adminRoute } from "./admin/routes.js";
import { allowedHostsOf, isLoopbackHost, misdirected } from "./auth/hosts.js";
import { policyAllows } from "./auth/policy.js";
import { type KeyLookup, verify } from "./auth/verify.js";
import { VideoLinks } from "./auth/video-links.js";
import { EmulatorClock } from "./clock.js";
import { DroppedConnection } from "./dropped.js";
import { doneAt, type Job, JobStore, type Schedule, statusOf, VIDEO_TTL_MS } from "./jobs/store.js";
import { RateLimiter } from "./limits.js";
import { type EmulatorInstanceRole, isMetadataPath, metadataResponse } from "./metadata.js";
import { Scenarios } from "./scenarios.js";
import { photoForVideo, photoVideo } from "./video/photo-video.js";
import { sampleVideo, type Video, videoOf } from "./video/video.js";
import { videoResponse } from "./video/video-response.js";
import { type Answer, envelope, serviceError } from "./wire/envelope.js";
import { readBody } from "./wire/read-body.js";

/**
 * How to make an emulator. Every option has a default that suits a demo.
 *
 * @example
 * ```ts
 * const emulator = createEmulator({ clock: "manual", schedule: { waitMs: 1_000, runMs: 5_000 }, limits: { concurrentJobs: 3 } });
 * ```
 */
export interface EmulatorOptions {
  /** The accounts whose keys are accepted. @default [DEMO_ACCOUNT] */
  readonly accounts?: readonly EmulatorAccount[];
  /** How long jobs wait and run. @default { waitMs: 3_000, runMs: 12_000 } */
  readonly schedule?: Schedule;
  readonly limits?: {
    /** Jobs one account may have waiting or running (RequestLimitExceeded.JobNumExceed). @default 10 */
    readonly concurrentJobs?: number;
    /** Requests per second per account and action (RequestLimitExceeded). @default 20 */
    readonly requestsPerSecond?: number;
    /** Jobs kept; past this, the oldest are forgotten. @default 200_000 */
    readonly jobs?: number;
  };
  /** `"manual"` for a clock that moves only when told (tests), or a clock of your own. @default "real" */
  readonly clock?: "real" | "manual" | EmulatorClock;
  /** Answer browsers' cross-origin requests. The real service does not. @default false */
  readonly cors?: boolean;
  /** Download ImageUrl photos and check them (otherwise a URL is taken as a good photo). @default false */
  readonly fetchImageUrls?: boolean;
  /** The base of video URLs. @default the origin each request came to */
  readonly publicUrl?: string;
  /**
   * Host names, besides loopback ones (`localhost`, `*.localhost`, `127.x.x.x`, `[::1]`), that the
   * admin API and the metadata routes answer to: a request to any other host (the name a
   * DNS-rebinding page uses to reach this machine) gets 403. Add the name you reach them by when it
   * is not a loopback one (`metadata.tencentyun.com` through a proxy, a LAN name with `--host`).
   * @default []
   */
  readonly allowedHosts?: readonly string[];
  /**
   * Make each job's video from its photo: a few seconds of the photo swaying and zooming, H.264 in
   * MP4 (decoded with jpeg-js or fast-png at the first download; the photos of the latest 32 jobs, up to 64 MB, are kept). A
   * photo given as an ImageUrl that is not fetched, or one that cannot be decoded, gets the
   * fixed sample video. @default true
   */
  readonly photoVideos?: boolean;
  /**
   * Identity providers whose OpenID Connect tokens STS `AssumeRoleWithWebIdentity` exchanges for
   * temporary credentials of one of their roles (sent unsigned, as TKE pods and CI jobs do). Each
   * needs its audience and its roles, with their policies: `createEmulator` throws a TypeError
   * naming a provider without them. @default none
   */
  readonly oidcProviders?: readonly EmulatorOidcProvider[];
  /**
   * Serve the CVM metadata service's credential routes under `/latest/meta-data/` with this role
   * bound (point `fromCvmRole`'s `endpoint` at `<emulator>/latest/meta-data/`). Without it, those
   * routes answer 404, as on an instance with no role. @default none
   */
  readonly instanceRole?: EmulatorInstanceRole;
  /** Serve the admin API under /_emulator/. @default true */
  readonly admin?: boolean;
  /**
   * Called after anything that changes state (for persistence), before the answer is sent.
   * `credentials` is true when temporary credentials were issued: a client keeps those for hours,
   * so losing them breaks it until they expire, and they are worth writing before answering.
   */
  readonly onChange?: (change: { readonly credentials: boolean }) => void;
}

const ACTIONS = {
  SubmitImageAnimateJob: { service: VCLM_API.service, version: VCLM_API.version, run: submitImageAnimateJob },
  DescribeImageAnimateJob: { service: VCLM_API.service, version: VCLM_API.version, run: describeImageAnimateJob },
  GetFederationToken: { service: "sts", version: "2018-08-13", run: getFederationToken },
  AssumeRole: { service: "sts", version: "2018-08-13", run: assumeRole },
  // Sent unsigned (Authorization: SKIP): the web identity token is the proof.
  AssumeRoleWithWebIdentity: { service: "sts", version: "2018-08-13", run: assumeRoleWithWebIdentity, unsigned: true },
} as const satisfies Record<(typeof VCLM_API.actions)[number], unknown> & Record<string, unknown>;
const CHANGES_STATE = new Set(["SubmitImageAnimateJob", "GetFederationToken", "AssumeRole", "AssumeRoleWithWebIdentity"]);
const ISSUES_CREDENTIALS = new Set(["GetFederationToken", "AssumeRole", "AssumeRoleWithWebIdentity"]);

/** What an emulator's state looks like on disk. */
export interface EmulatorState {
  readonly jobs: Job[];
  readonly counter: number;
  readonly temporary: TemporaryCredential[];
  /** The key video links are signed with (64 hex digits), so they outlive a restart. Absent in state saved before links were signed. */
  readonly videoKey?: string;
}

const random = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(36).padStart(2, "0"))
    .join("")
    .slice(0, bytes * 2);

/**
 * A local VCLM service: the real wire protocol, TC3-HMAC-SHA256 checked for its accounts, STS
 * temporary credentials, jobs that move WAIT -> RUN -> DONE on its clock with a real video at the
 * end, the service's limits and error codes, and scenarios for tests. `fetch` is a plain fetch
 * handler: use it with `Deno.serve`, as a Worker's `fetch`, or through `@vclm/emulator/node`.
 *
 * @example
 * ```ts
 * const emulator = createEmulator();
 * Deno.serve({ port: 8080 }, (request) => emulator.fetch(request));
 * ```
 */
export class Emulator {
  /** The emulator's time: move it to make jobs progress without waiting. */
  readonly clock: EmulatorClock;
  /** Faults and failures for tests. */
  readonly scenarios: Scenarios = new Scenarios();
  /** The jobs, for inspection. */
  readonly jobs: JobStore;
  readonly #options: EmulatorOptions;
  readonly #accounts: Map<string, { secretKey: string; accountId: string }>;
  readonly #temporary = new Map<string, TemporaryCredential>();
  #instance: TemporaryCredential | undefined;
  readonly #rate: RateLimiter;
  readonly #keys: KeyLookup;
  /** The photos of the latest jobs, as submitted, to make their videos from at the first download; and the latest videos made. */
  readonly #photos = new Map<string, Uint8Array>();
  #photoBytes = 0;
  readonly #videos = new Map<string, Video | undefined>();
  #videoLinks = new VideoLinks();
  readonly #allowedHosts: ReadonlySet<string>;
  readonly #oidcProviders: readonly OidcProvider[];

  constructor(options: EmulatorOptions = {}) {
    this.#options = options;
    this.clock = options.clock instanceof EmulatorClock ? options.clock : new EmulatorClock(options.clock ?? "real");
    this.jobs = new JobStore(options.limits?.jobs ?? 200_000);
    this.#rate = new RateLimiter(options.limits?.requestsPerSecond ?? 20);
    this.#accounts = new Map(
      (options.accounts ?? [DEMO_ACCOUNT]).map((account, i) => [
        account.secretId,
        { secretKey: account.secretKey, accountId: account.accountId ?? String(100_000_000_001 + i) },
      ]),
    );
    this.#keys = { permanent: (id) => this.#accounts.get(id), temporary: (id) => this.#temporary.get(id) };
    this.#allowedHosts = allowedHostsOf(options.allowedHosts);
    this.#oidcProviders = oidcProvidersOf(options.oidcProviders, this.#firstAccountId());
  }

  /**
   * Answers one HTTP request. Throws {@link DroppedConnection} when a scenario drops the connection.
   * `info.remoteAddress`, the address the request came from, is what a policy's `qcs:ip` condition
   * is checked against; the Node server passes it. Without it, such a condition fails closed: an
   * allow with one does not hold, a deny with one applies.
   */
  async fetch(request: Request, info: { readonly remoteAddress?: string | undefined } = {}): Promise<Response> {
    const url = new URL(request.url);
    const cors = this.#corsHeaders(request);
    const admin = url.pathname.startsWith("/_emulator/");
    // Never a preflight for the admin API: no web page may drive it, even with `cors` on.
    if (request.method === "OPTIONS")
      return admin
        ? new Response(null, { status: 405 })
        : new Response(null, { status: cors["Access-Control-Allow-Origin"] ? 204 : 405, headers: cors });
    if (request.method === "GET" && url.pathname.startsWith("/videos/")) return this.#video(url, request.headers, cors);
    if (request.method === "GET" && isMetadataPath(url.pathname)) {
      if (!this.#hostAllowed(url.hostname)) return misdirected(url.hostname);
      const role = this.#options.instanceRole;
      return metadataResponse(url.pathname, role, () => this.#instanceCredential(role as EmulatorInstanceRole));
    }
    if (admin && this.#options.admin !== false) {
      if (!this.#hostAllowed(url.hostname)) return misdirected(url.hostname);
      return adminRoute(this, request, url);
    }
    if (url.pathname !== "/" || request.method !== "POST") {
      return new Response(JSON.stringify({ error: "This is a VCLM API emulator: POST / with a signed JSON body." }), {
        status: 404,
        headers: { "Content-Type": "application/json", ...cors },
      });
    }
    return this.#api(request, url, cors, info.remoteAddress);
  }

  async #api(request: Request, url: URL, cors: Record<string, string>, ip: string | undefined): Promise<Response> {
    const requestId = crypto.randomUUID();
    const action = request.headers.get("x-tc-action") ?? "";
    const fault = this.scenarios.takeFault(action);
    if (fault?.kind === "serverError")
      return new Response("<html><body>Service Unavailable</body></html>", {
        status: fault.status,
        headers: { "Content-Type": "text/html", ...cors },
      });
    if (fault?.kind === "dropConnection") throw new DroppedConnection(false);
    if (fault?.kind === "throttle")
      return envelope(serviceError("RequestLimitExceeded", "Too many requests: slow down."), requestId, this.clock.now(), cors);
    const latency = this.scenarios.latencyFor(action);
    if (latency) await new Promise((resolve) => setTimeout(resolve, latency));

    const answer = await this.#answer(request, url, action, ip);
    if (!answer.error && CHANGES_STATE.has(action)) this.#options.onChange?.({ credentials: ISSUES_CREDENTIALS.has(action) });
    if (fault?.kind === "loseAnswer") throw new DroppedConnection(true);
    return envelope(answer, requestId, this.clock.now(), cors);
  }

  async #answer(request: Request, url: URL, action: string, ip: string | undefined): Promise<Answer> {
    const body = await readBody(request);
    if (!("text" in body)) return body;
    if (!action) return serviceError("MissingParameter", "The request is missing the X-TC-Action header.");
    const target = ACTIONS[action as keyof typeof ACTIONS];
    if (!target) return serviceError("InvalidAction", `The action \`${action}\` does not exist.`);
    const version = request.headers.get("x-tc-version");
    if (!version) return serviceError("MissingParameter", "The request is missing the X-TC-Version header.");
    if (version !== target.version)
      return serviceError("NoSuchVersion", `The version \`${version}\` of ${action} does not exist; use ${target.version}.`);
    if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? ""))
      return serviceError("InvalidParameter", "The Content-Type must be application/json.");

    const now = this.clock.now();
    // The signature covers the bytes as received, not their decoding. An unsigned action's caller is
    // anonymous (its rate is shared by all); what it carries (a token) is its proof.
    const caller: Caller | Answer =
      "unsigned" in target ? unsignedCaller(request) : await verify(request, body.bytes, target.service, this.#keys, now);
    if (!("accountId" in caller)) return caller;
    if (caller.temporary?.policy && !policyAllows(caller.temporary.policy, target.service, action, { ip, now }))
      return serviceError("UnauthorizedOperation", `The temporary credentials' policy does not allow ${target.service}:${action}.`);
    if (target.service === "vclm" && !request.headers.get("x-tc-region"))
      return serviceError("MissingParameter", "The request is missing the X-TC-Region header.");
    if (!this.#rate.allow(caller.accountId, action, now)) return serviceError("RequestLimitExceeded", "Too many requests: slow down.");

    let params: unknown;
    try {
      params = body.text ? JSON.parse(body.text) : {};
    } catch {
      return serviceError("InvalidParameter", "The request body is not valid JSON.");
    }
    if (typeof params !== "object" || params === null || Array.isArray(params))
      return serviceError("InvalidParameter", "The request body must be a JSON object.");
    const context: VclmContext & WebIdentityContext = {
      jobs: this.jobs,
      scenarios: this.scenarios,
      schedule: { waitMs: this.#options.schedule?.waitMs ?? 3_000, runMs: this.#options.schedule?.runMs ?? 12_000 },
      maxConcurrentJobs: this.#options.limits?.concurrentJobs ?? 10,
      now,
      origin: this.#options.publicUrl?.replace(/\/$/, "") ?? url.origin,
      fetchImageUrls: this.#options.fetchImageUrls ?? false,
      fetch: globalThis.fetch,
      keepPhoto: this.#options.photoVideos === false ? undefined : (jobId, bytes) => this.#keepPhoto(jobId, bytes),
      issue: (fields) => this.#issue(fields),
      videoLinks: this.#videoLinks,
      oidcProviders: this.#oidcProviders,
    };
    return target.run(params as Record<string, unknown>, caller, context);
  }

  // The role's credentials stay the same until half their life is left, then new ones are issued,
  // as the metadata service rotates them ahead of expiry.
  #instanceCredential(role: EmulatorInstanceRole): TemporaryCredential {
    const now = this.clock.now();
    const lifetime = (role.durationSeconds ?? 7200) * 1000;
    if (this.#instance && now < this.#instance.expiresAt - lifetime / 2) return this.#instance;
    const accountId = role.accountId ?? this.#firstAccountId();
    this.#instance = this.#issue({ accountId, expiresAt: now + lifetime, policy: undefined, issuedBy: "instance role" });
    this.#options.onChange?.({ credentials: true });
    return this.#instance;
  }

  // The admin API and the metadata routes hand out control and credentials: only to a request that
  // names this machine (or a host the user named), never to a page that reached it by DNS rebinding.
  #hostAllowed(hostname: string): boolean {
    return isLoopbackHost(hostname) || this.#allowedHosts.has(hostname);
  }

  #firstAccountId(): string {
    return [...this.#accounts.values()][0]?.accountId ?? DEMO_ACCOUNT.accountId;
  }

  #issue(fields: Omit<TemporaryCredential, "secretId" | "secretKey" | "token">): TemporaryCredential {
    const now = this.clock.now();
    for (const [id, credential] of this.#temporary) if (credential.expiresAt <= now) this.#temporary.delete(id);
    const credential: TemporaryCredential = { ...fields, secretId: `AKIDtmp${random(16)}`, secretKey: random(16), token: random(48) };
    this.#temporary.set(credential.secretId, credential);
    return credential;
  }

  async #video(url: URL, request: Headers, cors: Record<string, string>): Promise<Response> {
    const id = /^\/videos\/(\d+)(\.mask)?\.mp4$/.exec(url.pathname)?.[1];
    if (!id) return new Response("no such video", { status: 404, headers: cors });
    const now = this.clock.now();
    // Only the signed link DescribeImageAnimateJob gave, until it expires; checked before the job
    // is looked up, so a link that is not one says nothing of which jobs exist.
    const refusal = await this.#videoLinks.refusal(url, now, cors);
    if (refusal) return refusal;
    const job = this.jobs.find(id);
    if (!job || statusOf(job, now) !== "DONE") return new Response("no such video", { status: 404, headers: cors });
    // The rule itself: a link this emulator signed already expires then, to the second.
    if (now > doneAt(job) + VIDEO_TTL_MS)
      return new Response("this video URL has expired (24 h after the job was done)", { status: 403, headers: cors });
    // Last-Modified is when the job was done, as COS's is when the video was stored. The ETag, a
    // digest of the bytes, also changes if a job's video falls back to the sample video (its photo
    // no longer kept, as after a restart), which Last-Modified cannot show: resume by the ETag.
    const video = (url.pathname.endsWith(".mask.mp4") ? undefined : this.#videoOf(job.id)) ?? sampleVideo();
    return videoResponse(request, cors, video, doneAt(job));
  }

  // Nothing is decoded at Submit (it would take time from the job's schedule): the photo is kept
  // as sent, the latest 32 or 64 MB of them, and made into a video when it is first downloaded.
  #keepPhoto(jobId: string, bytes: Uint8Array): void {
    this.#photos.set(jobId, bytes);
    this.#photoBytes += bytes.length;
    for (const [oldest, photo] of this.#photos) {
      if (this.#photos.size <= 32 && this.#photoBytes <= 64 * 1024 * 1024) break;
      this.#photos.delete(oldest);
      this.#photoBytes -= photo.length;
    }
  }

  /** The video made from a job's photo (made once, the latest 8 kept); undefined for the sample video. */
  #videoOf(jobId: string): Video | undefined {
    if (this.#videos.has(jobId)) return this.#videos.get(jobId);
    const bytes = this.#photos.get(jobId);
    if (!bytes) return undefined;
    const photo = photoForVideo(bytes);
    const video = photo && videoOf(photoVideo(photo));
    this.#videos.set(jobId, video);
    for (const oldest of this.#videos.keys()) if (this.#videos.size > 8) this.#videos.delete(oldest);
    return video;
  }

  #corsHeaders(request: Request): Record<string, string> {
    if (!this.#options.cors) return {};
    return {
      "Access-Control-Allow-Origin": request.headers.get("origin") ?? "*",
      "Access-Control-Allow-Methods": "POST, GET, OPTIONS",
      "Access-Control-Allow-Headers": request.headers.get("access-control-request-headers") ?? "*",
      "Access-Control-Max-Age": "600",
    };
  }

  /** The state worth keeping across a restart: jobs, unexpired temporary credentials and the video links' key. */
  snapshot(): EmulatorState {
    const now = this.clock.now();
    return {
      ...this.jobs.snapshot(),
      temporary: [...this.#temporary.values()].filter((c) => c.expiresAt > now),
      videoKey: this.#videoLinks.key,
    };
  }

  /** Takes back a {@link Emulator.snapshot}. */
  restore(state: EmulatorState): void {
    // State saved before links were signed has no key: this emulator's own is kept (and saved next).
    if (state.videoKey !== undefined) this.#videoLinks = new VideoLinks(state.videoKey);
    this.jobs.restore(state);
    this.#temporary.clear();
    for (const credential of state.temporary) this.#temporary.set(credential.secretId, withPolicy(credential));
  }
}

/**
 * Makes an {@link Emulator}.
 *
 * @example
 * ```ts
 * export default createEmulator({ cors: true }); // a Worker: its fetch is the handler
 * ```
 */
export const createEmulator = (options: EmulatorOptions = {}): Emulator => new Emulator(options);

function unsignedCaller(request: Request): Caller | Answer {
  const authorization = request.headers.get("authorization");
  if (authorization !== null && authorization !== "SKIP")
    return serviceError("AuthFailure.InvalidAuthorization", "This action is sent unsigned: Authorization must be SKIP.");
  return { accountId: "", temporary: undefined };
}

// State saved before policies were kept whole listed the allowed VCLM actions instead.
function withPolicy(credential: TemporaryCredential & { allowedActions?: readonly string[] }): TemporaryCredential {
  const { allowedActions, ...rest } = credential;
  if (!allowedActions || rest.policy) return rest as TemporaryCredential;
  return { ...rest, policy: [{ effect: "allow", actions: allowedActions.map((action) => `vclm:${action}`) }] };
}
