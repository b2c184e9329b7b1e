import type { Observer, VclmSpan } from "@vclm/core";
import type { Named } from "./board.js";
import type { BatchEvent, BatchReport, Outcome } from "./types.js";

const OUTCOMES = new Set<string>(["saved", "failed", "maybe-submitted", "lost", "refused", "error"] satisfies Outcome[]);
/** What a reader must look at: a photo without its video, a JobId not recorded, submitting stopped. */
const PROBLEMS = new Set<string>(["failed", "maybe-submitted", "lost", "refused", "error", "unrecorded", "stopped"]);
/** The batch's phases that are its job's status (the `waiting` and `running` of its counts are WAIT and RUN). */
const STATUS: Partial<Record<BatchEvent["type"], string>> = { waiting: "WAIT", running: "RUN", saving: "DONE", failed: "FAIL" };

/**
 * A batch as the client's observer (`observe`) sees it: a span for the batch (`vclm.batch`), a
 * span per photo (`vclm.batch.photo`, a child of it) whose events are the photo's moves and
 * which ends with its outcome, and a log line (`vclm.batch`) per event of the batch.
 */
export class ObservedBatch {
  /** The batch's span: the photos' spans are its children. */
  readonly span: VclmSpan;
  readonly observer: Observer;
  readonly #photos = new Map<string, VclmSpan>();

  constructor(observer: Observer, photos: number, parent: VclmSpan | undefined) {
    this.observer = observer;
    this.span = observer.span("vclm.batch", { parent, attributes: { "vclm.batch.photos": photos } });
  }

  /** The photo's span, started the first time the photo moves or one of its calls is made. */
  photo(item: Named): VclmSpan {
    let span = this.#photos.get(item.key);
    if (!span) {
      span = this.observer.span("vclm.batch.photo", { parent: this.span, attributes: { "vclm.photo": item.name } });
      this.#photos.set(item.key, span);
    }
    return span;
  }

  /** An event of the batch: an event of its photo's span (ended by the photo's outcome) or of the batch's, and a log line. */
  said({ type, name, JobId, limit, location, bytes, message }: BatchEvent, item: Named | undefined, code?: string): void {
    const status = STATUS[type];
    const span = item ? this.photo(item) : this.span;
    span.addEvent(type, { "vclm.job_id": JobId, "vclm.job.status": status, "vclm.error_code": code, "vclm.batch.limit": limit });
    if (item) {
      span.setAttributes({ "vclm.job_id": JobId, "vclm.job.status": status });
      if (OUTCOMES.has(type)) {
        span.setAttributes({ "vclm.outcome": type, "vclm.video.bytes": bytes });
        if (type !== "saved") span.fail(code ?? type, message ?? type);
        span.end();
        this.#photos.delete(item.key);
      }
    }
    const problem = PROBLEMS.has(type);
    this.observer.log(problem ? "warn" : "info", {
      msg: `${name ?? "batch"}: ${type}${JobId ? ` (job ${JobId})` : ""}${limit === undefined ? "" : ` ${limit}`}${
        problem && message ? `: ${message}` : ""
      }`,
      event: "vclm.batch",
      type,
      photo: name,
      jobId: JobId,
      code,
      limit,
      location,
      bytes,
      message,
    });
  }

  /** The batch ended, with its report (also an interrupted batch's) or the error that ended it. */
  end(report: BatchReport | undefined, error?: unknown): void {
    for (const span of this.#photos.values()) span.end(); // only a bug leaves a photo without an outcome
    this.#photos.clear();
    if (report) {
      const counts = Object.fromEntries(Object.entries(report.counts).map(([outcome, count]) => [`vclm.batch.${outcome}`, count]));
      this.span.setAttributes({ ...counts, "vclm.batch.submitted": report.submitted, "vclm.batch.concurrent_jobs": report.concurrentJobs });
    }
    if (error !== undefined)
      this.span.fail(error instanceof Error ? error.name : typeof error, error instanceof Error ? error.message : String(error));
    this.span.end();
  }
}
