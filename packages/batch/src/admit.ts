import { classifyFailure, isVclmError, SubmitImageAnimateJob, VclmServiceError } from "@vclm/core";
import { finish } from "./finish.js";
import { messageOf } from "./fs-errors.js";
import { type JournalRecord, replay, type SharedJournal } from "./journal.js";
import { type Item, readUnchanged } from "./plan.js";
import { recordSubmitted } from "./record.js";
import { backoff, holdSlot, pause, type Run, releaseSlot, stopSubmitting, watch } from "./run.js";

/** Pauses in a row for throttling or "retry later" before a photo is given up for this run. */
const MAX_LATER = 8;
/** Tries of a claim that gets no answer (pauses of about 1, 2, 4 and 8 s between them). */
const CLAIM_TRIES = 5;
/** The pause before the one cautious Submit that follows a Submit whose answer was lost. */
const CAUTIOUS_PAUSE_MS = 10_000;

/**
 * Submits the photos one at a time, so the count of running jobs is exact when JobNumExceed teaches
 * the limit. Each Submit is paced, waits for a free slot, sends exactly the bytes hashed, and is in
 * the journal (`intent`) before it is sent; it is never cut off once sent (its answer is a paid
 * job's JobId). After a Submit whose answer was lost, one cautious Submit follows a pause; a second
 * such loss in a row stops submitting for this run. Jobs submitted are followed by {@link finish}.
 */
export async function admit(run: Run, queue: Item[]): Promise<void> {
  const submitting = run.submitting.signal;
  let attempt = 1;
  let unsureInARow = 0;
  const next = () => {
    queue.shift();
    attempt = 1;
  };
  while (queue.length) {
    const item = queue[0] as Item;
    if (submitting.aborted) {
      const why = run.stopped ?? `it was stopped (${messageOf(submitting.reason)})`;
      for (const rest of queue.splice(0))
        run.board.end(rest, { outcome: "error", message: `not submitted: the batch stopped submitting, as ${why}` });
      return;
    }
    // A shared store that does not answer (Redis restarting): pauses, then no more Submits this run.
    const unanswered = async (what: string, error: unknown) => {
      if (attempt >= MAX_LATER) stopSubmitting(run, `${what} (${messageOf(error)}): no Submit is sent without it`);
      else await pause(run, attempt++).catch(() => {});
    };
    if (run.shared) {
      // Before a slot and a turn of the rate: most photos of a list many processes share are another's.
      const free = await claimable(run, run.shared, item).catch((error: unknown) => ({ error }));
      if (typeof free === "object") {
        await unanswered("the shared journal does not answer", free.error);
        continue;
      }
      if (!free) {
        watch(run, item);
        next();
        continue;
      }
    }
    try {
      await run.jobs.acquire(item.key, submitting);
    } catch (error) {
      if (!submitting.aborted) await unanswered("the account's job slots cannot be had", error);
      continue;
    }
    try {
      await run.pace(submitting);
    } catch (error) {
      releaseSlot(run, item.key);
      if (!submitting.aborted) await unanswered("the account's request rate cannot be had", error);
      continue;
    }
    const photo = await readUnchanged(item);
    if ("problem" in photo) {
      releaseSlot(run, item.key);
      run.board.end(item, { outcome: "error", message: photo.problem });
      next();
      continue;
    }
    if (submitting.aborted) {
      releaseSlot(run, item.key);
      continue;
    }
    try {
      const intent = { type: "intent", key: item.key, name: item.name, at: run.now() } as const;
      if (!run.shared) await run.journal.append(intent);
      else if (!(await claim(run, run.shared, item, intent))) {
        // Another process claimed it since it was looked at.
        releaseSlot(run, item.key);
        watch(run, item);
        next();
        continue;
      }
    } catch (error) {
      releaseSlot(run, item.key);
      // A claim whose answer was lost may have been made: this process says it sent nothing (only its
      // holder may), a few times, or the photo stays held, and is maybe-submitted for the fleet.
      const journal = run.shared;
      if (journal)
        await withTries(run, 3, () =>
          journal.append({ type: "not-submitted", key: item.key, reason: "its intent could not be recorded: never sent" }),
        ).catch(() => {});
      stopSubmitting(run, `the journal could not be written (${messageOf(error)})`);
      continue;
    }
    run.board.tell({ type: "submitting", name: item.name }, item);
    let JobId: string;
    try {
      // No signal: once sent, a Submit is let finish, so its JobId is known and recorded.
      ({ JobId } = await run.client.send(
        SubmitImageAnimateJob,
        { ...run.options.submit, TemplateId: run.TemplateId, photo: photo.bytes },
        { parent: run.board.span(item) },
      ));
    } catch (error) {
      // Core's one failure table: whether a job may exist decides everything else.
      const failure = classifyFailure(error);
      const code = isVclmError(error, VclmServiceError) ? error.code : undefined;
      const message = messageOf(error);
      if (failure === "may-have-arrived" || failure === "unexpected") {
        holdSlot(run, item.key);
        run.board.end(item, { outcome: "maybe-submitted", code, message });
        next();
        if (++unsureInARow >= 2) {
          stopSubmitting(
            run,
            `2 Submits in a row may have reached the service and got no answer (the last: ${message}); no more are sent this run, so that no more jobs are paid for whose JobIds are not known`,
          );
          continue;
        }
        await run.wait(CAUTIOUS_PAUSE_MS * (0.5 + run.random() / 2), submitting).catch(() => {});
        continue;
      }
      // A refusal as full counts the slots held by the others: this one is given back after.
      const lower = failure === "job-slot" ? await run.jobs.refused(item.key).catch(() => undefined) : undefined;
      releaseSlot(run, item.key);
      // Only an answer from the service shows the way to it works again; a connection refused does not.
      if (isVclmError(error, VclmServiceError)) unsureInARow = 0;
      try {
        await run.journal.append({ type: "not-submitted", key: item.key, reason: code ?? message });
      } catch (journalError) {
        // The photo's intent stays: a rerun sees it as maybe submitted, though no job was made.
        run.board.end(item, {
          outcome: "maybe-submitted",
          code,
          message: `${message}; no job was made, but the journal could not record that (${messageOf(journalError)}): check the account, then --resubmit-unsure`,
        });
        next();
        stopSubmitting(run, `the journal could not be written (${messageOf(journalError)})`);
        continue;
      }
      if (failure === "job-slot") {
        // The account is full: the jobs running now are the limit (at least one, whoever holds them).
        if (lower !== undefined) run.board.tell({ type: "limit", limit: lower });
        if (run.jobs.active === 0) await pause(run, Math.min(attempt++, 7)).catch(() => {});
        continue;
      }
      if ((failure === "throttled" || failure === "transient") && attempt < MAX_LATER) {
        await pause(run, attempt++).catch(() => {});
        continue;
      }
      run.board.end(item, { outcome: failure === "refused" ? "refused" : "error", code, message });
      next();
      if (failure === "fatal") stopSubmitting(run, `every Submit would fail alike: ${message}`);
      continue;
    }
    unsureInARow = 0;
    const at = run.now();
    run.submitted++;
    run.board.move(item, "waiting", { JobId }, "submitted");
    next();
    await recordSubmitted(run, item, JobId, at);
    run.finishing.push(settled(finish(run, item, { JobId, submittedAt: at })));
  }
}

