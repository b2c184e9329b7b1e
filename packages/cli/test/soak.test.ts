// A bounded soak of `vclm animate DIR --out-dir OUT` (the built CLI, bin/vclm.js) against the
// emulator on loopback. What is soaked, one describe each:
//   1. SIGKILL at a seeded random moment, then 3 processes started at once on the same OUT;
//   2. clashing video names across runs, folders and templates in one OUT;
//   3. lost answers to Submits (the job is made, the answer never comes);
//   4. SIGINT and SIGTERM while a Submit is on its way;
//   5. SIGINT and SIGTERM while a video downloads (slowed by a loopback proxy), then a resumed download.
// Every trial ends "as a user would": the same command again until exit 0; after exit 3, the
// account (the emulator's jobs) is checked for each maybe-submitted photo, and the run repeated
// with --adopt NAME=JOBID for those that have a job and --resubmit-unsure for the others.
// What is counted, per trial and over all trials (every total must be 0):
//   - doubles: a photo (per template) with more than one job, unless this test itself chose
//     --resubmit-unsure for it while the emulator had no job of it;
//   - overwritten: a file whose bytes are not the video of the job the final report says it holds
//     (another job's video), a saved job whose file is missing, two photos reported in one file, or
//     a file a later run changed or removed (each run's files are hashed before it starts and after it ends);
//   - corrupt: a saved file (or a report's sha256) that differs from the server's video of its job
//     (fetched from `${emulatorUrl}videos/<JobId>.mp4` and hashed);
//   - stray: a video file no report names, or a job's video held by two files;
//   - parts left: `.vclm-*.part` files still in OUT once every photo is saved.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import type { BatchReport, PhotoOutcome } from "@vclm/batch";
import { DescribeImageAnimateJob, VclmClient } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { type RunningEmulator, type StartEmulatorOptions, startEmulator } from "@vclm/emulator/node";
import { retry } from "@vclm/retry";
import { makePng } from "@vclm/tools/photos";
import { afterAll, describe, expect, it } from "vitest";

const bin = new URL("../bin/vclm.js", import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), "vclm-soak-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A quick emulator: jobs wait 200 ms and run 600 ms. */
const QUICK = { waitMs: 200, runMs: 600 };
const SUBMIT = "SubmitImageAnimateJob";
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A seeded PRNG (the LCG of batch.test.ts), so a soak can be replayed. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

// ---- photos ---------------------------------------------------------------------------------

/**
 * A 240x400 greyscale PNG, checkered in shades that depend on `seed` (0..255 give distinct
 * photos): the emulator makes each one's video from it, so no two photos share a video. The
 * service and the CLI go by the bytes, so it may be named .jpg too.
 */
const photoPng = (seed: number): Buffer => Buffer.from(makePng(240, 400, { pattern: seed }));

// ---- running the CLI --------------------------------------------------------------------------

interface Finished {
  readonly pid: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly exitedAt: number;
}

/** A CLI process: its pid, a way to wait for a line on its stderr, and its end. */
interface Started {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when stderr matches (with the time it did), or rejects if the process ends first or `timeoutMs` passes. */
  stderrMatch(pattern: RegExp, timeoutMs?: number): Promise<{ match: RegExpExecArray; at: number }>;
  readonly done: Promise<Finished>;
}

/** The --json report on stdout, if the run got as far as one. */
function reportOf(run: Finished): (BatchReport & { interrupted?: string }) | undefined {
  try {
    const json = JSON.parse(run.stdout);
    return Array.isArray(json?.photos) ? json : undefined;
  } catch {
    return undefined;
  }
}

/** How a run ended, for the table: its exit code, "k" for SIGKILL, "in use" for a refused lock. */
function exitOf(run: Finished): string {
  if (run.signal) return run.signal === "SIGKILL" ? "k" : run.signal;
  if (run.code === 1 && /is in use by process \d+/.test(run.stderr)) return "in use";
  return String(run.code);
}

