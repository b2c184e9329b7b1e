// One Durable Object per account that makes every call the account's jobs need, so the account's
// limits hold across every Worker instance: submissions arrive through a Queue and wait here in
// order; they are admitted up to the concurrent-job limit (learnt from JobNumExceed, which no
// visitor ever sees); every Submit and Describe of the account goes through one rate limit; one
// alarm looks at the jobs most likely done first (the poller's schedule, with a learnt job length);
// a DONE job's video is streamed into R2. Every step is in storage before the next call leaves (a
// Durable Object's output gate holds outgoing requests until its writes are durable), so a restart
// loses nothing and a Submit whose answer was lost is never sent again.
import {
  type Clock,
  classifyFailure,
  DescribeImageAnimateJob,
  OPERATIONS,
  openVideo,
  SubmitImageAnimateJob,
  systemClock,
  type TemplateId,
  type VclmClient,
} from "@vclm/core";
import { backoff, JobLimit, RateWindow } from "@vclm/core/internal";
import { DurationEstimate, nextDelay } from "@vclm/poller";
import { type AlarmState, ObservedAlarm } from "./observed-alarm.js";
import { photoLink } from "./photo-link.js";
import type { DurableStorageLike, FixedLengthStream as FixedLengthStreamType, R2BucketLike } from "./workers-types.js";

declare const FixedLengthStream: typeof FixedLengthStreamType;

/**
 * A submission, as the Queue carries it to the {@link Coordinator}.
 *
 * @example
 * ```ts
 * declare const request: Request; // the visitor's POST, as the Worker's fetch gets it
 * declare const env: { BUCKET: R2BucketLike }; // the Worker's R2 binding
 * const { key } = await storePhoto(request, env.BUCKET);
 * const submission: Submission = { id: crypto.randomUUID(), owner: "alice", photo: `photos/${key}`, template: "ke3", origin: "https://animate.example.com" };
 * ```
 */
export interface Submission {
  readonly id: string;
  readonly owner: string;
  /** The photo's key in R2 (photos/<key>). */
  readonly photo: string;
  readonly template: TemplateId;
  /** Where the service reaches this Worker, for the photo's link. */
  readonly origin: string;
}

/**
 * A submission as its owner sees it: `queued`, `submitting` (a Submit sent, not yet answered),
 * `submitted` (its job runs: `JobId`, `Status`), `DONE` (its video kept in R2: `video`), `FAIL`,
 * `maybe-submitted` (its Submit's answer was lost: the job may exist; never sent again) or
 * `refused` (`error` says why).
 *
 * @example
 * ```ts
 * const line = (job: SubmissionState) => `${job.state}${job.JobId ? ` (job ${job.JobId})` : ""}${job.error ? `: ${job.error}` : ""}`;
 * ```
 */
export interface SubmissionState {
  id: string;
  template: Submission["template"];
  state: "queued" | "submitting" | "submitted" | "DONE" | "FAIL" | "maybe-submitted" | "refused";
  queuedAt: number;
  JobId?: string;
  submittedAt?: number;
  Status?: string;
  dueAt?: number;
  checks?: number;
  video?: { key: string; bytes: number };
  error?: string;
}

interface Entry extends Submission, SubmissionState {
  readonly id: string;
  readonly template: Submission["template"];
  seq: number;
  /** Checks (or video downloads) that failed in a row: the next waits longer. */
  failures?: number;
}

/**
 * What the {@link Coordinator} needs of the Worker's environment.
 *
 * @example
 * ```ts
 * interface Env extends CoordinatorEnv { AUTH_SECRET: string }
 * ```
 */
export interface CoordinatorEnv {
  BUCKET: R2BucketLike;
  PHOTO_LINK_SECRET: string;
  /** Calls per second per action for the whole account. @default 20 */
  REQUESTS_PER_SECOND?: string;
}

