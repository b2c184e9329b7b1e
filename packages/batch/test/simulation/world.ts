// The batch in the deterministic simulation: `vclm animate photos/ --out-dir /out` as the CLI
// composes it (saveToDirectory and fileJournal in the output folder, animateMany with retries),
// on a simulated disk and network, against the emulator's service logic, on virtual time. One
// world is one seed: its photos, its disk, its service; each life of the command is a process.
import { createHash } from "node:crypto";
import { VclmClient } from "@vclm/core";
import { createEmulator, DEMO_ACCOUNT } from "@vclm/emulator";
import { retry } from "@vclm/retry";
import { makePng } from "@vclm/tools/photos";
import { type NetworkFaults, SimDisk, type SimProcess, Simulation, type SimulationOptions, simFetch } from "@vclm/tools/sim";
import { type AnimateManyOptions, animateMany, BatchInterruptedError, type BatchPhoto, type BatchReport } from "../../src/index.js";
import { type Files, fileJournal, saveToDirectory } from "../../src/node.js";

export const OUT = "/out";
export const JOURNAL = `${OUT}/.vclm-journal.jsonl`;
const ENDPOINT = "http://vclm.emulator.test/";

/** Photos whose videos all differ (the emulator draws each video from its photo). */
export const photos = (count: number): BatchPhoto[] =>
  Array.from({ length: count }, (_, i) => ({ name: `p${i}.png`, photo: makePng(600, 1000, { pattern: 17 * i + 3 }) }));

export interface WorldOptions extends SimulationOptions {
  readonly photos: number;
}

/** What a life of the command is told: where to crash, and what a user adds after checking the account. */
export interface LifeOptions {
  /** Crash after this many operations of the process. */
  readonly crashAt?: number | undefined;
  /** The crash is a power loss (only what was synced is kept), not a killed process. */
  readonly power?: boolean;
  /**
   * The power loss also keeps some of what was not synced yet: a first part, drawn from the seed
   * (`true`), or from the source given.
   */
  readonly torn?: boolean | { int(n: number): number };
  /** What a torn power loss keeps of a file's unsynced bytes: the bytes, or zeros (its size, not its data). @default "data" */
  readonly tails?: "data" | "zeros";
  /** Ctrl-C after this many ms (of virtual time): the batch's signal aborts. */
  readonly stopAfter?: number | undefined;
  readonly resubmitUnsure?: AnimateManyOptions["resubmitUnsure"];
  readonly adopt?: AnimateManyOptions["adopt"];
}

/** How one life of the command ended: a report, an error (with the report if it stopped), or a crash. */
export interface Life {
  readonly process: SimProcess;
  readonly report?: BatchReport | undefined;
  readonly error?: unknown;
  readonly crashed?: boolean;
}

