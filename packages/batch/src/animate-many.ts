import type { VclmClient } from "@vclm/core";
import { settled } from "./admit.js";
import { checkOptions } from "./check-options.js";
import { finish } from "./finish.js";
import { replay } from "./journal.js";
import { planPhotos } from "./plan.js";
import { resume } from "./resume.js";
import { type Run, startRun } from "./run.js";
import { type AnimateManyOptions, BatchInterruptedError, type BatchPhoto, type BatchReport } from "./types.js";
import { admitAll } from "./watch-others.js";

/**
 * Animates many photos: submits each photo once, as fast as the account allows (up to its
 * concurrent-job limit, learnt from JobNumExceed, and under one request rate), waits for every job
 * with one `JobTracker` (from @vclm/poller), saves each video as it finishes, and reports each photo's
 * {@link Outcome}. Each step is in the journal before the next is taken, so a batch stopped at any
 * moment (a crash, a kill, an abort) is resumed by running it again with the same journal: a photo
 * with a JobId is never submitted again, its job is waited for and its video saved.
 *
 * With `observe` on the client, the batch has a span (`vclm.batch`, a child of `parent` or the
 * tracer's active span) and each photo one (`vclm.batch.photo`: its name, JobId and outcome; its
 * events the photo's moves, its Submit and its job's Describes its children); every
 * {@link BatchEvent} is a log line (`vclm.batch`: problems as warnings), and the gauge
 * `vclm.slots.in_use` follows the job slots the batch holds.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 *
 * const client = new VclmClient({ region: "ap-singapore" });
 * const photos = ["alice.jpg", "bob.jpg"].map((name) => ({ name, photo: () => readFile(name) }));
 * const report = await animateMany(client, photos, {
 *   journal: await memoryJournal(), // on Node or Deno: fileJournal("out/journal.jsonl") from @vclm/batch/node
 *   save: async ({ url, JobId }) => {
 *     const { body } = await openVideo(url);
 *     return { location: JobId, bytes: (await new Response(body).arrayBuffer()).byteLength };
 *   },
 * });
 * console.log(report.counts); // { saved: 2, failed: 0, ... }
 * ```
 */
export async function animateMany(client: VclmClient, photos: readonly BatchPhoto[], options: AnimateManyOptions): Promise<BatchReport> {
  checkOptions(options, photos);
  const run = startRun(client, options, photos.length);
  try {
    const report = await animate(run, photos);
    run.observed?.end(report);
    return report;
  } catch (error) {
    run.observed?.end(error instanceof BatchInterruptedError ? error.report : undefined, error);
    throw error;
  }
}

/** The batch's work, from its plan to its report. */
async function animate(run: Run, photos: readonly BatchPhoto[]): Promise<BatchReport> {
  const { options } = run;
  try {
    const { items, keys } = await planPhotos(photos, run.TemplateId);
    const { toSubmit, toFinish } = await resume(run, items, replay(await options.journal.read()));
    for (const { item, job } of toFinish) {
      await run.jobs.hold(item.key); // an existing job holds an account slot until it ends
      run.finishing.push(settled(finish(run, item, job)));
    }
    const admitted = await Promise.allSettled([admitAll(run, toSubmit)]);
    // admit() adds jobs as it submits them: wait for each, including the last ones it added.
    const finished = await Promise.allSettled(run.finishing);
    run.close();
    await Promise.allSettled(run.background);
    const failure = [...admitted, ...finished].find((result) => result.status === "rejected");
    if (failure) throw (failure as PromiseRejectedResult).reason;
    if (run.board.listenerError) throw run.board.listenerError.error;
    for (const [key, JobId] of run.unrecorded)
      run.board.amend(key, (outcome) =>
        outcome.unrecorded
          ? outcome
          : {
              ...outcome,
              unrecorded: true,
              message: `${outcome.message ? `${outcome.message}; ` : ""}the journal could not record job ${JobId}: a rerun sees this photo as maybe submitted; give it --adopt ${outcome.name}=${JobId}`,
            },
      );
    const report: BatchReport = {
      ...run.board.report(photos, keys),
      submitted: run.submitted,
      concurrentJobs: run.jobs.learnt,
      ...(run.stopped && { stopped: run.stopped }),
    };
    if (options.signal?.aborted) throw new BatchInterruptedError(report, options.signal.reason);
    return report;
  } finally {
    run.close();
  }
}
