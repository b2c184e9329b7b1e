// One random schedule of a 5-photo batch: a stormy start (answers in any order, time moving while
// calls are in flight, faults at every request, a disk that fills up, two commands at once on one
// folder, Ctrl-C, crashes killed or powered off, keeping some unsynced writes (or their sizes, with zeros) or none), then recovery: the network and the disk heal and the user
// reruns the command, checking the account as the report asks. The promise is checked after every
// life, and at the end every photo must be saved once.
import { Random } from "@vclm/tools/sim";
import { assertKept, checkPromise, rerunUntilSaved } from "./invariants.js";
import { batchWorld, type LifeOptions, warmUp } from "./world.js";

const PHOTOS = 5;

/** One seed: a stormy start, then recovery. Returns what happened, for the summary. */
export async function schedule(seed: number) {
  await warmUp();
  const world = batchWorld({ seed, photos: PHOTOS, order: "random" });
  const draw = new Random(seed ^ 0x5eed); // the scenario's own choices, apart from the scheduler's
  const stormy = 1 + draw.int(4);
  let crashes = 0;
  for (let life = 0; life < stormy; life++) {
    const p = () => draw.next() * 0.12;
    world.setFaults({ refused: p(), cut: p(), lost: p(), truncated: p() });
    world.disk.room = draw.chance(0.25) ? draw.int(3_000_000) : Number.POSITIVE_INFINITY;
    const options = (): LifeOptions => ({
      crashAt: draw.chance(0.7) ? 1 + draw.int(180) : undefined,
      power: draw.chance(0.5),
      torn: draw.chance(0.5),
      tails: draw.chance(0.5) ? "zeros" : "data",
      stopAfter: draw.chance(0.15) ? draw.int(20_000) : undefined,
    });
    const launched = draw.chance(0.2) ? [world.launch(options()), world.launch(options())] : [world.launch(options())];
    const ended = await world.settle(...launched);
    crashes += ended.filter((one) => one.crashed).length;
    assertKept(world, checkPromise(world, undefined));
  }
  world.setFaults({});
  world.disk.room = Number.POSITIVE_INFINITY;
  await rerunUntilSaved(world, `seed ${seed}, after the storm`);
  return { lives: world.lives.length, crashes, operations: world.sim.trace.length, trace: world.sim.trace, decisions: world.sim.decisions };
}
