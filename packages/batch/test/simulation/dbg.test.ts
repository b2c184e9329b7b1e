import { it } from "vitest";
import { batchWorld } from "./world.js";

it("dbg", async () => {
  for (const r of [1, 2, 3]) {
    const t = performance.now();
    const world = batchWorld({ seed: 1, photos: 5 });
    await world.life();
    console.log(Math.round(performance.now() - t), "ms", world.sim.trace.length, "ops", world.sim.stats);
  }
});
