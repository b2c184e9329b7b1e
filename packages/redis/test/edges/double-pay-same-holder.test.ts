// Found by a review (issue 24), now fixed: two processes that share a `holder` name both "win" the claim of a photo, and both pay.
// CLAIM in src/journal.ts treats `phase == 'unsure' and holder == me` as "my own claim, sent again
// after a lost answer", so a second process with the same holder gets true for a photo the first
// has just claimed. `holder` is a public option ("Names this process in claims (shown in
// reports)"); a natural value is os.hostname(), which two processes on one machine share.
//
// The race in production is timing (both processes look at the photo before either claims it: the
// same list in the same order, started together). Here it is made certain: each process's re-read
// of photo 0 (readUnchanged, between its look and its claim) waits until both processes got there.
import { animateMany } from "@vclm/batch";
import { saveToDirectory } from "@vclm/batch/node";
import { expect, it } from "vitest";
import { redisAccountLimits, redisJournal } from "../../src/index.js";
import { photo, useWorld } from "./world.js";

const w = useWorld();

const twoProcesses = async (offset: number, holder: string | undefined) => {
  const photos = Array.from({ length: 3 }, (_, i) => photo(offset + i));
  const name = crypto.randomUUID();
  // Both processes' re-read of photo 0 waits for the other's (at most 5 s).
  let arrived = 0;
  let bothThere: () => void = () => {};
  const barrier = new Promise<void>((resolve) => {
    bothThere = resolve;
    setTimeout(resolve, 5_000);
  });
  const run = async (i: number) => {
    let reads = 0;
    const list = photos.map((p, at) => ({
      name: p.name,
      photo: async () => {
        if (at === 0 && ++reads === 2 && ++arrived === 2) bothThere();
        if (at === 0 && reads === 2) await barrier;
        return p.photo;
      },
    }));
    const command = w.command();
    const journal = await redisJournal(command, name, holder ? { holder } : {});
    try {
      return await animateMany(w.client(), list, {
        journal,
        limits: redisAccountLimits(command, { account: name }),
        ...(await saveToDirectory(`${w.world.root}/${name}-${i}`)),
      });
    } finally {
      await journal.close();
    }
  };
  const reports = await Promise.all([run(0), run(1)]);
  const per = w.jobsPerPhoto();
  const paidTwice = photos.filter((p) => (per.get(p.job) ?? 0) > 1).map((p) => `${p.name} x${per.get(p.job)}`);
  console.log(JSON.stringify({ holder, submitted: reports.map((r) => r.submitted), saved: reports.map((r) => r.counts.saved), paidTwice }));
  return paidTwice;
};

it("control: two processes with their own (random) holders: no photo paid twice", async () => {
  expect(await twoProcesses(100, undefined)).toEqual([]);
});

it("two processes named alike (holder: os.hostname()): every photo is submitted once", async () => {
  expect(await twoProcesses(0, "batch-host-1")).toEqual([]);
});

it("the journal itself: a second process with the same holder wins a claim the first one holds", async () => {
  const name = crypto.randomUUID();
  const [a, b] = await Promise.all([0, 1].map(() => redisJournal(w.command(), name, { holder: "batch-host-1" })));
  const intent = { type: "intent", key: "ke3:x", name: "x.jpg", at: 1 } as const;
  expect(await a?.claim(intent)).toBe(true);
  expect(await b?.claim(intent)).toBe(false);
});
