// What a random seed draws for a run: two to six submissions, Queue deliveries at random times
// (a third of them delivered again), an account limit of one to four jobs, faults on every call
// (the network, the video host, R2, the service), a job that fails, up to three crashes of the
// object at random operations, and the seed's own order of operations, answers and timers (time
// moving on rarely or often while operations wait).
import { Random } from "@vclm/tools/sim";
import type { Delivery, WorldOptions } from "./world.js";

export interface DrawnRun {
  readonly options: WorldOptions;
  /** The object crashes after this many operations of each life, in turn. */
  readonly crashes: readonly number[];
}

export function drawnRun(seed: number): DrawnRun {
  const draw = new Random(seed ^ 0x5eed5eed); // apart from the world's own sequence, which this seed also drives
  const submissions = 2 + draw.int(5);
  const deliveries: Delivery[] = [];
  for (let first = 0; first < submissions; ) {
    const batch = Array.from({ length: Math.min(1 + draw.int(3), submissions - first) }, (_, i) => first + i);
    first += batch.length;
    const at = draw.int(20_000);
    deliveries.push({ submissions: batch, at });
    if (draw.chance(0.3)) deliveries.push({ submissions: batch, at: at + draw.int(5_000) });
  }
  return {
    options: {
      seed,
      order: "random",
      timerChance: draw.pick([0.02, 0.1, 0.4]),
      jobLimit: 1 + draw.int(4),
      submissions,
      deliveries,
      faults: { refused: 0.05, cut: 0.05, lost: 0.05 },
      videoFaults: { cut: 0.2, chunked: 0.3 },
      r2Faults: () => 0.05,
      chaos: 0.05,
      failJobs: draw.int(2),
    },
    crashes: Array.from({ length: draw.int(4) }, () => 1 + draw.int(100)),
  };
}
