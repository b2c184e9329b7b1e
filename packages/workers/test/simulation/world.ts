// The Workers coordinator in the deterministic simulation: one account's Durable Object (its
// storage, its alarm, its gates), an R2 bucket, a Queue that delivers at least once, and the
// emulator's service reached over a simulated network, all on one seed and virtual time. Each
// instance of the object is a life of one process: every storage, R2 and network call it makes is
// an operation of that process, so a crash after its k-th operation keeps what those did and
// drops the rest. After a crash a fresh Coordinator takes the same storage, the Queue delivers
// again what it was not told was taken, and the alarm is tried again, as Cloudflare does.

import { VclmClient } from "@vclm/core";
import { createEmulator, DEMO_ACCOUNT } from "@vclm/emulator";
import { type NetworkFaults, Simulation, type SimulationOptions, simFetch } from "@vclm/tools/sim";
import { Coordinator, type Submission } from "../../src/index.js";
import { type R2Call, SimBucket } from "./bucket.js";
import { SimDurableStorage } from "./durable-storage.js";
import { installFixedLengthStream } from "./fixed-length-stream.js";
import { Gates } from "./gates.js";
import { deliver, fireAlarms, type Instance, type QueuedDelivery, redeliverAfterCrash } from "./platform.js";
import { API_HOST, PHOTO_LINK_SECRET, service, VIDEO_HOST, type VideoFaults } from "./service.js";

/** A Queue delivery: these submissions (by index), at this time (ms after the start). */
export interface Delivery {
  readonly submissions: readonly number[];
  readonly at: number;
}

export interface WorldOptions extends SimulationOptions {
  readonly submissions: number;
  /** The deliveries; a submission in two of them is a repeat. @default the first three twice at once, the rest 3 s later */
  readonly deliveries?: readonly Delivery[];
  /** Faults on every request the object sends (Submits, Describes, video downloads). */
  readonly faults?: NetworkFaults;
  readonly videoFaults?: VideoFaults;
  /** The chance an R2 call fails, by call. */
  readonly r2Faults?: (call: R2Call, key: string) => number;
  /** Chaos at the emulator: the share of API calls answered 502 or throttled, unprocessed. */
  readonly chaos?: number;
  /** Jobs (in order of submission) that end in FAIL. */
  readonly failJobs?: number;
  /** The account's concurrent-job limit at the service. @default 3 */
  readonly jobLimit?: number;
}

/** How a life of the object ended: crashed, nothing left to happen, or out of (virtual) time. */
export type LifeEnd = "crashed" | "quiet" | "timeout";

/** How soon Cloudflare runs an alarm again on a fresh instance after a crash in its handler. */
const RESTART_MS = 1_000;
const LONGEST_RUN_MS = 4 * 60 * 60_000;

const defaultDeliveries = (count: number): Delivery[] => {
  const first = Array.from({ length: Math.min(3, count) }, (_, i) => i);
  const rest = Array.from({ length: Math.max(0, count - 3) }, (_, i) => i + 3);
  return [{ submissions: first, at: 0 }, { submissions: first, at: 0 }, ...(rest.length ? [{ submissions: rest, at: 3_000 }] : [])];
};

