// Found by a review (issue 24), now fixed: in a fleet, resubmitUnsure (meant for Submits in flight when an EARLIER run stopped, after
// the operator checked the account) also re-sends a Submit that another process of THIS run had in
// flight when it died: admit's claimable() and CLAIM's overUnsure accept any unsure photo whose
// holder is gone, whenever it became unsure. The job may exist: the photo is paid twice.
//
// Story: after a crash, the operator checks the account and reruns the 4 machines with
// resubmitUnsure: true (as the guide says: "Check the account, then adopt or resubmitUnsure").
// Machine A claims photo X (new when the run started), sends its Submit (the job is made), and is
// SIGKILLed before it records the JobId. Machine B reaches X in its own order after A's heartbeat
// lapsed: it claims X over A's intent and submits it again.
//
// Made certain here: B's journal read (the run's start) happens before A claims X; A "dies" by
// closing its journal (its heartbeat key is gone, as after aliveMs).
import { animateMany, type SharedJournal } from "@vclm/batch";
import { saveToDirectory } from "@vclm/batch/node";
import { expect, it } from "vitest";
import { redisAccountLimits, redisJournal } from "../../src/index.js";
import { photo, submitDirectly, useWorld } from "./world.js";

const w = useWorld();

it("a Submit in flight in another process of this run is never sent again, even with resubmitUnsure", async () => {
  const x = photo(1);
  const name = crypto.randomUUID();
  const a = await redisJournal(w.command(), name, { holder: "machine-a", aliveMs: 500 });
  const command = w.command();
  const b = await redisJournal(command, name, { holder: "machine-b" });
  let paidByA: string | undefined;
  const bJournal: SharedJournal & { close(): Promise<void> } = {
    ...b,
    async read() {
      const records = await b.read(); // the run starts: X has no record
      // Meanwhile machine A claims X, sends its Submit (a job is made), and is killed before recording it.
      expect(await a.claim({ type: "intent", key: x.key, name: x.name, at: Date.now() })).toBe(true);
      paidByA = await submitDirectly(w.client(), x.photo);
      await a.close(); // = its heartbeat lapsed
      return records;
    },
  };
  const report = await animateMany(w.client(), [{ name: x.name, photo: x.photo }], {
    journal: bJournal,
    limits: redisAccountLimits(command, { account: name }),
    resubmitUnsure: true,
    ...(await saveToDirectory(`${w.world.root}/${name}`)),
  });
  await b.close();
  console.log(JSON.stringify({ paidByA, B: report.photos[0], jobsForX: w.jobsPerPhoto().get(x.job) }));
  expect(w.jobsPerPhoto().get(x.job)).toBe(1);
  expect(report.photos[0]?.outcome).toBe("maybe-submitted");
});
