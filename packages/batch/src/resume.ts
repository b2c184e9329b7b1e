import { VclmValidationError } from "@vclm/core";
import { resubmits } from "./admit.js";
import type { Job } from "./finish.js";
import type { PhotoState } from "./journal.js";
import type { Item } from "./plan.js";
import { type Run, watch } from "./run.js";

/** What each photo needs, from the journal: an outcome already, a job to finish, or a Submit. */
export interface Resumed {
  readonly toSubmit: Item[];
  readonly toFinish: { item: Item; job: Job }[];
}

const UNSURE =
  "its Submit was in flight when an earlier run stopped: the job may exist, and be paid for. Check the account's jobs: if it has one, adopt it (vclm: --adopt NAME=JOBID); if not, submit it again with resubmitUnsure (vclm: --resubmit-unsure)";

/** The JobId adopted for each photo, by key; refuses what would contradict itself or the journal, before anything is written. */
function adoptions(run: Run, items: Map<string, Item>, states: Map<string, PhotoState>): Map<string, string> {
  const byName = new Map<string, Item>();
  // Whose each JobId is, from the journal: one job is one photo's video.
  const owners = new Map<string, Item>();
  for (const item of items.values()) {
    for (const name of item.names) byName.set(name, item);
    const known = states.get(item.key)?.JobId;
    if (known) owners.set(known, item);
  }
  const adopted = new Map<string, string>();
  const issues: { path: string; message: string }[] = [];
  const refuse = (name: string, message: string) => issues.push({ path: `adopt.${name}`, message });
  for (const [name, JobId] of Object.entries(run.options.adopt ?? {})) {
    const item = byName.get(name) as Item; // checkOptions made sure every name is a photo's
    const earlier = adopted.get(item.key);
    const known = states.get(item.key)?.JobId;
    const owner = owners.get(JobId);
    if (earlier && earlier !== JobId)
      refuse(name, `${name} has the same bytes as ${item.names.join(", ")}: one photo, one job; adopt ${earlier} or ${JobId}, not both`);
    else if (known && known !== JobId) refuse(name, `the journal already has job ${known} for ${name}: adopt is for photos without a job`);
    else if (owner && owner !== item) refuse(name, `job ${JobId} is ${owner.name}'s already: one job is one photo's video`);
    else if (!known) {
      adopted.set(item.key, JobId);
      owners.set(JobId, item);
    }
  }
  if (issues.length) throw new VclmValidationError("animateMany", issues);
  return adopted;
}

/** Checks saved videos a few at a time: each may be read whole for its SHA-256. */
async function checkAll(run: Run, saved: { item: Item; state: PhotoState }[]): Promise<Map<string, string>> {
  const problems = new Map<string, string>();
  const check = run.options.checkSaved;
  // A shared journal's videos are on every machine of the fleet: this one cannot check another's files.
  if (!check || run.shared) return problems;
  let next = 0;
  const worker = async () => {
    while (next < saved.length) {
      const { item, state } = saved[next++] as { item: Item; state: PhotoState };
      const problem = await check({ location: state.location as string, bytes: state.bytes as number, sha256: state.sha256 });
      if (problem) problems.set(item.key, problem);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return problems;
}

/**
 * Picks each photo up where the journal left it: saved (if its file still holds it), failed, maybe
 * submitted (unless adopted or to be resubmitted), a job to wait for, or a photo to submit.
 */
export async function resume(run: Run, items: Map<string, Item>, states: Map<string, PhotoState>): Promise<Resumed> {
  const adopted = adoptions(run, items, states);
  const savedBefore = [...items.values()].flatMap((item) => {
    const state = states.get(item.key);
    return state?.phase === "saved" ? [{ item, state }] : [];
  });
  const problems = await checkAll(run, savedBefore);
  const toSubmit: Item[] = [];
  const toFinish: { item: Item; job: Job }[] = [];
  if (run.shared) {
    // Whose intent each photo to submit again had when the run began, its holder gone: only that one is sent again.
    const unsure = [...items.values()].filter((item) => states.get(item.key)?.phase === "unsure" && resubmits(run, item));
    const looks = unsure.length ? await run.shared.look(unsure.map((item) => item.key)) : new Map();
    // A holder alive now may still be sending it: never this run's to send again.
    for (const [key, { holder, alive }] of looks) if (holder && !alive) run.resubmitting.set(key, holder);
  }
  for (const item of items.values()) {
    const state = states.get(item.key) ?? { phase: "new" };
    const adopt = adopted.get(item.key);
    if (adopt) {
      // When it was really submitted is not known: its 24 hours are counted from now, and a video
      // the service no longer serves is taken as lost.
      const at = run.now();
      await run.journal.append({ type: "submitted", key: item.key, JobId: adopt, at, adopted: true });
      toFinish.push({ item, job: { JobId: adopt, submittedAt: at, adopted: true } });
    } else if (state.phase === "saved" && !problems.has(item.key))
      run.board.end(item, { outcome: "saved", JobId: state.JobId, location: state.location, bytes: state.bytes, sha256: state.sha256 });
    else if (run.shared && (state.phase === "submitted" || (state.phase === "unsure" && !resubmits(run, item))))
      watch(run, item); // another process's, or one that stopped: looked at until it ends or is taken over
    else if (state.phase === "saved" || state.phase === "submitted")
      toFinish.push({
        item,
        job: {
          JobId: state.JobId as string,
          // Without its `submitted` record (the journal could not write it), when is not known.
          submittedAt: state.submittedAt ?? run.now(),
          adopted: state.adopted || state.submittedAt === undefined,
          again: problems.get(item.key),
        },
      });
    else if (state.phase === "failed")
      run.board.end(item, { outcome: "failed", JobId: state.JobId, code: state.code, message: state.message });
    else if (state.phase === "unsure" && !resubmits(run, item)) run.board.end(item, { outcome: "maybe-submitted", message: UNSURE });
    else {
      run.board.move(item, "pending");
      toSubmit.push(item);
    }
  }
  return { toSubmit, toFinish };
}
