import { describe, expect, it } from "vitest";
import { batchWorld } from "./world.js";

describe("smoke", () => {
  it("runs a batch to its end, deterministically", async () => {
    const traces: string[][] = [];
    for (const round of [1, 2]) {
      const started = performance.now();
      const world = batchWorld({ seed: 7, photos: 5 });
      const life = await world.life();
      console.log(round, performance.now() - started, "ms", world.sim.trace.length, "ops", life.report?.counts, String(life.error ?? ""));
      traces.push(world.sim.trace);
    }
    expect(traces[0]).toEqual(traces[1]);
  }, 120_000);
});
