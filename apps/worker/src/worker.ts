// A Cloudflare Worker that animates photos for signed-in users. Every request needs
// `Authorization: Bearer <token>` (see token.ts); anything else gets 401 and costs nothing.
// POST /jobs?template=ke3 with the photo as the body submits a job within the user's daily quota
// (429 past it, kept by a Durable Object shared by every instance) and answers 202 with its JobId;
// GET /jobs/<JobId> answers the job's state, to its owner only. Waiting is done the Workers way: a
// Durable Object per job, woken by its alarm. Credentials come from Worker secrets.
import { DescribeImageAnimateJob, fromEnv, SubmitImageAnimateJob, VclmClient, VclmError } from "@vclm/core";
import { nextDelay } from "@vclm/poller";
import { type DurableObjectNamespaceLike, durableObjectStore } from "@vclm/relay";
import { retry } from "@vclm/retry";
import { verifyToken } from "./token.js";

export { RelayStoreObject } from "@vclm/relay";

interface Env {
  TENCENTCLOUD_SECRET_ID: string;
  TENCENTCLOUD_SECRET_KEY: string;
  /** The key user tokens are signed with (wrangler secret put AUTH_SECRET). */
  AUTH_SECRET: string;
  /** Paid jobs per user per day. @default 20 */
  SUBMITS_PER_DAY?: string;
  /** An emulator or relay instead of the service (tests, development). */
  VCLM_ENDPOINT?: string;
  JOBS: DurableObjectNamespace;
  RELAY_STORE: DurableObjectNamespaceLike;
}

// The few Workers types used here (see @cloudflare/workers-types for the whole set).
interface DurableObjectNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(input: string, init?: RequestInit): Promise<Response> };
}
interface DurableObjectState {
  storage: {
    get<T>(key: string): Promise<T | undefined>;
    put(key: string, value: unknown): Promise<void>;
    setAlarm(at: number): Promise<void>;
  };
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
    const user = await verifyToken(request.headers.get("authorization"), env.AUTH_SECRET);
    if (!user) return json({ error: "sign in first: send Authorization: Bearer <token>" }, 401);
    try {
      if (request.method === "POST" && url.pathname === "/jobs") {
        const TemplateId = (url.searchParams.get("template") ?? "ke3") as (typeof TEMPLATES)[number];
        if (!TEMPLATES.includes(TemplateId)) return json({ error: `template must be one of ${TEMPLATES.join(", ")}` }, 400);
        const photo = new Uint8Array(await request.arrayBuffer());
        // The quota is counted before the Submit: a job that might exist counts (the safe side).
        const limit = Number(env.SUBMITS_PER_DAY ?? 20);
        if ((await durableObjectStore(env.RELAY_STORE).hit(`submit:${user}`, DAY, Date.now())) > limit)
          return json({ error: `the quota of ${limit} jobs a day is used up` }, 429);
        const { JobId } = await clientFor(env).send(SubmitImageAnimateJob, { TemplateId, photo });
        await env.JOBS.get(env.JOBS.idFromName(JobId)).fetch("https://job/track", {
          method: "POST",
          body: JSON.stringify({ JobId, owner: user }),
        });
        return json({ JobId, Status: "WAIT", status: `/jobs/${JobId}` }, 202);
      }
      const match = /^\/jobs\/(\d+)$/.exec(url.pathname);
      if (request.method === "GET" && match)
        return env.JOBS.get(env.JOBS.idFromName(match[1] as string)).fetch(`https://job/state?owner=${encodeURIComponent(user)}`);
      return json({ error: "POST /jobs?template=ke3 with a photo, or GET /jobs/<JobId>" }, 404);
    } catch (error) {
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
      const { JobId, owner } = (await request.json()) as { JobId: string; owner: string };
      const job: JobState = { JobId, owner, submittedAt: Date.now(), Status: "WAIT", checks: 0 };
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

  async alarm(): Promise<void> {
    const job = await this.#state.storage.get<JobState>("job");
    if (!job || job.Status === "DONE" || job.Status === "FAIL") return;
    const answer = await clientFor(this.#env).send(DescribeImageAnimateJob, { JobId: job.JobId });
    const next: JobState = { ...job, Status: answer.Status, checks: job.checks + 1 };
    if (answer.Status === "DONE") next.ResultVideoUrl = answer.ResultVideoUrl;
    if (answer.Status === "FAIL") next.ErrorCode = answer.ErrorCode;
    await this.#state.storage.put("job", next);
    if (next.Status === "WAIT" || next.Status === "RUN")
      await this.#state.storage.setAlarm(Date.now() + nextDelay(Date.now() - job.submittedAt, {}, Math.random));
  }
}
