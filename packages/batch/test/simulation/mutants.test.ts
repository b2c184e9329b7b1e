// Cases the crash points and the random schedules do not reach, each found by a deliberate bug
// (a mutant) that they let through: a file already in the way, a video changed by hand, a user
// who resubmits only some unsure photos, a power loss that keeps names but not data, a full disk
// that frees up within a run, a journal line kept whole but for its newline, an adopted job
// stopped before its video was saved. Each passes on the real code and fails on its mutant.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { BatchReport } from "../../src/index.js";
import { assertKept, checkPromise, rerunUntilSaved } from "./invariants.js";
import { type BatchWorld, batchWorld, JOURNAL, type Life, warmUp } from "./world.js";

type Files = ReturnType<BatchWorld["disk"]["files"]>;

const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) => a !== undefined && b !== undefined && Buffer.compare(a, b) === 0;

/** What a person at the machine does between runs: file calls of a process of its own. */
async function byHand(world: BatchWorld, step: (files: Files) => Promise<unknown>): Promise<void> {
  const hand = world.sim.process();
  const done = hand.run(() => step(world.disk.files(hand)));
  await world.sim.run();
  world.sim.exit(hand);
  await done;
}

/** The number, among the operations of `life`'s process, of the first whose label matches (after `after` of them). */
function operationOf(world: BatchWorld, life: Life, label: RegExp, after = 0): number {
  const mine = world.sim.trace.filter((line) => line.startsWith(`${life.process.pid}:`) && line !== `${life.process.pid}:crash`);
  const at = mine.findIndex((line, i) => i >= after && label.test(line));
  if (at < 0) throw new Error(`no operation of process ${life.process.pid} matches ${label}`);
  return at + 1;
}

const outcomeOf = (report: BatchReport | undefined, name: string) => report?.photos.find((photo) => photo.name === name);
const videoOf = (world: BatchWorld, name: string) => world.videos.get(world.jobsByPhoto().get(name)?.[0] ?? "");

/**
 * A power loss that keeps, of what was not synced, every name change and `bytes(unsynced)` of
 * each file's unsynced bytes: a disk that wrote its metadata first (ext4 data=writeback, a
 * journal committing names before data), the order SimDisk's torn mode, a first part of each, reaches only by chance.
 */
const namesFirst = (bytes: (unsynced: number) => number) => {
  let names = true;
  return {
    int(n: number): number {
      if (names) {
        names = false;
        return n - 1; // every name change
      }
      return Math.max(0, Math.min(n - 1, bytes(n - 1)));
    },
  };
};