/** Hashes every video in a folder, by name. */
function hashVideos(out: string): Map<string, string> {
  const files = existsSync(out) ? readdirSync(out).filter((name) => name.endsWith(".mp4")) : [];
  return new Map(files.map((name) => [name, sha256(readFileSync(join(out, name)))]));
}

/** A photo's jobs as the emulator keeps them: by template and the SHA-256 of its base64. */
const jobKey = (template: string, emulatorKey: string) => `${template}:${emulatorKey}`;

interface Counts {
  photos: number;
  jobs: number;
  saved: number;
  doubles: number;
  overwritten: number;
  corrupt: number;
  stray: number;
  "parts left": number;
}

/**
 * One OUT folder and the emulator it is animated against: its photos, every CLI run on it, the
 * last outcome reported for each photo, and what the test itself chose (--resubmit-unsure).
 */
class Trial {
  readonly dir: string;
  readonly out: string;
  /** The emulator's key for each photo, by the SHA-256 of its bytes (the journal's key is TEMPLATE:that). */
  readonly #emulatorKeys = new Map<string, string>();
  /** Each photo's last reported outcome, by its journal key (photos with the same bytes are one). */
  readonly outcomes = new Map<string, PhotoOutcome>();
  /** Each name's last reported outcome when it had another photo's bytes (`sameAs`). */
  readonly sameAs = new Map<string, PhotoOutcome>();
  /** Times the test resubmitted a photo (by jobKey) while the emulator had no job of it. */
  readonly #resubmitted = new Map<string, number>();
  /** How each run ended, in order. */
  readonly exits: string[] = [];
  /** Files a run changed or removed that existed when it started. */
  changed: string[] = [];
  readonly #videos = new Map<string, Promise<string>>();

  constructor(
    name: string,
    readonly running: RunningEmulator,
  ) {
    this.dir = join(root, name);
    this.out = join(this.dir, "videos");
    mkdirSync(this.dir, { recursive: true });
  }

  /** Writes a photo at `path` (relative to the trial's folder). */
  photo(path: string, bytes: Buffer): void {
    mkdirSync(dirname(join(this.dir, path)), { recursive: true });
    writeFileSync(join(this.dir, path), bytes);
    this.#emulatorKeys.set(sha256(bytes), sha256(bytes.toString("base64")));
  }

  /** The emulator's name for a photo's jobs, from its journal key (TEMPLATE:SHA-256 of its bytes). */
  #jobKeyOf(key: string): string {
    const [template = "", sha = ""] = key.split(":");
    return jobKey(template, this.#emulatorKeys.get(sha) ?? `unknown photo ${sha}`);
  }