/**
 * One account's coordinator, to run inside a Durable Object (one per account): `enqueue` takes
 * submissions from a Queue's consumer, `alarm` does the work, `state` answers a submission's owner.
 * It admits submissions in order up to the account's concurrent-job limit (learnt from
 * JobNumExceed, which no visitor sees), makes every Submit and Describe under one rate limit,
 * follows every job from one alarm (the poller's schedule and a learnt job length), and streams
 * each DONE video into R2. Every step is stored before the call that follows it leaves (a Durable
 * Object's output gate), so a restart loses nothing and a Submit whose answer was lost is never
 * sent again: it is shown as "maybe submitted".
 *
 * With `observe` on the client it is given, each alarm is a span (`vclm.coordinator.alarm`: what
 * it admitted, checked and finished, what is queued and running, the limit; an event per job
 * submitted or ended and per problem) whose children are its Submits and Describes, a log line
 * (`vclm.coordinator`: debug per alarm, a warning per problem), and the gauge `vclm.slots.in_use`
 * (the jobs running).
 *
 * @example
 * ```ts
 * interface Env extends CoordinatorEnv {
 *   TENCENTCLOUD_SECRET_ID: string;
 *   TENCENTCLOUD_SECRET_KEY: string;
 * }
 *
 * // A Durable Object, one per account: workerd makes it with its state and the Worker's env.
 * export class CoordinatorObject {
 *   coordinator: Coordinator;
 *   constructor(state: { storage: DurableStorageLike }, env: Env) {
 *     // observe: a span and a log line per alarm (console is a logger; give a tracer from @vclm/otel for spans).
 *     const client = new VclmClient({ region: "ap-singapore", credentials: fromEnv(env) }).use(observe({ logger: console }));
 *     this.coordinator = new Coordinator(state.storage, env, client);
 *   }
 *   alarm() {
 *     return this.coordinator.alarm();
 *   }
 * }
 * ```
 */
export class Coordinator {
  readonly #storage: DurableStorageLike;
  readonly #env: CoordinatorEnv;
  readonly #client: VclmClient;
  #loaded: Promise<void> | undefined;
  readonly #pending: Entry[] = [];
  readonly #active = new Map<string, Entry>();
  #limit = new JobLimit();
  #seq = 0;
  readonly #estimate = new DurationEstimate();
  /** One rate per action for the whole account: a second's worth may go at once, then evenly. */
  readonly #rates: Map<string, RateWindow>;
  readonly #clock: Clock;
  readonly #fetch: typeof fetch;

  constructor(
    storage: DurableStorageLike,
    env: CoordinatorEnv,
    client: VclmClient,
    {
      clock = systemClock,
      fetch = (input, init) => globalThis.fetch(input, init),
    }: {
      /** Time and jitter: the schedule and the photo links' expiry (a test's virtual clock). @default systemClock */
      clock?: Clock;
      /** What downloads the videos (a test's network). @default globalThis.fetch */
      fetch?: typeof globalThis.fetch;
    } = {},
  ) {
    this.#storage = storage;
    this.#env = env;
    this.#client = client;
    this.#clock = clock;
    this.#fetch = fetch;
    const perSecond = Number(env.REQUESTS_PER_SECOND ?? 20);
    const rate = () => new RateWindow(perSecond, { burst: perSecond });
    this.#rates = new Map(OPERATIONS.map(({ action }) => [action, rate()]));
  }

