import { admit, settled } from "./admit.js";
import { finish } from "./finish.js";
import { messageOf } from "./fs-errors.js";
import { replay, type SharedJournal } from "./journal.js";
import type { Item } from "./plan.js";
import type { Run } from "./run.js";

/** How long a photo another process holds is waited for, at most, in one run. @default maxWait */
const waitLimit = (run: Run) => run.options.maxWait ?? 1_800_000;

/** How often photos held by other processes are looked at again. */
const LOOK_EVERY_MS = 1_000;
/** Looks in a row the shared journal does not answer before the photos others hold are given up for this run. */
const MAX_UNANSWERED = 30;

const GONE =
  "its Submit was in flight in another process of the fleet when that process stopped: the job may exist, and be paid for, so no process sends it again. Check the account's jobs: if it has one, adopt it (animateMany's adopt, with this shared journal); if not, submit it again with resubmitUnsure";

/** Waits for a job this process now holds, and saves its video; its slot is held (and renewed) whatever Redis says now. */
function follow(run: Run, item: Item, JobId: string, submittedAt: number | undefined): void {
  run.jobs.hold(item.key).catch(() => {});
  run.finishing.push(settled(finish(run, item, { JobId, submittedAt: submittedAt ?? run.now() })));
}

/**
 * Whether a watched photo's holder, not alive now, has not been alive on any look for two of its
 * heartbeats: a Redis restart can make every heartbeat lapse at once, and a live holder renews its
 * own within one.
 */
function goneLongEnough(run: Run, journal: SharedJournal, key: string): boolean {
  const since = run.gone.get(key) ?? run.now();
  run.gone.set(key, since);
  return run.now() - since >= 2 * (journal.heartbeatMs ?? 5_000);
}

/** Looks once at every watched photo; resolves to the photos let go (their Submit made no job), to submit. */
async function lookOnce(run: Run, journal: SharedJournal): Promise<Item[]> {
  const looks = await journal.look([...run.watched.keys()]);
  const free: Item[] = [];
  for (const [key, { item, since }] of run.watched) {
    const look = looks.get(key);
    const state = replay(look?.records ?? []).get(key) ?? { phase: "new" as const };
    const { JobId } = state;
    if (look?.alive) run.gone.delete(key);
    if (state.phase === "saved") {
      const { location, bytes, sha256 } = state;
      run.board.end(item, { outcome: "saved", JobId, location, bytes, sha256, message: `saved by ${look?.holder ?? "another process"}` });
    } else if (state.phase === "failed") run.board.end(item, { outcome: "failed", JobId, code: state.code, message: state.message });
    else if (state.phase === "new") free.push(item);
    else if (state.phase === "submitted" && look?.holder === journal.holder) {
      // This process's own (a take-over whose next step failed): it waits for the job and saves the video.
      follow(run, item, JobId as string, state.submittedAt);
    } else if (look?.alive || !goneLongEnough(run, journal, key)) {
      if (run.now() - since < waitLimit(run)) {
        if (JobId) run.board.move(item, "waiting", { JobId });
        continue;
      }
      run.board.end(item, {
        outcome: "error",
        JobId,
        message: `${look?.holder ?? "another process"} has held it for longer than maxWait (${waitLimit(run)} ms), and holds it still: run the batch again to follow it`,
      });
    } else if (state.phase === "unsure") run.board.end(item, { outcome: "maybe-submitted", message: GONE });
    else if (await journal.takeOver(key).catch(() => false)) {
      // Its holder stopped: this process waits for its job and saves its video.
      follow(run, item, JobId as string, state.submittedAt);
    } else continue; // another process took it over first, or Redis did not answer: looked at again
    run.watched.delete(key);
  }
  for (const item of free) run.watched.delete(item.key);
  return free;
}

/**
 * Submits the photos (see {@link admit}) and, with a shared journal, looks after the photos other
 * processes hold until each ends: saved or failed there, taken over when its holder stops, or
 * submitted here when its holder's Submit made no job. Resolves when nothing is left to submit or watch.
 */
export async function admitAll(run: Run, queue: Item[]): Promise<void> {
  const journal = run.shared;
  if (!journal) return admit(run, queue);
  let admitting = admit(run, queue);
  let admitted = false;
  const restart = () => {
    admitted = false;
    admitting = admit(run, queue).finally(() => (admitted = true));
  };
  admitting = admitting.finally(() => (admitted = true));
  let unanswered = 0;
  for (;;) {
    if (admitted && queue.length) restart();
    if (!run.watched.size) {
      await admitting;
      if (!run.watched.size && !queue.length) return;
      continue;
    }
    const stopped = await run.wait(LOOK_EVERY_MS, run.options.signal).then(
      () => false,
      () => true,
    );
    if (stopped) {
      for (const { item } of run.watched.values())
        run.board.end(item, {
          outcome: "error",
          message: "stopped while another process of the fleet held it: run the batch again to follow it",
        });
      run.watched.clear();
      continue;
    }
    let free: Item[];
    try {
      free = await lookOnce(run, journal);
      unanswered = 0;
    } catch (error) {
      // The shared journal does not answer (Redis restarting): nothing changes until it does, for a while.
      const why = `the shared journal does not answer (${messageOf(error)})`;
      unanswered++;
      for (const [key, { item, since }] of run.watched)
        if (unanswered >= MAX_UNANSWERED || run.now() - since >= waitLimit(run)) {
          run.board.end(item, {
            outcome: "error",
            message: `${why}: another process of the fleet held it; run the batch again to follow it`,
          });
          run.watched.delete(key);
        }
      continue;
    }
    queue.push(...free);
  }
}
