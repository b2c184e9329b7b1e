// Every crash point: the object crashes right after its k-th operation (a storage call, an R2
// call, a request) for every k a whole run makes, then a fresh instance takes over its storage
// and runs to the end; the money promise is checked after each. VCLM_SIM_CRASH=k replays one.
import { explore } from "@vclm/tools/sim";
import { describe, it } from "vitest";
import { assertPromiseKept } from "./invariants.js";
import { coordinatorWorld, type WorldOptions, warmUp } from "./world.js";

const worlds: Record<string, WorldOptions> = {
  "five submissions, the first three delivered twice at once": { seed: 1, submissions: 5 },
  "the same with lost answers, cut videos, R2 errors and a failed job": {
    seed: 3,
    submissions: 5,
    faults: { cut: 0.1, lost: 0.1 },
    videoFaults: { cut: 0.3, chunked: 0.3 },
    r2Faults: () => 0.1,
    failJobs: 1,
  },
};

describe("the coordinator crashed after each of its operations", () => {
  for (const [name, options] of Object.entries(worlds)) {
    it(
      name,
      async () => {
        await warmUp();
        const whole = coordinatorWorld(options);
        await assertPromiseKept(whole, await whole.run());
        const total = whole.lives[0]?.ops ?? 0;
        const only = process.env.VCLM_SIM_CRASH;
        const points = only ? [Number(only)] : Array.from({ length: total }, (_, i) => i + 1);
        const { runs, ms } = await explore(
          points,
          async (k) => {
            const world = coordinatorWorld(options);
            await assertPromiseKept(world, await world.run([k]));
          },
          (k) => `cd packages/workers && VCLM_SIM_CRASH=${k} npx vitest run test/simulation/crash-points.test.ts -t "${name}"`,
        );
        console.log(`coordinator crash points (${name}): ${runs} of ${total} kept the money promise, ${ms} ms`);
      },
      10 * 60_000,
    );
  }
});