  /** The emulator's jobs of the photo with this journal key. */
  jobsOf(key: string) {
    return [...this.running.emulator.jobs.all()].filter((job) => jobKey(job.templateId, job.photo) === this.#jobKeyOf(key));
  }

  /**
   * Starts the CLI in the trial's folder (photos and OUT given relative to it). When it ends, its
   * report (if any) is taken in, and every video that was in OUT when it started must be unchanged.
   */
  start(args: string[], { endpoint = this.running.url, killAfter }: { endpoint?: string; killAfter?: number } = {}): Started {
    const before = hashVideos(this.out);
    const child = spawn(process.execPath, [bin, ...args, "--endpoint", endpoint], {
      cwd: this.dir,
      env: { ...process.env, TENCENTCLOUD_SECRET_ID: DEMO_ACCOUNT.secretId, TENCENTCLOUD_SECRET_KEY: DEMO_ACCOUNT.secretKey },
    });
    let stdout = "";
    let stderr = "";
    const waiters = new Set<() => void>();
    child.stdout?.on("data", (chunk) => (stdout += chunk));
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
      for (const check of waiters) check();
    });
    const timer = killAfter === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfter);
    let ended = false;
    const done = new Promise<Finished>((settle) =>
      child.once("close", (code, signal) => {
        ended = true;
        clearTimeout(timer);
        const finished = { pid: child.pid as number, code, signal, stdout, stderr, exitedAt: Date.now() };
        this.#takeIn(finished, before);
        for (const check of waiters) check();
        settle(finished);
      }),
    );
    const stderrMatch = (pattern: RegExp, timeoutMs = 15_000) =>
      new Promise<{ match: RegExpExecArray; at: number }>((found, fail) => {
        const giveUp = setTimeout(() => {
          waiters.delete(check);
          fail(new Error(`stderr did not show ${pattern} within ${timeoutMs} ms:\n${stderr}`));
        }, timeoutMs);
        function check() {
          const match = pattern.exec(stderr);
          if (!match && !ended) return;
          waiters.delete(check);
          clearTimeout(giveUp);
          if (match) found({ match, at: Date.now() });
          else fail(new Error(`the process ended before stderr showed ${pattern}:\n${stderr}`));
        }
        waiters.add(check);
        setImmediate(check);
      });
    return { child, pid: child.pid as number, stderrMatch, done };
  }

  /** Runs the CLI to its end. */
  run(args: string[], options: { endpoint?: string; killAfter?: number } = {}): Promise<Finished> {
    return this.start(args, options).done;
  }

  #takeIn(run: Finished, before: Map<string, string>): void {
    this.exits.push(exitOf(run));
    const after = hashVideos(this.out);
    for (const [name, hash] of before)
      if (after.get(name) !== hash) this.changed.push(`${name} (${after.has(name) ? "changed" : "removed"})`);
    for (const photo of reportOf(run)?.photos ?? []) {
      if (photo.sameAs) this.sameAs.set(photo.name, photo);
      else this.outcomes.set(photo.key, photo);
    }
  }

  /**
   * What a user does after exit 3: looks in the account (the emulator's jobs) for each photo that
   * may have been submitted; the arguments to adopt those that have a job and resubmit the others.
   */
  checkAccount(report: BatchReport): string[] {
    const adopt: string[] = [];
    let resubmit = false;
    for (const photo of report.photos) {
      if (photo.sameAs) continue;
      if (photo.unrecorded && photo.JobId) adopt.push("--adopt", `${photo.name}=${photo.JobId}`);
      if (photo.outcome !== "maybe-submitted") continue;
      const [job] = this.jobsOf(photo.key);
      if (job) adopt.push("--adopt", `${photo.name}=${job.id}`);
      else {
        resubmit = true;
        const key = this.#jobKeyOf(photo.key);
        this.#resubmitted.set(key, (this.#resubmitted.get(key) ?? 0) + 1);
      }
    }
    return [...adopt, ...(resubmit ? ["--resubmit-unsure"] : [])];
  }

  /** Runs the command until it exits 0, as a user would (see {@link checkAccount}); resolves to the last report. */
  async settle(args: string[], options: { endpoint?: string } = {}): Promise<BatchReport> {
    let extra: string[] = [];
    for (let round = 1; round <= 8; round++) {
      const run = await this.run([...args, ...extra], options);
      const report = reportOf(run);
      if (!report) throw new Error(`exit ${exitOf(run)} without a report:\n${run.stderr}\n${run.stdout}`);
      if (run.code === 0) return report;
      if (run.code === 3) extra = this.checkAccount(report);
      else if (run.code === 1) extra = [];
      else throw new Error(`exit ${exitOf(run)}:\n${run.stderr}`);
    }
    throw new Error(`not settled after 8 runs: ${this.exits.join(" ")}`);
  }

  /** The SHA-256 of the server's video of a job, fetched once. */
  serverVideo(JobId: string): Promise<string> {
    let video = this.#videos.get(JobId);
    if (!video) {
      // The video's link is signed, as the service's are: the one Describe gives.
      const client = new VclmClient({ region: "ap-singapore", endpoint: this.running.url, credentials: DEMO_ACCOUNT }).use(retry());
      video = client.send(DescribeImageAnimateJob, { JobId }).then(async ({ ResultVideoUrl }) => {
        const response = await fetch(ResultVideoUrl);
        if (!response.ok) throw new Error(`video of job ${JobId}: HTTP ${response.status}`);
        return sha256(new Uint8Array(await response.arrayBuffer()));
      });
      this.#videos.set(JobId, video);
    }
    return video;
  }

  /**
   * Counts what the header says, from the emulator's jobs, the files in OUT and the last reported
   * outcomes. With `distinctVideos` (each job's video made from its photo), each saved job's video
   * must also be in exactly one file, named with its template.
   */
  async audit({ distinctVideos }: { distinctVideos: boolean }): Promise<Counts> {
    const jobs = [...this.running.emulator.jobs.all()];
    const perPhoto = new Map<string, number>();
    for (const job of jobs) {
      const key = jobKey(job.templateId, job.photo);
      perPhoto.set(key, (perPhoto.get(key) ?? 0) + 1);
    }
    const doubles = [...perPhoto].filter(([key, n]) => n > 1 + (this.#resubmitted.get(key) ?? 0)).length;

    const files = hashVideos(this.out);
    const allVideos = new Set(await Promise.all(jobs.map((job) => this.serverVideo(job.id))));
    let overwritten = this.changed.length;
    let corrupt = 0;
    let stray = 0;
    const named = new Map<string, number>();
    const saved = [...this.outcomes.values()].filter((photo) => photo.outcome === "saved");
    for (const photo of saved) {
      const file = basename(resolve(this.dir, photo.location as string));
      named.set(file, (named.get(file) ?? 0) + 1);
      const mine = this.jobsOf(photo.key).some((job) => job.id === photo.JobId);
      const video = await this.serverVideo(photo.JobId as string);
      const held = existsSync(resolve(this.dir, photo.location as string)) ? files.get(file) : undefined;
      if (!mine || held === undefined) overwritten++;
      else if (held !== video && allVideos.has(held)) overwritten++;
      else if (held !== video) corrupt++; // not the video of any job
      if (photo.sha256 !== video) corrupt++;
      if (distinctVideos) {
        const [template] = photo.key.split(":");
        const holders = [...files].filter(([name, hash]) => hash === video && new RegExp(`-${template}(-\\d+)?\\.mp4$`).test(name));
        if (holders.length > 1) stray += holders.length - 1;
      }
    }
    overwritten += [...named.values()].filter((n) => n > 1).reduce((sum, n) => sum + n - 1, 0);
    stray += [...files.keys()].filter((file) => !named.has(file)).length;
    const parts = existsSync(this.out) ? readdirSync(this.out).filter((file) => /^\.vclm-.*\.part$/.test(file)).length : 0;
    return {
      photos: this.outcomes.size,
      jobs: jobs.length,
      saved: saved.length,
      doubles,
      overwritten,
      corrupt,
      stray,
      "parts left": parts,
    };
  }
}

// ---- the tally over all trials ------------------------------------------------------------------

const rows: (Counts & { scenario: string; trial: string; runs: string; note: string })[] = [];
const COUNTED = ["photos", "jobs", "saved", "doubles", "overwritten", "corrupt", "stray", "parts left"] as const;

/** Audits a trial, adds its row to the table (`runs`: each run's exit, k for SIGKILL), and asserts its counts. */
async function tally(
  scenario: string,
  name: string,
  trial: Trial,
  { distinctVideos, note = "" }: { distinctVideos: boolean; note?: string },
): Promise<Counts> {
  const counts = await trial.audit({ distinctVideos });
  rows.push({ scenario, trial: name, ...counts, runs: trial.exits.join(" "), note });
  expect({ ...counts, changed: trial.changed }).toMatchObject({
    doubles: 0,
    overwritten: 0,
    corrupt: 0,
    stray: 0,
    "parts left": 0,
    changed: [],
  });
  return counts;
}

/** Runs `each` over `items`, at most `width` at a time. */
async function inGroups<T, R>(items: T[], width: number, each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let at = 0; at < items.length; at += width) results.push(...(await Promise.all(items.slice(at, at + width).map(each))));
  return results;
}

