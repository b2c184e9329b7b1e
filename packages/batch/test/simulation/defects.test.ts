// What the simulation found, each kept as a regular test at the crash point that showed it (found
// by the operation's label, so the test holds as the code's operations change).
import { describe, expect, it } from "vitest";
import { checkPromise } from "./invariants.js";
import { batchWorld, type LifeOptions, warmUp } from "./world.js";

/** The number of the first operation of a clean run whose label matches. */
async function operationOf(label: RegExp): Promise<number> {
  await warmUp();
  const world = batchWorld({ seed: 1, photos: 5 });
  await world.life();
  const at = world.sim.trace.findIndex((line) => label.test(line));
  if (at < 0) throw new Error(`no operation matches ${label}`);
  return at + 1;
}

/** Crashes the command at `crashAt`, runs it again as a user would, and returns what broke. */
async function crashAndRerun(crashAt: number, power: boolean, setup?: (world: ReturnType<typeof batchWorld>) => void) {
  const world = batchWorld({ seed: 1, photos: 5 });
  setup?.(world);
  await world.life({ crashAt, power });
  return rerunAsAUser(world);
}

/** Runs the command again as a user would after a crash, and returns what broke. */
async function rerunAsAUser(world: ReturnType<typeof batchWorld>) {
  let last = await world.life();
  const next: LifeOptions | undefined = world.afterChecking(last.report);
  if (next) last = await world.life(next);
  return checkPromise(world, last.report, { allSaved: true });
}

describe("found by the simulation", () => {
  it("a power loss just after the first Submit, in an output folder the batch made: the folder and its journal are kept (was: 2 jobs for a photo)", async () => {
    const submit = await operationOf(/SubmitImageAnimateJob/);
    expect(await crashAndRerun(submit, true)).toEqual([]);
    expect(await crashAndRerun(submit + 4, true)).toEqual([]);
  });

  it("a part a killed run left whole is synced before it is named: a later power loss keeps the saved video (was: an empty file reported saved)", async () => {
    // Killed right after the first video's bytes were written, before they were synced: they are
    // in the page cache only. The next run finds the part whole and names it; then the power goes.
    const write = await operationOf(/write \/out\/\.vclm-\d+\..*\.part$/);
    const world = batchWorld({ seed: 1, photos: 5 });
    await world.life({ crashAt: write });
    const second = await world.life();
    expect(second.report?.counts.saved).toBe(5);
    await world.life({ crashAt: 1, power: true });
    expect(checkPromise(world, undefined)).toEqual([]);
  });

  it("a power loss that keeps a part's full size with zeros for its unsynced bytes: the rerun downloads them again (was: a video of zeros reported saved)", async () => {
    // The power goes right after the first video's bytes were written, before they were synced,
    // on a file system that kept every name and the part's size, not its data.
    const write = await operationOf(/write \/out\/\.vclm-\d+\..*\.part$/);
    const world = batchWorld({ seed: 1, photos: 5 });
    await world.life({ crashAt: write, power: true, torn: { int: (n) => n - 1 }, tails: "zeros" });
    const part = world.disk.list("/out").find((name) => name.endsWith(".part")) as string;
    const left = world.disk.read(`/out/${part}`) as Uint8Array;
    expect(left.length).toBe(Number(part.split(".")[2])); // as long as the video
    expect(left.every((byte) => byte === 0)).toBe(true); // and nothing but zeros
    expect(await rerunAsAUser(world)).toEqual([]);
  });

  it("the explorer's check fails on a disk that acknowledges fsync and keeps nothing", async () => {
    const submit = await operationOf(/SubmitImageAnimateJob/);
    const broken = await crashAndRerun(submit + 2, true, (world) => {
      world.disk.honest = false;
    });
    expect(broken.some((line) => /has 2 jobs/.test(line))).toBe(true);
  });
});

describe("found by the random schedules", () => {
  it("seed 67: a lock claim torn by a power loss no longer refuses every rerun (was: 'in use by process 1' for ever)", async () => {
    const { schedule } = await import("./random-schedules.js");
    await schedule(67);
  });
});
