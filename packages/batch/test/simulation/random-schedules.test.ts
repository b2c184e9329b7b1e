// Random schedules on top of the crash points (see random-schedules.ts), as many seeds as CI's
// budget allows; VCLM_SIM_SEEDS=5000 runs a wider search, VCLM_SIM_SEED=N replays one.
import { explore, seeds } from "@vclm/tools/sim";
import { describe, it } from "vitest";
import { schedule } from "./random-schedules.js";

const replay = (seed: number) => `VCLM_SIM_SEED=${seed} pnpm --filter @vclm/batch exec vitest run test/simulation/random-schedules.test.ts`;

const SEEDS = seeds(40);

describe("random schedules of a 5-photo batch", () => {
  // A wider run takes as long as its seeds do (about 0.3 s each here): the timeout is a backstop.
  it("keep the promise", { timeout: Math.max(240_000, SEEDS.length * 3_000) }, async () => {
    const totals = { lives: 0, crashes: 0, operations: 0 };
    const { runs, ms } = await explore(
      SEEDS,
      async (seed) => {
        const one = await schedule(seed);
        totals.lives += one.lives;
        totals.crashes += one.crashes;
        totals.operations += one.operations;
      },
      replay,
    );
    console.log(
      `random schedules: ${runs} seeds, ${totals.lives} lives, ${totals.crashes} crashes, ${totals.operations} operations, ${ms} ms`,
    );
  });
});