describe("mutants the explorers let through", () => {
  // The journal's lock ages a claim left unfinished by a power loss with Date.now() against its
  // file's mtime, which SimDisk stamps with the simulation's virtual time (from 2026-12-01T12:00Z):
  // on a host whose clock is earlier, such a claim looks "being written" and every rerun is refused.
  // Pinned here (Date only) so these tests do not depend on the machine's clock.
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.UTC(2027, 0, 1) });
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  it("never writes over a file in the way, and saves again a video changed by hand (kills: checkSaved or place's check always fine; naming by rename)", async () => {
    await warmUp();
    const world = batchWorld({ seed: 1, photos: 2 });
    const mine = new TextEncoder().encode("the user's own p0-ke3.mp4");
    await byHand(world, async (files) => {
      await files.mkdir("/out");
      await files.writeFile("/out/p0-ke3.mp4", mine);
    });
    const first = await world.life();
    expect(outcomeOf(first.report, "p0.png")).toMatchObject({ outcome: "saved", location: "/out/p0-ke3-2.mp4" });
    expect(same(world.disk.read("/out/p0-ke3.mp4"), mine)).toBe(true);
    expect(same(world.disk.read("/out/p0-ke3-2.mp4"), videoOf(world, "p0.png"))).toBe(true);

    // The user cuts p1's video short by hand: the next run sees it changed and saves it again, beside it.
    await byHand(world, (files) => files.truncate("/out/p1-ke3.mp4", 1000));
    const second = await world.life();
    expect(outcomeOf(second.report, "p1.png")).toMatchObject({ outcome: "saved", location: "/out/p1-ke3-2.mp4" });
    expect(same(world.disk.read("/out/p1-ke3-2.mp4"), videoOf(world, "p1.png"))).toBe(true);
    expect(world.disk.read("/out/p1-ke3.mp4")?.length).toBe(1000);
    expect([...world.jobsByPhoto().values()].map((jobs) => jobs.length)).toEqual([1, 1]);
  });

  it("--resubmit-unsure sends again only the photos it names (kills: a list resubmits every unsure photo)", async () => {
    await warmUp();
    // p0: its intent is on disk, its Submit never sent (no job). p1: its Submit reached the service, the answer never came (a job).
    const whole = batchWorld({ seed: 1, photos: 3 });
    const intentSynced = operationOf(whole, await whole.life(), /SubmitImageAnimateJob/) - 1;
    const lives = async (world: BatchWorld, secondCrash?: number) => {
      const first = await world.life({ crashAt: intentSynced });
      const second = await world.life({ crashAt: secondCrash });
      return { first, second };
    };
    const probe = batchWorld({ seed: 1, photos: 3 });
    const submitOfP1 = operationOf(probe, (await lives(probe)).second, /SubmitImageAnimateJob/);

    const world = batchWorld({ seed: 1, photos: 3 });
    const { first, second: stopped } = await lives(world, submitOfP1);
    expect([first.crashed, stopped.crashed]).toEqual([true, true]);
    expect(world.jobsByPhoto().get("p0.png")).toBeUndefined();
    expect(world.jobsByPhoto().get("p1.png")).toHaveLength(1);

    // The user finds no job for p0 and resubmits it; p1 is left to look at later.
    const third = await world.life({ resubmitUnsure: ["p0.png"] });
    assertKept(world, checkPromise(world, third.report));
    expect(outcomeOf(third.report, "p1.png")?.outcome).toBe("maybe-submitted");
    expect(outcomeOf(third.report, "p0.png")?.outcome).toBe("saved");
    await rerunUntilSaved(world, "after --resubmit-unsure p0.png");
  });

  it("a power loss that keeps every name but no unsynced byte, at each step of saving a video (kills: a part named before its data is synced)", async () => {
    await warmUp();
    const probe = batchWorld({ seed: 1, photos: 2 });
    const clean = await probe.life();
    const from = operationOf(probe, clean, /:open \/out\/\.vclm-.*\.part w$/);
    const to = operationOf(probe, clean, /:datasync \/out\/\.vclm-journal\.jsonl$/, from);
    for (let k = from; k <= to; k++)
      for (const [kind, bytes] of [
        ["no unsynced byte", () => 0],
        ["half the unsynced bytes", (n: number) => Math.floor(n / 2)],
      ] as const) {
        const world = batchWorld({ seed: 1, photos: 2 });
        await world.life({ crashAt: k }); // killed, then the power goes: the names reach the disk, the data does not
        world.disk.crash("power", namesFirst(bytes));
        world.sim.advance(60_000); // the machine comes back a minute later
        await rerunUntilSaved(world, `killed after operation ${k}, then a power loss keeping every name and ${kind}`);
      }
  });

  it("a journal append a full disk cut short is cut back: once there is room again in the same run, the next record is a line of its own (kills: no cut back)", async () => {
    await warmUp();
    // The bytes written before p1's intent (the journal line before p1's Submit).
    const probe = batchWorld({ seed: 1, photos: 2 });
    const clean = await probe.life();
    const intentOfP1 = operationOf(probe, clean, /SubmitImageAnimateJob/, operationOf(probe, clean, /SubmitImageAnimateJob/)) - 2;
    const counted = batchWorld({ seed: 1, photos: 2 });
    counted.disk.room = 1e12;
    await counted.life({ crashAt: intentOfP1 - 1 });
    const before = 1e12 - counted.disk.room;

    const world = batchWorld({ seed: 1, photos: 2 });
    world.disk.room = before + 20; // p1's intent gets 20 bytes, then ENOSPC
    world.sim.onTime.push(() => {
      if (world.disk.counts.refused > 0) world.disk.room = Number.POSITIVE_INFINITY; // a part removed elsewhere: room again
    });
    const first = await world.life();
    expect(world.disk.counts.shortWrites).toBe(1);
    expect(outcomeOf(first.report, "p0.png")?.outcome).toBe("saved"); // recorded after the room came back
    expect(outcomeOf(first.report, "p1.png")?.outcome).toBe("error");
    const second = await world.life();
    expect(second.error).toBeUndefined();
    assertKept(world, checkPromise(world, second.report, { allSaved: true }));
  });

  it("a power loss that keeps a `submitted` line whole but for its newline: the JobId is kept (kills: repairTail cutting any unterminated line)", async () => {
    await warmUp();
    const probe = batchWorld({ seed: 1, photos: 2 });
    const clean = await probe.life();
    const submitted = operationOf(probe, clean, /:write \/out\/\.vclm-journal\.jsonl$/, operationOf(probe, clean, /SubmitImageAnimateJob/));
    const world = batchWorld({ seed: 1, photos: 2 });
    await world.life({ crashAt: submitted }); // written, not yet synced
    const text = Buffer.from(world.disk.read(JOURNAL) as Uint8Array).toString();
    const line = text.length - (text.lastIndexOf("\n", text.length - 2) + 1);
    expect(text.slice(-line)).toMatch(/^\{"type":"submitted".*\n$/);
    world.disk.crash(
      "power",
      namesFirst((unsynced) => (unsynced === line ? line - 1 : unsynced)),
    );
    world.sim.advance(60_000); // the machine comes back a minute later
    expect(Buffer.from(world.disk.read(JOURNAL) as Uint8Array).toString()).toMatch(/"type":"submitted"[^\n]*\}$/);
    const second = await world.life();
    expect(outcomeOf(second.report, "p0.png")).toMatchObject({ outcome: "saved", JobId: world.jobsByPhoto().get("p0.png")?.[0] });
    assertKept(world, checkPromise(world, second.report, { allSaved: true }));
  });

  it("an adopted job is in the journal before it is waited for: a run stopped while saving it is picked up without --adopt again (kills: adopt not recorded)", async () => {
    await warmUp();
    const lives = async (world: BatchWorld, thirdCrash?: number) => {
      const probe = batchWorld({ seed: 1, photos: 2 });
      const clean = await probe.life();
      await world.life({ crashAt: operationOf(probe, clean, /SubmitImageAnimateJob/) }); // a job, its answer never came
      const second = await world.life();
      expect(outcomeOf(second.report, "p0.png")?.outcome).toBe("maybe-submitted");
      return world.life({ ...world.afterChecking(second.report), crashAt: thirdCrash });
    };
    const probe = batchWorld({ seed: 1, photos: 2 });
    const adopting = await lives(probe);
    const download = operationOf(probe, adopting, /:open \/out\/\.vclm-.*\.part w$/);

    const world = batchWorld({ seed: 1, photos: 2 });
    expect((await lives(world, download)).crashed).toBe(true);
    const fourth = await world.life();
    expect(outcomeOf(fourth.report, "p0.png")?.outcome).toBe("saved");
    assertKept(world, checkPromise(world, fourth.report, { allSaved: true }));
  });
});
