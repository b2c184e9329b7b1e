// A seed is a run: the same seed twice gives the same operations in the same order, through
// crashes, faults, a full disk and two processes at once, so a failing seed's command replays it.
import { describe, expect, it } from "vitest";
import { schedule } from "./random-schedules.js";
import { batchWorld } from "./world.js";

describe("a seed replays exactly", () => {
  it("two runs of one random schedule have the same trace", async () => {
    for (const seed of [3, 11]) {
      const first = await schedule(seed);
      const second = await schedule(seed);
      expect(second.trace).toEqual(first.trace);
      expect(first.trace.length).toBeGreaterThan(100);
    }
  });

  it("different seeds take different paths", async () => {
    const [a, b] = [batchWorld({ seed: 1, photos: 3, order: "random" }), batchWorld({ seed: 2, photos: 3, order: "random" })];
    await a.life();
    await b.life();
    expect(a.sim.trace).not.toEqual(b.sim.trace);
  });
});
