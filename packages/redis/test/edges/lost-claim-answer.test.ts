// Found by a second review (issue 24), now fixed: a claim whose answer is lost, while Redis stays away a moment
// longer, leaves a photo that was NEVER sent as `maybe-submitted` for every process and every
// rerun. admit() (packages/batch/src/admit.ts) tries the `not-submitted` record once, right after
// the failed claim (`.catch(() => {})`), and never again: the intent stays, its holder's heartbeat
// ends with the run, and the fleet asks the operator to check the account for a job that does not
// exist. "Their records are tried again until the run ends" (the guide) holds for `submitted` only.
//
// Made certain here: B's claim is made in Redis but its answer is lost (an error), and Redis does
// not answer the not-submitted record either (one error); everything else works.
import { animateMany, type SharedJournal } from "@vclm/batch";
import { saveToDirectory } from "@vclm/batch/node";
import { expect, it } from "vitest";
import { redisAccountLimits, redisJournal } from "../../src/index.js";
import { photo, useWorld } from "./world.js";

const w = useWorld();

it("a claim's lost answer: the photo, never sent, is not left maybe-submitted for the fleet", async () => {
  const x = photo(211);
  const name = crypto.randomUUID();
  const command = w.command();
  const b = await redisJournal(command, name, { holder: "machine-b" });
  let notSubmittedRefused = 0;
  const bJournal: SharedJournal & { close(): Promise<void> } = {
    ...b,
    async claim(intent, options) {
      await b.claim(intent, options); // made in Redis...
      throw new Error("Redis did not record the intent to submit: Connection is closed"); // ...its answer lost
    },
    async append(record) {
      if (record.type === "not-submitted" && notSubmittedRefused++ === 0) throw new Error("Connection is closed");
      return b.append(record);
    },
  };
  const first = await animateMany(w.client(), [{ name: x.name, photo: x.photo }], {
    journal: bJournal,
    limits: redisAccountLimits(command, { account: name }),
    ...(await saveToDirectory(`${w.world.root}/${name}/b`)),
  });
  await b.close();
  // Redis is fine again. Another machine (or B run again) works the batch.
  const command2 = w.command();
  const c = await redisJournal(command2, name, { holder: "machine-c" });
  const second = await animateMany(w.client(), [{ name: x.name, photo: x.photo }], {
    journal: c,
    limits: redisAccountLimits(command2, { account: name }),
    ...(await saveToDirectory(`${w.world.root}/${name}/c`)),
  });
  await c.close();
  const jobsForX = w.jobsPerPhoto().get(x.job) ?? 0;
  console.log(JSON.stringify({ first: first.photos[0], second: second.photos[0], jobsForX }));
  expect(jobsForX).toBe(1);
  expect(second.photos[0]?.outcome).toBe("saved");
});