export function batchWorld(options: WorldOptions) {
  const sim = new Simulation(options);
  const disk = new SimDisk();
  const emulator = createEmulator({ clock: "manual", schedule: { waitMs: 2_000, runMs: 6_000 }, limits: { concurrentJobs: 3 } });
  const list = photos(options.photos);
  /** Each photo's key at the service: the SHA-256 of the base64 text sent. */
  const photoKeys = new Map(
    list.map(({ name, photo }) => [
      createHash("sha256")
        .update(Buffer.from(photo as Uint8Array).toString("base64"))
        .digest("hex"),
      name,
    ]),
  );
  let faults: NetworkFaults = {};
  const clients = new Set<VclmClient>();
  const sync = (now: number) => {
    emulator.clock.set(now);
    for (const client of clients) client.state.clockOffset = Math.round((now - Date.now()) / 1000);
  };
  sim.onTime.push(sync);
  sync(sim.now);
  const running = new Set<number>();
  const lives: Life[] = [];
  /** Each job's video as the service first sent it whole: what a saved file must hold. */
  const videos = new Map<string, Uint8Array>();
  const service = async (request: Request) => {
    const response = await emulator.fetch(request);
    const JobId = /^\/videos\/(\d+)\.mp4$/.exec(new URL(request.url).pathname)?.[1];
    if (JobId && response.status === 200 && !videos.has(JobId)) videos.set(JobId, new Uint8Array(await response.clone().arrayBuffer()));
    return response;
  };

  /** Starts one life of the command; `ended()` says how it ended, once it has. */
  function launch(life: LifeOptions = {}) {
    const process = sim.process({ crashAt: life.crashAt });
    running.add(process.pid);
    sim.onCrash.push((dead) => {
      if (dead !== process) return;
      running.delete(process.pid);
      disk.crash(life.power ? "power" : "process", life.torn === true ? sim.random : life.torn || undefined, life.tails);
      if (life.power) sim.advance(60_000); // the machine comes back a minute later
    });
    const files = disk.files(process) as unknown as Files;
    const fetch = simFetch(process, service, () => faults);
    const client = new VclmClient({
      region: "ap-singapore",
      endpoint: ENDPOINT,
      credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
      fetch,
    }).use(retry({ clock: process.clock }));
    clients.add(client);
    sync(sim.now);
    const processes = { pid: process.pid, host: "sim", namespace: "", alive: (pid: number) => running.has(pid) };
    let ended: Life | undefined;
    const stop = new AbortController();
    if (life.stopAfter !== undefined)
      process.clock.sleep(life.stopAfter).then(
        () => stop.abort(new Error("interrupted (Ctrl-C)")),
        () => {},
      );
    const command = async (): Promise<Life> => {
      const videos = await saveToDirectory(OUT, { files, fetch });
      const journal = await fileJournal(JOURNAL, { files, processes, clock: process.clock });
      try {
        const report = await animateMany(client, list, {
          journal,
          ...videos,
          clock: process.clock,
          ...(life.resubmitUnsure !== undefined && { resubmitUnsure: life.resubmitUnsure }),
          ...(life.adopt !== undefined && { adopt: life.adopt }),
          signal: stop.signal,
        });
        return { process, report };
      } catch (error) {
        return { process, error, report: error instanceof BatchInterruptedError ? error.report : undefined };
      } finally {
        await journal.close();
      }
    };
    process.run(command).then(
      (result) => (ended = result),
      (error: unknown) => (ended = { process, error }),
    );
    return {
      process,
      ended: (): Life | undefined => {
        if (ended) return ended;
        return process.dead ? { process, crashed: true } : undefined;
      },
      stop: () => clients.delete(client),
    };
  }

  /** Runs the world until every one of `launched` has ended or crashed. */
  async function settle(...launched: ReturnType<typeof launch>[]): Promise<Life[]> {
    await sim.run(() => launched.every((life) => life.ended()));
    const ended = launched.map((life) => {
      life.stop();
      sim.exit(life.process);
      running.delete(life.process.pid);
      return life.ended() ?? { process: life.process, error: new Error("the simulation ran out of things to do before this life ended") };
    });
    lives.push(...ended);
    return ended;
  }

  /** The account as its console shows it: each photo's jobs. */
  function jobsByPhoto(): Map<string, string[]> {
    const jobs = new Map<string, string[]>();
    for (const job of emulator.jobs.all()) {
      const name = photoKeys.get(job.photo) ?? `?${job.photo}`;
      jobs.set(name, [...(jobs.get(name) ?? []), job.id]);
    }
    return jobs;
  }

  /**
   * What a user does after a run that left photos maybe submitted: looks at the account, adopts
   * the job a photo has, and resubmits the photos that have none.
   */
  function afterChecking(report: BatchReport | undefined): LifeOptions | undefined {
    const unsure = (report?.photos ?? []).filter((photo) => photo.outcome === "maybe-submitted" || photo.unrecorded);
    if (!unsure.length) return undefined;
    const jobs = jobsByPhoto();
    const adopt: Record<string, string> = {};
    const resubmit: string[] = [];
    for (const { name } of unsure) {
      const job = jobs.get(name)?.[0];
      if (job) adopt[name] = job;
      else resubmit.push(name);
    }
    return { adopt, resubmitUnsure: resubmit };
  }

  return {
    sim,
    disk,
    emulator,
    list,
    lives,
    videos,
    launch,
    settle,
    jobsByPhoto,
    afterChecking,
    /** One life, run to its end. */
    life: async (life: LifeOptions = {}) => (await settle(launch(life)))[0] as Life,
    setFaults(next: NetworkFaults) {
      faults = next;
    },
  };
}

export type BatchWorld = ReturnType<typeof batchWorld>;

let warm: Promise<unknown> | undefined;

/**
 * One fixed run, once per process, before any explored one: the code keeps caches across calls
 * (the signer's derived keys, by day), so the first run in a process takes extra steps that later
 * runs skip. Warmed first, every seed runs from the same state, in a long run or replayed alone.
 */
export function warmUp(): Promise<unknown> {
  warm ??= batchWorld({ seed: 0, photos: 1 }).life();
  return warm;
}
