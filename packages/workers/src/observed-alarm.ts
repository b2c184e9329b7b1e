import type { Observer, VclmSpan } from "@vclm/core";
import { errorMessage, errorType } from "@vclm/core/internal";

/** The coordinator's state an alarm starts and ends with. */
export interface AlarmState {
  /** Submissions waiting for a Submit. */
  readonly queued: number;
  /** Jobs running: the account's slots the coordinator holds. */
  readonly running: number;
  /** The concurrent-job limit, once learnt (from JobNumExceed). */
  readonly limit: number | undefined;
}

/**
 * One alarm of the coordinator as the client's observer (`observe`) sees it: a span
 * (`vclm.coordinator.alarm`) whose children are its calls and whose events are what happened to
 * submissions (a job submitted, a job ended, each problem), with what it did as attributes; a
 * debug log line per alarm and a warning per problem (`vclm.coordinator`); the gauge
 * `vclm.slots.in_use`. No text of an error is in the span (its calls' spans carry theirs): only
 * its type, and the log line, scrubbed, says the rest.
 */
export class ObservedAlarm {
  readonly span: VclmSpan;
  readonly #observer: Observer;
  readonly #done = { admitted: 0, checked: 0, finished: 0, problems: 0 };

  constructor(observer: Observer, { queued, running, limit }: AlarmState) {
    this.#observer = observer;
    this.span = observer.span("vclm.coordinator.alarm", {
      attributes: { "vclm.coordinator.queued": queued, "vclm.coordinator.running": running, "vclm.coordinator.limit": limit },
    });
  }

  /** A submission's Submit made a job. */
  admitted(id: string, JobId: string): void {
    this.#done.admitted++;
    this.span.addEvent("submitted", { "vclm.submission": id, "vclm.job_id": JobId });
  }

  /** A job was looked at (a Describe answered). */
  checked(): void {
    this.#done.checked++;
  }

  /** A job ended: DONE (its video kept in R2) or FAIL (with its code and message). */
  finished(id: string, JobId: string, Status: "DONE" | "FAIL", failure?: { code: string; message: string }): void {
    this.#done.finished++;
    this.span.addEvent(Status, { "vclm.submission": id, "vclm.job_id": JobId, "vclm.error_code": failure?.code });
    if (failure)
      this.#warn(`job ${JobId} (submission ${id}): FAIL (${failure.code}): ${failure.message}`, { id, JobId, code: failure.code });
    else
      this.#observer.log("info", {
        msg: `job ${JobId} (submission ${id}): DONE, its video kept`,
        event: "vclm.coordinator",
        id,
        jobId: JobId,
      });
  }

  /**
   * Something went wrong for a submission (`what`: `refused`, `maybe-submitted`, `check failed`,
   * `video not kept`), or it waits its turn again (`full`, `throttled`, `transient`: `later`):
   * an event of the span, with the error's type, and a log line (a warning, `info` for `later`).
   */
  problem(what: string, id: string, error: unknown, { JobId, later = false }: { JobId?: string | undefined; later?: boolean } = {}): void {
    const type = errorType(error);
    this.span.addEvent(what, { "vclm.submission": id, "vclm.job_id": JobId, "error.type": type });
    const msg = `submission ${id}${JobId ? ` (job ${JobId})` : ""}: ${what} (${type}): ${errorMessage(error)}`;
    if (later) this.#observer.log("info", { msg, event: "vclm.coordinator", id, jobId: JobId, code: type });
    else this.#warn(msg, { id, JobId, code: type });
  }

  #warn(msg: string, { id, JobId, code }: { id: string; JobId: string | undefined; code: string }): void {
    this.#done.problems++;
    this.#observer.log("warn", { msg, event: "vclm.coordinator", id, jobId: JobId, code });
  }

  /** The alarm is over: what it did and left, on the span, in a debug line, and the slots in use; or what stopped it. */
  end({ queued, running, limit }: AlarmState, error?: unknown): void {
    const { admitted, checked, finished, problems } = this.#done;
    this.span.setAttributes({
      "vclm.coordinator.admitted": admitted,
      "vclm.coordinator.checked": checked,
      "vclm.coordinator.finished": finished,
      "vclm.coordinator.problems": problems,
      "vclm.coordinator.queued": queued,
      "vclm.coordinator.running": running,
      "vclm.coordinator.limit": limit,
      "vclm.slots.in_use": running,
    });
    this.#observer.gauge("vclm.slots.in_use", running);
    const summary = `admitted ${admitted}, checked ${checked}, finished ${finished}; ${queued} queued, ${running} running${
      limit === undefined ? "" : ` (limit ${limit})`
    }`;
    const fields = { event: "vclm.coordinator", admitted, checked, finished, problems, queued, running, limit };
    if (error === undefined) this.#observer.log("debug", { msg: `alarm: ${summary}`, ...fields });
    else {
      const type = errorType(error);
      this.span.fail(type, `the alarm failed (${type}) after it ${summary}: its log line says why`);
      this.#observer.log("error", { msg: `alarm failed: ${errorMessage(error)}; it ${summary}`, ...fields, code: type });
    }
    this.span.end();
  }
}