/** An emulator for one trial, closed when `body` ends. */
async function withEmulator<R>(options: StartEmulatorOptions, body: (running: RunningEmulator) => Promise<R>): Promise<R> {
  const running = await startEmulator(options);
  try {
    return await body(running);
  } finally {
    await running.close();
  }
}

// ---- a slow proxy ---------------------------------------------------------------------------------

interface SlowProxy {
  readonly url: string;
  /** Every request it forwarded: method, path and headers. */
  readonly log: { method: string; path: string; headers: IncomingHttpHeaders }[];
  /** From now on, forwards videos at full speed. */
  fast(): void;
  close(): Promise<void>;
}

/**
 * A loopback proxy in front of the emulator that forwards everything as it came (method, headers
 * with its own Host, so the emulator's video URLs point at the proxy, body) and trickles the
 * answers to `/videos/...` out `chunk` bytes every `everyMs` ms, until told to be fast.
 */
async function startSlowProxy(target: string, { chunk = 2048, everyMs = 20 } = {}): Promise<SlowProxy> {
  const log: SlowProxy["log"] = [];
  let slow = true;
  const server = createServer((request, response) => {
    const path = request.url ?? "/";
    log.push({ method: request.method ?? "", path, headers: { ...request.headers } });
    const upstream = httpRequest(new URL(path, target), { method: request.method, headers: request.headers, agent: false }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      if (!slow || !path.startsWith("/videos/")) {
        answer.pipe(response);
        return;
      }
      const parts: Buffer[] = [];
      answer.on("data", (part: Buffer) => parts.push(part));
      answer.on("end", () => {
        const body = Buffer.concat(parts);
        let at = 0;
        const timer = setInterval(() => {
          response.write(body.subarray(at, at + chunk));
          at += chunk;
          if (at >= body.length) {
            clearInterval(timer);
            response.end();
          }
        }, everyMs);
        response.once("close", () => clearInterval(timer));
      });
    });
    upstream.on("error", () => response.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    log,
    fast: () => {
      slow = false;
    },
    close: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}

/** The journal's records (JSON lines). */
const journalOf = (trial: Trial): { type: string; JobId?: string; key: string }[] =>
  readFileSync(join(trial.out, ".vclm-journal.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));

// ---- the scenarios --------------------------------------------------------------------------------

describe("SIGKILL, then 3 processes at once on one OUT", { timeout: 90_000 }, () => {
  it("12 batches killed at a random moment, then started 3 times at the same instant: each of the 3 finishes or says the OUT is in use by one of the others; settled, no photo has two jobs and every file holds its job's video", async () => {
    const random = prng(20261201);
    const plans = Array.from({ length: 12 }, (_, n) => ({ n, killAfter: 150 + Math.round(random() * 2_500) }));
    const results = await inGroups(plans, 6, ({ n, killAfter }) =>
      // The fixed sample video: these runs are about the journal and the lock, not the video's content.
      withEmulator({ schedule: QUICK, limits: { concurrentJobs: 2 }, photoVideos: false }, async (running) => {
        const trial = new Trial(`kill-${n}`, running);
        for (let i = 0; i < 6; i++) trial.photo(`photos/p${i}.png`, photoPng(i));
        const args = ["animate", "photos", "--out-dir", "videos", "--json"];
        const killed = await trial.run(args, { killAfter });
        const together = await Promise.all([0, 1, 2].map(() => trial.start(args).done)); // spawned in the same tick
        const pids = together.map((run) => run.pid);
        const kinds = together.map((run) => {
          if (reportOf(run)) return "finished";
          const holder = /is in use by process (\d+)/.exec(run.stderr)?.[1];
          if (run.code === 1 && holder && pids.includes(Number(holder)) && Number(holder) !== run.pid) return "in use";
          return `exit ${exitOf(run)}: ${run.stderr.trim()}`;
        });
        await trial.settle(args);
        const note = `at once: ${kinds.filter((kind) => kind === "finished").length} finished, ${kinds.filter((kind) => kind === "in use").length} in use`;
        await tally("1 kill + 3 at once", `#${n}: kill at ${killAfter} ms`, trial, { distinctVideos: false, note });
        return { landed: killed.signal === "SIGKILL", kinds };
      }),
    );
    for (const { kinds } of results) {
      expect(
        kinds.every((kind) => kind === "finished" || kind === "in use"),
        kinds.join("; "),
      ).toBe(true);
      expect(kinds).toContain("finished");
    }
    expect(results.filter((result) => result.landed).length).toBeGreaterThanOrEqual(8);
    expect(results.flatMap((result) => result.kinds).filter((kind) => kind === "in use").length).toBeGreaterThanOrEqual(12);
  });
});

describe("clashing video names across runs and templates", { timeout: 90_000 }, () => {
  it("monday/ and tuesday/IMG_0001.jpg, a.jpg and a.jpeg, a_b/c.jpg and a/b/c.jpg, a-copy.jpg: each video in its own file named with its template, no file replaced, a rerun saves nothing new", async () => {
    await withEmulator({ schedule: QUICK }, async (running) => {
      const trial = new Trial("names", running);
      trial.photo("monday/IMG_0001.jpg", photoPng(1));
      trial.photo("tuesday/IMG_0001.jpg", photoPng(2));
      trial.photo("a.jpg", photoPng(3));
      trial.photo("a.jpeg", photoPng(4));
      trial.photo("a_b/c.jpg", photoPng(5));
      trial.photo("a/b/c.jpg", photoPng(6));
      trial.photo("a-copy.jpg", photoPng(3));
      const out = ["--out-dir", "videos", "--json"];
      const reports = [];
      for (const args of [
        ["monday"],
        ["tuesday"],
        ["monday", "tuesday", "--template", "tuziwu"],
        ["a.jpg", "a.jpeg", "a_b/c.jpg", "a/b/c.jpg", "a-copy.jpg"],
      ])
        reports.push(await trial.settle(["animate", ...args, ...out]));
      expect(trial.exits).toEqual(["0", "0", "0", "0"]);

      // Each video's file is named for its photo and template.
      for (const photo of trial.outcomes.values()) expect(basename(photo.location as string)).toContain(`-${photo.key.split(":")[0]}`);
      const copy = trial.sameAs.get("a-copy.jpg");
      const original = reports[3]?.photos.find((photo) => photo.name === "a.jpg");
      expect(copy).toMatchObject({ sameAs: "a.jpg", outcome: "saved", location: original?.location, JobId: original?.JobId });

      // Monday again: its first video, in its first file, and no new job.
      const jobs = [...running.emulator.jobs.all()].length;
      const again = await trial.settle(["animate", "monday", ...out]);
      expect(trial.exits.at(-1)).toBe("0");
      expect(again.photos).toEqual([expect.objectContaining({ outcome: "saved", location: reports[0]?.photos[0]?.location })]);
      expect(again.submitted).toBe(0);
      expect([...running.emulator.jobs.all()].length).toBe(jobs);

      // Every job's video is in exactly one file, and that file is named with the job's template.
      const files = [...hashVideos(trial.out)];
      for (const job of running.emulator.jobs.all()) {
        const video = await trial.serverVideo(job.id);
        expect(files.filter(([name, hash]) => hash === video && name.includes(`-${job.templateId}`)).map(([name]) => name)).toHaveLength(1);
      }
      const note = files.map(([name]) => name).join(" ");
      const counts = await tally("2 clashing names", "5 runs, 2 templates", trial, { distinctVideos: true, note });
      expect(counts).toMatchObject({ photos: 8, jobs: 8, saved: 8 });
      expect(readdirSync(trial.out).filter((file) => file.endsWith(".mp4"))).toHaveLength(8);
    });
  });
});

describe("lost answers to Submits", { timeout: 90_000 }, () => {
  // Seeds whose draws lose two answers in a row in the first run (2: the 3rd, then the 9th and 10th
  // Submits; 4: the 3rd and 4th; 9: the 1st and 2nd), and more in the runs that settle it.
  const SEEDS = [2, 4, 9];
  it("30% of Submit answers lost over 10 photos: the first run stops submitting after 2 lost in a row; adopted and resubmitted, every photo is saved with one job", async () => {
    const results = await Promise.all(
      SEEDS.map((seed) =>
        withEmulator({ schedule: QUICK, photoVideos: false }, async (running) => {
          running.emulator.scenarios.chaos({ rate: 0.3, kinds: ["loseAnswer"], actions: [SUBMIT], seed });
          const trial = new Trial(`lost-${seed}`, running);
          for (let i = 0; i < 10; i++) trial.photo(`photos/p${i}.png`, photoPng(i));
          const args = ["animate", "photos", "--out-dir", "videos", "--json"];
          const first = reportOf(await trial.run(args));
          // What was not submitted after the stop has no job.
          const unsent = first?.photos.filter((photo) => photo.outcome === "error" && !photo.JobId) ?? [];
          const unsentWithJobs = unsent.filter((photo) => trial.jobsOf(photo.key).length > 0).map((photo) => photo.name);
          const final = await trial.settle(args);
          const lost = first?.photos.filter((photo) => photo.outcome === "maybe-submitted").length;
          const note = `first run: ${first?.submitted} answered, ${lost} lost, ${unsent.length} not sent`;
          await tally("3 lost answers", `seed ${seed}`, trial, { distinctVideos: false, note });
          return { seed, first, final, unsentWithJobs, firstExit: trial.exits[0] };
        }),
      ),
    );
    for (const { first, final, unsentWithJobs, firstExit } of results) {
      expect(firstExit).toBe("3");
      expect(first?.stopped).toMatch(/^2 Submits in a row may have reached the service and got no answer/);
      expect(unsentWithJobs).toEqual([]);
      expect(final.counts.saved).toBe(10);
    }
  });
});

describe("SIGINT and SIGTERM while a Submit is on its way", { timeout: 90_000 }, () => {
  it("the Submit is let finish: exit 130 or 143 soon after it answers, its JobId said and in the journal; a rerun saves every photo with one job", async () => {
    await Promise.all(
      (["SIGINT", "SIGTERM"] as const).map((signal) =>
        withEmulator({ schedule: QUICK, photoVideos: false }, async (running) => {
          running.emulator.scenarios.latency(1_500, { actions: [SUBMIT] });
          const trial = new Trial(`submit-${signal}`, running);
          for (let i = 0; i < 3; i++) trial.photo(`photos/p${i}.png`, photoPng(i));
          const args = ["animate", "photos", "--out-dir", "videos", "--json"];
          const started = trial.start([...args, "--verbose"]);
          const { match } = await started.stderrMatch(/^(.+): submitting$/m);
          const name = match[1] as string;
          await sleep(300);
          started.child.kill(signal);
          const signalledAt = Date.now();
          const answered = started.stderrMatch(new RegExp(`^${escapeRegExp(name)}: submitted, job (\\d+)$`, "m")).catch(() => undefined);
          const run = await started.done;
          const submittedAt = (await answered)?.at;

          expect(run.code, run.stderr).toBe(signal === "SIGINT" ? 130 : 143);
          expect(reportOf(run)?.interrupted).toBe(signal);
          const key = reportOf(run)?.photos.find((photo) => photo.name === name)?.key as string;
          const jobs = trial.jobsOf(key);
          expect(jobs).toHaveLength(1);
          const JobId = jobs[0]?.id as string;
          expect(run.stderr).toContain(JobId);
          expect(run.stdout).toContain(JobId);
          expect(journalOf(trial)).toContainEqual(expect.objectContaining({ type: "submitted", key, JobId }));
          // Within a few seconds of the Submit's answer (1.5 s after it was sent, 1.2 s after the signal).
          expect(submittedAt, "stderr never said the Submit was answered").toBeDefined();
          expect(run.exitedAt - (submittedAt as number)).toBeLessThan(3_000);
          expect(run.exitedAt - signalledAt).toBeLessThan(1_500 + 3_000);

          running.emulator.scenarios.reset();
          const final = await trial.settle(args);
          expect(final.counts.saved).toBe(3);
          expect(final.submitted).toBe(2); // the interrupted photo's job was not submitted again
          const note = `exit ${run.exitedAt - signalledAt} ms after the signal, ${run.exitedAt - (submittedAt as number)} ms after the answer`;
          await tally("4 signal in Submit", signal, trial, { distinctVideos: false, note });
        }),
      ),
    );
  });
});

describe("SIGINT and SIGTERM while a video downloads", { timeout: 90_000 }, () => {
  it("the download stops with its .part kept: exit 130 or 143; the rerun resumes it with a Range and every file is its job's video", async () => {
    await Promise.all(
      (["SIGINT", "SIGTERM"] as const).map((signal) =>
        // Videos made from the photos (2.2 MB each), trickled by the proxy at 100 KB/s.
        withEmulator({ schedule: QUICK }, async (running) => {
          const proxy = await startSlowProxy(running.url);
          try {
            const trial = new Trial(`download-${signal}`, running);
            for (let i = 0; i < 2; i++) trial.photo(`photos/p${i}.png`, photoPng(i));
            const args = ["animate", "photos", "--out-dir", "videos", "--json"];
            const started = trial.start([...args, "--verbose"], { endpoint: proxy.url });
            const { match } = await started.stderrMatch(/^(.+): saving \(job (\d+)\)$/m);
            const JobId = match[2] as string;
            // Its part is named for the job, the video's size, the bytes synced and its ETag: `.vclm-JOBID.SIZE.SYNCED.ETAG.part`.
            const partOf = () => readdirSync(trial.out).find((file) => file.startsWith(`.vclm-${JobId}.`) && file.endsWith(".part"));
            const part = () => join(trial.out, partOf() ?? `.vclm-${JobId}.part`);
            // Once 128 KB of its 2.2 MB are on disk (about 1.3 s at the proxy's pace): the signal lands mid-download.
            const size = () => (existsSync(part()) ? statSync(part()).size : 0);
            for (let waited = 0; size() < 128 * 1024 && waited < 10_000; waited += 20) await sleep(20);
            started.child.kill(signal);
            const signalledAt = Date.now();
            const run = await started.done;

            expect(run.code, run.stderr).toBe(signal === "SIGINT" ? 130 : 143);
            expect(run.exitedAt - signalledAt).toBeLessThan(3_000);
            const kept = statSync(part()).size;
            expect(partOf(), "the part was not kept, or its name does not say its bytes are synced").toMatch(
              new RegExp(`^\\.vclm-${JobId}\\.\\d+\\.0*${kept}\\.[\\w-]+\\.part$`),
            );
            expect(kept).toBeGreaterThanOrEqual(128 * 1024);
            expect(run.stdout).toContain(JobId);

            proxy.fast();
            const from = proxy.log.length;
            const final = await trial.settle(args, { endpoint: proxy.url });
            expect(final.counts.saved).toBe(2);
            expect(kept).toBeLessThan(final.photos.find((photo) => photo.JobId === JobId)?.bytes as number);
            const resumed = proxy.log.slice(from).filter((entry) => entry.path.startsWith(`/videos/${JobId}.mp4`));
            expect(resumed[0]?.headers.range).toBe(`bytes=${kept}-`);
            expect(resumed[0]?.headers["if-range"]).toBeTruthy();
            const note = `exit ${run.exitedAt - signalledAt} ms after the signal; ${kept} bytes kept, resumed with Range`;
            await tally("5 signal in download", signal, trial, { distinctVideos: true, note });
          } finally {
            await proxy.close();
          }
        }),
      ),
    );
  });
});

describe("totals over every trial", () => {
  it("0 doubles, 0 overwritten, 0 corrupt, 0 stray", () => {
    console.table(rows.sort((a, b) => a.scenario.localeCompare(b.scenario) || a.trial.localeCompare(b.trial, "en", { numeric: true })));
    const total = Object.fromEntries(COUNTED.map((field) => [field, rows.reduce((sum, row) => sum + row[field], 0)]));
    console.log(`soak totals: ${rows.length} trials, ${COUNTED.map((field) => `${field} ${total[field]}`).join(", ")}`);
    expect(total).toMatchObject({ doubles: 0, overwritten: 0, corrupt: 0, stray: 0, "parts left": 0 });
  });
});
