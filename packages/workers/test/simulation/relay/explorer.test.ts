// The relay's money promise, explored (see invariants.ts for what each run must show): a relay
// crash after each of its operations, each store call and each service call failing (cut on its
// way, or processed with its answer lost), then random schedules: answers in any order, faults on
// every hop, two relays on one store, relays crashing, and a user who replays its signed Submits.
//   A wider run: VCLM_SIM_SEEDS=2000 pnpm --filter @vclm/workers exec vitest run test/simulation/relay
//   One point again: VCLM_SIM_POINT=store:32:lost (or relay:12) pnpm --filter @vclm/workers exec vitest run test/simulation/relay
import { explore, type NetworkFaults, seeds } from "@vclm/tools/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check, summary } from "./invariants.js";
import { type Hop, type RelayRun, type RelayWorldOptions, runRelayWorld, warmUp } from "./world.js";

/** Every crash point and fault of one schedule: two users, three photos each, a quota of 2, an account that takes 3 jobs at once. */
const scenario = { seed: 1, users: 2, submits: 3, quota: 2 } satisfies RelayWorldOptions;
const FILE = "test/simulation/relay/explorer.test.ts";
const seedList = seeds(150);
const only = process.env.VCLM_SIM_POINT;
const replay = (variable: string, test = "") => `${variable} pnpm --filter @vclm/workers exec vitest run ${FILE}${test && ` -t "${test}"`}`;

const faults: NetworkFaults = { refused: 0.03, cut: 0.03, lost: 0.05 };
/** A schedule drawn from `seed`: three users (one replaying its Submits), answers in any order, faults on every hop, two relays on one store, relays crashing. */
const randomWorld = (seed: number): RelayWorldOptions => ({
  ...scenario,
  users: 3,
  replayers: 1,
  seed,
  order: "random",
  relays: 2,
  crashChance: 0.3,
  faults: { browser: faults, store: faults, service: faults },
});

/** Runs the world at each point named `kind:k[:mode]` (all, or the one VCLM_SIM_POINT names), and checks it. */
async function explorePoints(kind: string, points: string[], options: (point: string[]) => Partial<RelayWorldOptions>, most?: number) {
  for (const point of only ? [only].filter((name) => name.startsWith(`${kind}:`)) : points) {
    const run = await runRelayWorld({ ...scenario, ...options(point.split(":")) });
    check(run, scenario.quota, `${kind} points`, `${point}; replay: ${replay(`VCLM_SIM_POINT=${point}`)}`, most);
  }
}

/** Each call to reach `hop` in the run without faults, cut and lost: one failed call costs its user one unit at most. */
const failEach = (hop: Hop, calls: number) =>
  explorePoints(
    hop,
    Array.from({ length: calls }, (_, i) => [`${hop}:${i + 1}:cut`, `${hop}:${i + 1}:lost`]).flat(),
    ([, at, mode]) => ({ fault: { hop, at: Number(at), mode: mode as "cut" | "lost" } }),
    1,
  );

describe("the relay's money promise, explored", () => {
  const started = performance.now();
  let base: RelayRun;
  beforeAll(async () => {
    await warmUp();
    base = await runRelayWorld(scenario);
  });
  afterAll(() => console.log(summary(Math.round(performance.now() - started))));

  it("without a fault: every unit held is a job made, and the run replays exactly", async () => {
    check(base, scenario.quota, "fault-free runs", "no fault");
    expect(base.charged).toEqual(base.jobs);
    expect([...base.jobs.values()].reduce((a, b) => a + b)).toBeGreaterThan(2);
    expect(base.log.some((line) => line.startsWith("store: giveBack"))).toBe(true); // a Submit refunded (JobNumExceed)
    expect((await runRelayWorld(scenario)).trace).toEqual(base.trace);
  });

  it("a relay crash after each of its operations, the relay restarted on the same store", () =>
    explorePoints(
      "relay",
      Array.from({ length: base.relayOps }, (_, i) => `relay:${i + 1}`),
      ([, at]) => ({ crashAt: Number(at) }),
    ));

  it("each store call cut or processed with its answer lost", () => failEach("store", base.calls.store));

  it("each service call (STS, Submit, Describe) cut or processed with its answer lost", () => failEach("service", base.calls.service));

  it("a seed replays exactly", async () => {
    const [one, again] = [await runRelayWorld(randomWorld(7)), await runRelayWorld(randomWorld(7))];
    expect(again.trace).toEqual(one.trace);
    // The pages sign with the real clock's second plus an offset to virtual time, so a signature
    // may differ between two runs; every decision, fault and record is the same.
    const unsigned = (log: readonly string[]) => log.map((line) => line.replace(/signature:[0-9a-f]{64}/, "signature:…"));
    expect(unsigned(again.log)).toEqual(unsigned(one.log));
    expect(one.trace.filter((line) => line.endsWith(":crash")).length).toBeGreaterThan(0);
  });

  it.skipIf(only)(
    "random schedules: answers in any order, faults on every hop, two relays on one store, relays crashing, Submits replayed",
    async () => {
      const one = async (seed: number) => check(await runRelayWorld(randomWorld(seed)), scenario.quota, "random seeds", `seed ${seed}`);
      await explore(seedList, one, (seed) => replay(`VCLM_SIM_SEED=${seed}`, "random schedules"));
    },
    60_000 + seedList.length * 500,
  );
});
