// What every run of the relay world must show, whatever crashed or failed: no user gets more jobs
// made than the quota; every job made holds a unit of it (a unit given back for a job would let
// one past the quota); no user is forwarded or told another user's job, and no signed Submit is
// forwarded twice (both noted by the world as it runs); every page gets to its end. A unit held
// for no job is by design after a lost answer or a crash (the relay cannot know that no job was
// made): it is counted, per kind of run, for the summary.
import type { RelayRun } from "./world.js";

/** Runs checked, and how many held units for no job, per kind of run. */
export const tally = new Map<string, { runs: number; overcharged: number; units: number }>();

/** The summary line: runs of each kind, and the units held for no job. */
export const summary = (ms: number): string =>
  `relay explorer: ${[...tally].map(([kind, { runs, overcharged, units }]) => `${runs} ${kind} (${overcharged} held ${units} units for no job)`).join(", ")}; ${ms} ms`;

/**
 * Throws, with what the store and the service did, if `run` broke a promise. `mostHeldForNothing`:
 * the units a run may hold for no job in all (one failed call costs its user one unit at most).
 */
export function check(run: RelayRun, quota: number, kind: string, what: string, mostHeldForNothing = Number.POSITIVE_INFINITY): void {
  const count = tally.get(kind) ?? { runs: 0, overcharged: 0, units: 0 };
  tally.set(kind, count);
  count.runs++;
  const problems = [...run.violations];
  if (!run.finished) problems.push("the run stopped with a page still waiting");
  let units = 0;
  for (const [user, charged] of run.charged) {
    const jobs = run.jobs.get(user) ?? 0;
    if (jobs > quota) problems.push(`${user}: ${jobs} jobs made, over the quota of ${quota}`);
    if (charged < jobs) problems.push(`${user}: ${jobs} jobs made, ${charged} units held: a unit was given back for a job`);
    units += Math.max(0, charged - jobs);
  }
  if (units > mostHeldForNothing)
    problems.push(`${units} units held for no job, more than the ${mostHeldForNothing} one failed call may cost`);
  if (units) count.overcharged++;
  count.units += units;
  if (problems.length) throw new Error(`${what}:\n  ${problems.join("\n  ")}\n${run.log.join("\n")}`);
}
