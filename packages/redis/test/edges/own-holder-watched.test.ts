// Found by a review (issue 24), now fixed: watch-others' lookOnce() never asks whether the holder of a watched photo is THIS
// process. A photo whose journal holder is this process's own name, with this process's heartbeat
// alive, is "held by a live process" to it and to everyone else, so nobody waits for its job and
// saves its video: each process reports "error: <holder> has held it for longer than maxWait".
// Two ways to get there:
//  (a) a machine restarted with a stable `holder` (e.g. os.hostname()) after a crash: its paid
//      jobs of before the crash are never saved while it runs (and the fleet does not take them
//      over either: the heartbeat of that name is alive again);
//  (b) takeOver() succeeded in Redis but the next step failed (jobs.hold's HOLD script, or the
//      takeOver's own answer was lost): lookOnce throws, admitAll swallows it, the next look sees
//      holder = me, alive, and waits.
import { animateMany } from "@vclm/batch";
import { saveToDirectory } from "@vclm/batch/node";
import { expect, it } from "vitest";
import { type RedisCommand, redisAccountLimits, redisJournal } from "../../src/index.js";
import { photo, submitDirectly, useWorld } from "./world.js";

const w = useWorld();

/** A process of the fleet submitted X, recorded its JobId, then died (SIGKILL: no more heartbeat). */
async function submittedThenDied(name: string, holder: string, x: ReturnType<typeof photo>) {
  const dead = await redisJournal(w.command(), name, { holder });
  expect(await dead.claim({ type: "intent", key: x.key, name: x.name, at: Date.now() })).toBe(true);
  const JobId = await submitDirectly(w.client(), x.photo);
  await dead.append({ type: "submitted", key: x.key, JobId, at: Date.now() });
  await dead.close(); // = its heartbeat lapsed
  return JobId;
}

async function rerun(name: string, x: ReturnType<typeof photo>, holder: string | undefined, limitsCommand?: RedisCommand) {
  const command = w.command();
  const journal = await redisJournal(command, name, { ...(holder && { holder }), aliveMs: 3_000 });
  try {
    return await animateMany(w.client(), [{ name: x.name, photo: x.photo }], {
      journal,
      limits: redisAccountLimits(limitsCommand ?? command, { account: name }),
      maxWait: 6_000,
      ...(await saveToDirectory(`${w.world.root}/${name}`)),
    });
  } finally {
    await journal.close();
  }
}

it("control: restarted with a new holder name, it takes its old job over and saves the video", async () => {
  const x = photo(10);
  const name = crypto.randomUUID();
  const JobId = await submittedThenDied(name, "host-1", x);
  const report = await rerun(name, x, "host-1-new");
  expect(report.photos[0]).toMatchObject({ outcome: "saved", JobId });
});

it("(a) restarted with the same holder (os.hostname()): its paid job of before the crash is saved", async () => {
  const x = photo(11);
  const name = crypto.randomUUID();
  const JobId = await submittedThenDied(name, "host-1", x);
  const report = await rerun(name, x, "host-1");
  console.log(JSON.stringify(report.photos[0]));

  expect(report.photos[0]).toMatchObject({ outcome: "saved", JobId });
});

it("(b) takeOver succeeds but holding the slot fails once (a Redis blip): the job is still saved", async () => {
  const x = photo(12);
  const name = crypto.randomUUID();
  const JobId = await submittedThenDied(name, "host-2", x);
  const real = w.command();
  let failed = false;
  // The limits' connection drops the first HOLD (EVALSHA with one key: the slots), as a blip would.
  const flaky: RedisCommand = async (args) => {
    if (!failed && args[0] === "EVALSHA" && args[2] === "1" && String(args[3]).endsWith(":slots")) {
      failed = true;
      throw new Error("Connection is closed.");
    }
    return real(args);
  };
  const report = await rerun(name, x, undefined, flaky);
  console.log(JSON.stringify(report.photos[0]));
  expect(failed).toBe(true);

  expect(report.photos[0]).toMatchObject({ outcome: "saved", JobId });
});
