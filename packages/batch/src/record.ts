import { messageOf } from "./fs-errors.js";
import type { JournalRecord } from "./journal.js";
import type { Item } from "./plan.js";
import { backoff, type Run, stopSubmitting } from "./run.js";

/**
 * Records a job the service answered with. Its JobId is told first (`submitted`), so it is out of
 * this process before anything else can fail. If the journal refuses the record (a full disk), the
 * JobId is told again (`unrecorded`), the batch stops submitting (every next intent would fail
 * too), and the record is tried again, with growing pauses, until it is written, the photo's last
 * record supersedes it, or the run ends.
 */
export async function recordSubmitted(run: Run, item: Item, JobId: string, at: number): Promise<void> {
  const record: JournalRecord = { type: "submitted", key: item.key, JobId, at };
  try {
    await run.journal.append(record);
    return;
  } catch (error) {
    run.unrecorded.set(item.key, JobId);
    run.board.tell(
      {
        type: "unrecorded",
        name: item.name,
        JobId,
        message: `job ${JobId} for ${item.name} was submitted, but the journal could not record it (${messageOf(error)}); trying again`,
      },
      item,
    );
    stopSubmitting(run, `the journal could not be written (${messageOf(error)})`);
  }
  run.background.push(
    (async () => {
      for (let attempt = 1; ; attempt++) {
        const last = await run.wait(backoff(run, attempt + 1), run.ending.signal).then(
          () => false,
          () => true,
        );
        if (run.finalised.has(item.key)) return;
        try {
          await run.journal.append(record);
          run.unrecorded.delete(item.key);
          return;
        } catch {
          if (last) return;
        }
      }
    })(),
  );
}

/**
 * Writes a photo's last record (`failed`, `saved`): it names the JobId too, so once written, a
 * `submitted` record the journal refused is no longer needed. Resolves to why it was not written,
 * if it was not.
 */
export async function recordLast(run: Run, record: JournalRecord): Promise<string | undefined> {
  run.finalised.add(record.key);
  try {
    await run.journal.append(record);
    run.unrecorded.delete(record.key);
    return undefined;
  } catch (error) {
    return messageOf(error);
  }
}
