// Every crash point of a 5-photo batch: the command is crashed after its k-th operation (a file
// call or a request), for every k of a whole run, as a killed process (the page cache survives),
// as a power loss (only what was synced survives), and as a power loss on a file system that kept
// every name change and every file's new size but none of the unsynced data (zeros). Then it is run again as a user would: the
// same command, and, if it reports photos maybe submitted, once more with `--adopt` for those the
// account shows a job for and `--resubmit-unsure` for the others. After that every photo must be
// saved, once, with one job each, and every file must be its photo's whole video, and stay so
// through a power loss right after.
import { seeds } from "@vclm/tools/sim";
import { describe, expect, it } from "vitest";
import { assertKept, checkPromise, rerunUntilSaved } from "./invariants.js";
import { batchWorld, type LifeOptions, warmUp } from "./world.js";

const PHOTOS = 5;
const [SEED = 1] = seeds(1);
const replay = (kind: string, k: number) =>
  `VCLM_SIM_SEED=${SEED} VCLM_SIM_CRASH=${kind}:${k} pnpm --filter @vclm/batch exec vitest run test/simulation/crash-points.test.ts`;

const KINDS = {
  process: {},
  power: { power: true },
  zeros: { power: true, torn: { int: (n: number) => n - 1 }, tails: "zeros" },
} as const satisfies Record<string, LifeOptions>;
type Kind = keyof typeof KINDS;

/** Crashes the command at `k`, then runs it again as a user would; checks the promise. */
async function crashAt(kind: Kind, k: number) {
  const world = batchWorld({ seed: SEED, photos: PHOTOS });
  const first = await world.life({ crashAt: k, ...KINDS[kind] });
  await rerunUntilSaved(
    world,
    `crash after operation ${k} (${kind}) of seed ${SEED}; replay: ${replay(kind, k)}`,
    first.crashed ? undefined : first,
  );
  return { crashed: first.crashed === true, lives: world.lives.length };
}

describe("every crash point of a 5-photo batch", () => {
  // About a minute alone, a few beside CI's other tests: the timeout is a backstop.
  it("keeps the promise after a crash at every operation, killed, powered off, or powered off leaving zeros", {
    timeout: 900_000,
  }, async () => {
    await warmUp();
    const started = performance.now();
    const whole = batchWorld({ seed: SEED, photos: PHOTOS });
    const clean = await whole.life();
    assertKept(whole, checkPromise(whole, clean.report, { allSaved: true }));
    const operations = clean.process.ops;
    const only = process.env.VCLM_SIM_CRASH?.split(":");
    const points = only
      ? [{ kind: only[0] as Kind, k: Number(only[1]) }]
      : (Object.keys(KINDS) as Kind[]).flatMap((kind) => Array.from({ length: operations }, (_, i) => ({ kind, k: i + 1 })));
    let adopted = 0;
    for (const { kind, k } of points) {
      const { crashed, lives } = await crashAt(kind, k);
      expect(crashed).toBe(true);
      if (lives > 2) adopted++;
    }
    console.log(
      `crash points: ${points.length} (${operations} operations of a clean run: killed, powered off, powered off leaving zeros), ${adopted} needed --adopt/--resubmit-unsure, ${Math.round(performance.now() - started)} ms`,
    );
  });
});
