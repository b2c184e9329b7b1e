// Review 2 (issue 24), finding 1: resubmitUnsure in a fleet still re-sends a Submit that another
// LIVE process had in flight when this run began. resume() (packages/batch/src/resume.ts) puts every
// unsure photo's holder into run.resubmitting, whether or not that holder is alive; admit's
// claimable() and the CLAIM script then accept it as soon as that holder's heartbeat lapses.
//
// Story: machines A, B, C run the batch. B crashed earlier; the operator checks the account for B's
// maybe-submitted photos and restarts B with resubmitUnsure: true (as the guide says). When B
// starts, A has photo X's Submit in flight (X: unsure, holder A, A alive). A is then killed (or cut
// off from Redis for aliveMs) before it records X's JobId. B reaches X: its intent is "the one seen
// when the run began", its holder is gone, so B claims it over A and submits it: paid twice.
//
// Made certain here: B's first look (resume, the run's start) sees A alive; A "dies" right after
// (its journal closed = its heartbeat lapsed).
import { animateMany, type SharedJournal } from "@vclm/batch";
import { saveToDirectory } from "@vclm/batch/node";
import { expect, it } from "vitest";
import { redisAccountLimits, redisJournal } from "../../src/index.js";
import { photo, submitDirectly, useWorld } from "./world.js";

const w = useWorld();

it("resubmitUnsure never re-sends a Submit whose holder was alive when the run began", async () => {
  const x = photo(201);
  const name = crypto.randomUUID();
  const a = await redisJournal(w.command(), name, { holder: "machine-a" });
  // A claims X and sends its Submit: the job exists (paid). A is alive, its Submit "in flight".
  expect(await a.claim({ type: "intent", key: x.key, name: x.name, at: Date.now() })).toBe(true);
  const paidByA = await submitDirectly(w.client(), x.photo);
  const command = w.command();
  const b = await redisJournal(command, name, { holder: "machine-b" });
  let looks = 0;
  let aliveAtStart: boolean | undefined;
  const bJournal: SharedJournal & { close(): Promise<void> } = {
    ...b,
    async look(keys) {
      const seen = await b.look(keys);
      if (looks++ === 0) {
        aliveAtStart = seen.get(x.key)?.alive; // resume(): the run's start
        await a.close(); // A is killed now, before it records its JobId (= its heartbeat lapsed)
      }
      return seen;
    },
  };
  const report = await animateMany(w.client(), [{ name: x.name, photo: x.photo }], {
    journal: bJournal,
    limits: redisAccountLimits(command, { account: name }),
    resubmitUnsure: true,
    ...(await saveToDirectory(`${w.world.root}/${name}`)),
  });
  await b.close();
  const jobsForX = w.jobsPerPhoto().get(x.job);
  console.log(JSON.stringify({ aliveAtStart, paidByA, B: report.photos[0], jobsForX }));
  expect(aliveAtStart).toBe(true);
  expect(jobsForX).toBe(1);
  expect(report.photos[0]?.outcome).toBe("maybe-submitted");
});
