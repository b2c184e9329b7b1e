// A Cloudflare Worker that animates photos. POST /jobs?template=ke3 with the photo as the body
// submits a job and answers 202 with its JobId; GET /jobs/<JobId> answers the job's state. Waiting
// is done the Workers way: a Durable Object per job, woken by its alarm, so a job outlives the
// request that submitted it. Credentials come from Worker secrets (wrangler secret put ...).
import { DescribeImageAnimateJob, fromEnv, photoToBase64, SubmitImageAnimateJob, VclmClient, VclmError } from "@vclm/core";
import { nextDelay } from "@vclm/poller";
import { retry } from "@vclm/retry";

interface Env {
  TENCENTCLOUD_SECRET_ID: string;
  TENCENTCLOUD_SECRET_KEY: string;
  /** An emulator or relay instead of the service (tests, development). */
  VCLM_ENDPOINT?: string;
  JOBS: DurableObjectNamespace;
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

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    try {
      if (request.method === "POST" && url.pathname === "/jobs") {
        const TemplateId = (url.searchParams.get("template") ?? "ke3") as (typeof TEMPLATES)[number];
        if (!TEMPLATES.includes(TemplateId)) return json({ error: `template must be one of ${TEMPLATES.join(", ")}` }, 400);
        const ImageBase64 = await photoToBase64(await request.arrayBuffer());
        const { JobId } = await clientFor(env).send(SubmitImageAnimateJob, { TemplateId, ImageBase64 });
        await env.JOBS.get(env.JOBS.idFromName(JobId)).fetch("https://job/track", { method: "POST", body: JobId });
        return json({ JobId, Status: "WAIT", status: `/jobs/${JobId}` }, 202);
      }
      const match = /^\/jobs\/(\d+)$/.exec(url.pathname);
      if (request.method === "GET" && match) return env.JOBS.get(env.JOBS.idFromName(match[1] as string)).fetch("https://job/state");
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
    if (new URL(request.url).pathname === "/track") {
      const job: JobState = { JobId: await request.text(), submittedAt: Date.now(), Status: "WAIT", checks: 0 };
      await this.#state.storage.put("job", job);
      await this.#state.storage.setAlarm(Date.now() + 1_000);
      return json(job);
    }
    const job = await this.#state.storage.get<JobState>("job");
    return job ? json(job) : json({ error: "no such job here" }, 404);
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
