// Random schedules on top of the crash points: the seed orders every operation, answer and timer,
// and puts faults on every call and crashes anywhere (schedule.ts). CI runs a fixed number of
// seeds; VCLM_SIM_SEED=N replays one, VCLM_SIM_SEEDS=N runs more (a command, not CI):
//   cd packages/workers && VCLM_SIM_SEEDS=20000 npx vitest run test/simulation/random-schedules.test.ts
import { explore, seeds } from "@vclm/tools/sim";
import { describe, expect, it } from "vitest";
import { assertPromiseKept } from "./invariants.js";
import { drawnRun } from "./schedule.js";
import { coordinatorWorld, warmUp } from "./world.js";

/** What fits CI's 40 s beside the crash points on two shared cores: the folder takes about 20 s (400 seeds took up to 39 s). */
const CI_SEEDS = 300;

const runSeed = async (seed: number) => {
  await warmUp();
  const { options, crashes } = drawnRun(seed);
  const world = coordinatorWorld(options);
  const end = await world.run(crashes);
  await assertPromiseKept(world, end);
  return world;
};

describe("the coordinator under random schedules", () => {
  it("replays a seed exactly: the same operations in the same order", async () => {
    const seed = 4; // crashes three times, with faults
    const [first, second] = [await runSeed(seed), await runSeed(seed)];
    expect(first.lives.length).toBeGreaterThan(1);
    expect(second.sim.trace).toEqual(first.sim.trace);
  });

  it(
    "keeps the money promise for every seed",
    async () => {
      const { runs, ms } = await explore(
        seeds(CI_SEEDS),
        async (seed) => void (await runSeed(seed)),
        (seed) => `cd packages/workers && VCLM_SIM_SEED=${seed} npx vitest run test/simulation/random-schedules.test.ts`,
      );
      console.log(`coordinator random schedules: ${runs} seeds kept the money promise, ${ms} ms`);
    },
    24 * 60 * 60_000,
  );
});