  /** Reads the state back from storage: after a restart, queued ones wait on, submitted ones are followed, a Submit left unanswered is "maybe submitted". */
  #load(): Promise<void> {
    this.#loaded ??= (async () => {
      const entries = [...(await this.#storage.list<Entry>({ prefix: "job:" })).values()].sort((a, b) => a.seq - b.seq);
      for (const entry of entries) {
        this.#seq = Math.max(this.#seq, entry.seq + 1);
        if (entry.state === "queued") this.#pending.push(entry);
        else if (entry.state === "submitted") this.#active.set(entry.id, entry);
        else if (entry.state === "submitting") {
          entry.state = "maybe-submitted";
          entry.error = "its Submit was in flight when the coordinator restarted: the job may exist; it is not sent again";
          await this.#save(entry);
        }
      }
      this.#limit = new JobLimit({ value: await this.#storage.get<number>("limit"), now: this.#clock.now() });
    })();
    return this.#loaded;
  }

  #save(entry: Entry): Promise<void> {
    return this.#storage.put(`job:${entry.id}`, entry);
  }

  /** Takes one call of `action` for the account if the rate allows one now; false when it does not. */
  #take(action: (typeof OPERATIONS)[number]["action"]): boolean {
    const now = this.#clock.now();
    const rate = this.#rates.get(action) as RateWindow;
    if (rate.delay(now) > 0) return false;
    rate.take(now);
    return true;
  }

  /** Takes submissions (from a Queue's consumer), in order; a repeated delivery is taken once. */
  async enqueue(submissions: readonly Submission[]): Promise<void> {
    await this.#load();
    for (const submission of submissions) {
      if (await this.#storage.get(`job:${submission.id}`)) continue;
      const entry: Entry = { ...submission, state: "queued", queuedAt: this.#clock.now(), seq: this.#seq++ };
      await this.#save(entry);
      this.#pending.push(entry);
    }
    await this.#wake(this.#clock.now());
  }

  /** A submission's state for its owner; undefined for anyone else. */
  async state(id: string, owner: string): Promise<SubmissionState | undefined> {
    const entry = await this.#storage.get<Entry>(`job:${id}`);
    if (!entry || entry.owner !== owner) return undefined;
    const { owner: _, origin, photo, seq, failures, ...visible } = entry;
    return visible;
  }

  async #wake(at: number): Promise<void> {
    const current = await this.#storage.getAlarm();
    if (current === null || current > at) await this.#storage.setAlarm(at);
  }

  /**
   * One round: admit what the limits allow, look at the jobs that are due, and set the next alarm.
   * With `observe` on the client, the round is a span (`vclm.coordinator.alarm`) whose children
   * are its calls, and a log line.
   */
  async alarm(): Promise<void> {
    await this.#load();
    const { observer } = this.#client.state;
    const seen = observer && new ObservedAlarm(observer, this.#now());
    try {
      await this.#round(seen);
    } catch (error) {
      seen?.end(this.#now(), error);
      throw error;
    }
    seen?.end(this.#now());
  }

  /** Where the coordinator is: submissions queued, jobs running, the limit. */
  #now(): AlarmState {
    const limit = this.#limit.value;
    return { queued: this.#pending.length, running: this.#active.size, limit: Number.isFinite(limit) ? limit : undefined };
  }

  async #round(seen: ObservedAlarm | undefined): Promise<void> {
    this.#limit.ended(this.#clock.now()); // after a quiet while, the account may have room for one more
    let admitting = true;
    while (admitting && this.#pending.length && this.#active.size < this.#limit.value && this.#take("SubmitImageAnimateJob"))
      admitting = await this.#submit(this.#pending[0] as Entry, seen);
    const now = this.#clock.now();
    const due = [...this.#active.values()].filter((entry) => (entry.dueAt ?? 0) <= now).sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
    const checks: Promise<void>[] = [];
    for (const entry of due) {
      if (!this.#take("DescribeImageAnimateJob")) break;
      checks.push(this.#describe(entry, seen));
    }
    await Promise.all(checks);
    const nextSecond = (Math.floor(this.#clock.now() / 1000) + 1) * 1000;
    const nextDue = Math.min(...[...this.#active.values()].map((entry) => entry.dueAt ?? 0));
    const canAdmit = this.#pending.length && this.#active.size < this.#limit.value;
    const next = Math.min(canAdmit ? nextSecond : Number.POSITIVE_INFINITY, Math.max(nextDue, this.#clock.now() + 50));
    if (Number.isFinite(next)) await this.#storage.setAlarm(next);
  }

  /** Submits the first queued entry; false when admission must pause this round. */
  async #submit(entry: Entry, seen: ObservedAlarm | undefined): Promise<boolean> {
    entry.state = "submitting"; // stored before the Submit leaves (the output gate)
    await this.#save(entry);
    try {
      const key = entry.photo.replace(/^photos\//, "");
      const ImageUrl = await photoLink(entry.origin, key, this.#env.PHOTO_LINK_SECRET, this.#clock.now()); // expires by the same clock
      const { JobId } = await this.#client.send(SubmitImageAnimateJob, { TemplateId: entry.template, ImageUrl }, { parent: seen?.span });
      Object.assign(entry, {
        state: "submitted",
        JobId,
        submittedAt: this.#clock.now(),
        Status: "WAIT",
        dueAt: this.#clock.now() + 1_000,
        checks: 0,
      });
      await this.#save(entry);
      this.#pending.shift();
      this.#active.set(entry.id, entry);
      seen?.admitted(entry.id, JobId);
      return true;
    } catch (error) {
      const failure = classifyFailure(error); // core's one failure table
      if (failure === "job-slot" || failure === "throttled" || failure === "transient") {
        entry.state = "queued"; // provably no job: it waits its turn again
        seen?.problem(failure === "job-slot" ? "full" : failure, entry.id, error, { later: true });
        await this.#save(entry);
        if (failure === "job-slot") {
          this.#limit.refused(this.#active.size, this.#clock.now());
          await this.#storage.put("limit", this.#limit.value);
        }
        return false;
      }
      entry.state = failure === "may-have-arrived" || failure === "unexpected" ? "maybe-submitted" : "refused";
      entry.error = (error as Error).message;
      seen?.problem(entry.state, entry.id, error);
      await this.#save(entry);
      this.#pending.shift();
      return true;
    }
  }

  async #describe(entry: Entry, seen: ObservedAlarm | undefined): Promise<void> {
    const elapsed = this.#clock.now() - (entry.submittedAt ?? this.#clock.now());
    const JobId = entry.JobId as string;
    let checked = false;
    try {
      const answer = await this.#client.send(DescribeImageAnimateJob, { JobId }, { parent: seen?.span });
      checked = true;
      seen?.checked();
      entry.Status = answer.Status;
      entry.checks = (entry.checks ?? 0) + 1;
      delete entry.failures;
      if (answer.Status === "DONE") {
        this.#estimate.observe(elapsed);
        entry.video = await this.#keep(JobId, answer.ResultVideoUrl);
        entry.state = "DONE";
        seen?.finished(entry.id, JobId, "DONE");
      } else if (answer.Status === "FAIL") {
        this.#estimate.observe(elapsed);
        Object.assign(entry, { state: "FAIL", error: `${answer.ErrorCode}: ${answer.ErrorMessage}` });
        seen?.finished(entry.id, JobId, "FAIL", { code: answer.ErrorCode, message: answer.ErrorMessage });
      } else entry.dueAt = this.#clock.now() + nextDelay(elapsed, { expectedDuration: this.#estimate.value }, () => this.#clock.random());
    } catch (error) {
      // A check that failed, or a video not kept yet: looked at again later, a little later each time in a row.
      entry.error = (error as Error).message;
      seen?.problem(checked ? "video not kept" : "check failed", entry.id, error, { JobId });
      entry.failures = (entry.failures ?? 0) + 1;
      entry.dueAt = this.#clock.now() + backoff(entry.failures, { first: 1_000, max: 30_000 }, () => this.#clock.random());
    }
    if (entry.state === "DONE" || entry.state === "FAIL") {
      this.#active.delete(entry.id);
      if (entry.state === "DONE") delete entry.error; // a check's hiccup on the way; a FAIL keeps its reason
      // The service has the photo; nobody else needs it. A delete R2 refuses leaves it there (a
      // problem to see) rather than the job's end unsaved: thrown, it left the job followed by no one.
      await this.#env.BUCKET.delete(entry.photo).catch((error: unknown) => seen?.problem("photo not deleted", entry.id, error, { JobId }));
    }
    await this.#save(entry);
  }

  /** Streams the video into R2 as it downloads (checked to be a video): served from there, after 24 h too. */
  async #keep(JobId: string, url: string): Promise<{ key: string; bytes: number }> {
    const { body, total } = await openVideo(url, { fetch: this.#fetch });
    const key = `videos/${JobId}.mp4`;
    // R2 takes a stream of known length; a video sent without one is read whole first.
    const value =
      total === undefined ? new Uint8Array(await new Response(body).arrayBuffer()) : body.pipeThrough(new FixedLengthStream(total));
    await this.#env.BUCKET.put(key, value, { httpMetadata: { contentType: "video/mp4" } });
    return { key, bytes: (await this.#env.BUCKET.head(key))?.size ?? 0 };
  }
}