export function coordinatorWorld(options: WorldOptions) {
  installFixedLengthStream();
  const sim = new Simulation(options);
  const start = sim.now;
  const emulator = createEmulator({
    clock: "manual",
    photoVideos: false,
    publicUrl: `http://${VIDEO_HOST}`,
    schedule: { waitMs: 1_000, runMs: 3_000 },
    limits: { concurrentJobs: options.jobLimit ?? 3 },
  });
  emulator.clock.set(sim.now);
  if (options.chaos) emulator.scenarios.chaos({ rate: options.chaos, kinds: ["serverError", "throttle"], seed: sim.random.int(2 ** 31) });
  for (let i = 0; i < (options.failJobs ?? 0); i++) emulator.scenarios.failNextJob({ code: "FailedOperation.ImageDetectFaceFailed" });
  const storage = new SimDurableStorage();
  const bucket = new SimBucket();
  const network = service({ emulator, bucket, random: sim.random, now: () => sim.now, videoFaults: () => options.videoFaults ?? {} });
  const clients = new Set<VclmClient>();
  sim.onTime.push((now) => {
    emulator.clock.set(now);
    for (const client of clients) client.state.clockOffset = Math.round((now - Date.now()) / 1000);
  });

  const submissions: Submission[] = Array.from({ length: options.submissions }, (_, i) => ({
    id: `s${i}`,
    owner: "alice",
    photo: `photos/photo-${i}`,
    template: "ke3",
    origin: "https://animate.example.com",
  }));
  // As the Worker's POST left them: each photo in R2 before its submission is queued.
  for (const { photo } of submissions) bucket.objects.set(photo, { bytes: new TextEncoder().encode(photo), contentType: "image/png" });
  const queue: QueuedDelivery[] = (options.deliveries ?? defaultDeliveries(options.submissions)).map((delivery) => ({
    submissions: delivery.submissions.map((i) => submissions[i] as Submission),
    at: start + delivery.at,
    taken: false,
  }));
  /** What the coordinator threw (none expected: a throw is an alarm Cloudflare must try again). */
  const thrown: string[] = [];
  const lives: { pid: number; ops: number; end: LifeEnd }[] = [];

  /** One instance of the object, until it crashes (after `crashAt` operations), has nothing left to do, or runs out of time. */
  async function life({ crashAt }: { crashAt?: number | undefined } = {}): Promise<LifeEnd> {
    const process = sim.process({ crashAt });
    const clock = process.clock;
    const gates = new Gates(clock);
    const fetch = simFetch(process, network.handle, () => options.faults ?? {});
    const gatedFetch: typeof globalThis.fetch = (input, init) => gates.outgoing(() => fetch(input, init));
    const client = new VclmClient({
      region: "ap-singapore",
      endpoint: `http://${API_HOST}/`,
      credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
      fetch: gatedFetch,
      timeout: 0, // the client's timeout runs on real time; here every request ends on its own
    });
    clients.add(client);
    client.state.clockOffset = Math.round((sim.now - Date.now()) / 1000);
    const env = { BUCKET: bucket.for(process, gates, options.r2Faults), PHOTO_LINK_SECRET };
    const coordinator = new Coordinator(storage.for(process, gates), env, client, { clock, fetch: gatedFetch });
    const instance: Instance = {
      coordinator,
      gates,
      clock,
      dead: () => process.dead,
      thrown: (what, error) => thrown.push(`${what}: ${(error as Error).stack ?? error}`),
    };

    // A crash in the middle of an alarm: Cloudflare runs it again shortly, on a fresh instance.
    if (storage.firing) storage.endAlarm(sim.now + RESTART_MS);
    for (const delivery of queue) {
      if (delivery.taken) continue;
      if (lives.length) redeliverAfterCrash(delivery, sim.now);
      void process.run(() => deliver(instance, delivery));
    }
    void process.run(() => fireAlarms(instance, storage));

    await sim.run(() => process.dead || sim.now > start + LONGEST_RUN_MS);
    clients.delete(client);
    const end: LifeEnd = process.dead ? "crashed" : sim.now > start + LONGEST_RUN_MS ? "timeout" : "quiet";
    lives.push({ pid: process.pid, ops: process.ops, end });
    return end;
  }

  /** Lives crashed after these many operations each, then one left to run to its end. */
  async function run(crashes: readonly (number | undefined)[] = []): Promise<LifeEnd> {
    for (const crashAt of crashes) {
      const end = await life({ crashAt });
      if (end !== "crashed") return end;
    }
    return life();
  }

  return { sim, emulator, storage, bucket, network, submissions, queue, thrown, lives, life, run };
}

export type CoordinatorWorld = ReturnType<typeof coordinatorWorld>;

let warm: Promise<unknown> | undefined;

/**
 * One fixed run, once per process, before any explored one: the code keeps caches across runs (the
 * signer's derived keys, by day), so the first run in a process takes steps later ones skip.
 * Warmed first, every seed runs from the same state, in a long run or replayed alone.
 */
export function warmUp(): Promise<unknown> {
  warm ??= coordinatorWorld({ seed: 0, submissions: 1 }).run();
  return warm;
}