/** Runs `step`, and again after growing pauses while it throws, `tries` times in all; rejects with its last error. */
async function withTries<T>(run: Run, tries: number, step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= tries) throw error;
      await run.wait(backoff(run, attempt), run.ending.signal).catch(() => {});
    }
  }
}

/**
 * Claims a photo of a shared journal. A claim is this holder's own however often it is sent (one
 * sent again after a lost answer is recognised), so one that got no answer (Redis restarting) is
 * sent again (5 tries, about 15 s). A claim that got through after a pause takes a fresh turn of the rate.
 */
async function claim(run: Run, journal: SharedJournal, item: Item, intent: JournalRecord & { type: "intent" }): Promise<boolean> {
  let sent = 0;
  const claimed = await withTries(run, CLAIM_TRIES, () => {
    sent++;
    return journal.claim(intent, { over: run.resubmitting.get(item.key) });
  });
  if (claimed && sent > 1) await run.pace(run.submitting.signal).catch(() => {});
  return claimed;
}

/** Whether the options ask to submit this photo again if its Submit was in flight when a run stopped. */
export const resubmits = (run: Run, item: Item): boolean => {
  const { resubmitUnsure } = run.options;
  return resubmitUnsure === true || (Array.isArray(resubmitUnsure) && item.names.some((name) => resubmitUnsure.includes(name)));
};

/**
 * Whether this process may claim a photo of a shared journal: nobody holds it (or its Submit's
 * process is gone, the intent is the one seen when the run began, and the options resubmit it).
 */
async function claimable(run: Run, journal: SharedJournal, item: Item): Promise<boolean> {
  const look = (await journal.look([item.key])).get(item.key);
  const phase = replay(look?.records ?? []).get(item.key)?.phase ?? "new";
  // Only the intent seen when the run began: another process's Submit in flight since is not this run's to send again.
  return (
    phase === "new" || (phase === "unsure" && !look?.alive && look?.holder !== undefined && run.resubmitting.get(item.key) === look.holder)
  );
}

/** The promise, marked as handled: its rejection is read later (allSettled), not reported as unhandled now. */
export const settled = <T>(promise: Promise<T>): Promise<T> => {
  promise.catch(() => {});
  return promise;
};
