import type { Context } from "../pipeline/context.js";
import { scrub, scrubbed } from "./scrub.js";
import type { VclmAttributes, VclmLogEvent, VclmLogger, VclmMeter, VclmSpan, VclmSpanOptions, VclmTracer } from "./types.js";

/**
 * What to watch a client with: any of a tracer, a logger and a meter (each optional).
 *
 * @example
 * ```ts
 * const options: ObserveOptions = { logger: console };
 * ```
 */
export interface ObserveOptions {
  readonly tracer?: VclmTracer | undefined;
  readonly logger?: VclmLogger | undefined;
  readonly meter?: VclmMeter | undefined;
}

/** A log level of {@link VclmLogger}. */
export type LogLevel = keyof VclmLogger;

/**
 * A job being waited for, as {@link Observer.job} follows it: its span (a child of the given
 * parent), whose events are its status changes, each also logged.
 *
 * @example
 * ```ts
 * declare const observer: Observer;
 * const job = observer.job("7532277463506747392", "vclm.wait");
 * job.status("RUN");
 * job.end();
 * ```
 */
export interface ObservedJob {
  readonly span: VclmSpan;
  /** The job's status changed (WAIT, RUN, DONE, FAIL); a FAIL's code goes with it, and fails the span. */
  status(status: string, code?: string): void;
  /** The wait ended: with the error that ended it, if it failed. */
  end(error?: unknown): void;
}

/**
 * What `observe` installs on a client (`client.state.observer`) and what the vclm packages report
 * through: spans, log lines and measurements, each with secrets scrubbed, each a no-op for a hook
 * not given. `@vclm/poller`, `@vclm/batch`, `@vclm/retry` and `@vclm/workers` find it on the client
 * they are given.
 *
 * @example
 * ```ts
 * const observer = makeObserver({ logger: console });
 * const span = observer.span("vclm.batch", { attributes: { "vclm.photos": 3 } });
 * observer.log("info", { msg: "3 photos to animate", event: "vclm.batch", photos: 3 });
 * span.end();
 * ```
 */
export interface Observer {
  /** Whether a logger was given: a line nobody reads need not be built. */
  readonly logging: boolean;
  span(name: string, options?: VclmSpanOptions): VclmSpan;
  log(level: LogLevel, event: VclmLogEvent): void;
  /** Adds to a counter. */
  count(name: string, attributes?: VclmAttributes, value?: number): void;
  /** Records a histogram's measurement. */
  record(name: string, value: number, attributes?: VclmAttributes): void;
  /** Sets a gauge. */
  gauge(name: string, value: number, attributes?: VclmAttributes): void;
  /** Follows a job being waited for: a span named `name`, an event and a log line per status. */
  job(JobId: string, name: string, parent?: VclmSpan): ObservedJob;
  /** @vclm/retry's decision to try a call again: an event of the call's span, a log line, a count. */
  retried(context: Context, retry: { attempt: number; delay: number; reason: string; error: unknown }): void;
}

/** A span that does nothing: what every span is without a tracer. */
export const noSpan: VclmSpan = { setAttributes() {}, addEvent() {}, fail() {}, end() {} };

/**
 * A short, stable name for an error: its service code, or its class's name.
 *
 * @example
 * ```ts
 * const type = errorType(new TypeError("no")); // "TypeError"
 * ```
 */
export const errorType = (error: unknown): string =>
  (error as { code?: unknown })?.code && typeof (error as { code?: unknown }).code === "string"
    ? (error as { code: string }).code
    : error instanceof Error
      ? error.name
      : typeof error;

/**
 * An error's message with what must not leave in a log line taken out (URL queries, signatures, tokens).
 *
 * @example
 * ```ts
 * const text = errorMessage(new Error("could not read https://cos.example/v.mp4?sign=abc")); // "... v.mp4?…"
 * ```
 */
export const errorMessage = (error: unknown): string => scrub(error instanceof Error ? error.message : String(error));

// The tracer's own span behind each scrubbing one: what the tracer is given as a child's `parent`.
const tracers = new WeakMap<VclmSpan, VclmSpan>();

/**
 * A hook's call that cannot throw: a tracer, logger or meter that fails must never fail the call it
 * watches (a Submit that succeeded, reported as failed, would be sent again and paid twice).
 */
const safely =
  <A extends unknown[]>(hook: (...args: A) => void) =>
  (...args: A): void => {
    try {
      hook(...args);
    } catch {
      // The watching failed; the work it watched goes on.
    }
  };

/** A span whose every text is scrubbed on its way in (attributes, events, failures), and that never throws. */
function scrubbing(span: VclmSpan): VclmSpan {
  const clean: VclmSpan = {
    setAttributes: safely((attributes) => span.setAttributes(scrubbed(attributes))),
    addEvent: safely((name, attributes) => span.addEvent(scrub(name), attributes && scrubbed(attributes))),
    fail: safely((type, message) => span.fail(scrub(type), scrub(message))),
    end: safely(() => span.end()),
    ...(span.inject && { inject: safely((headers: Record<string, string>) => span.inject?.(headers)) }),
  };
  tracers.set(clean, span);
  return clean;
}

/** Where a call keeps its span in `context.state`. */
export const CALL_SPAN = "vclm.observe.span";

/**
 * The {@link Observer} of a tracer, a logger and a meter (any may be missing). `observe` makes one
 * for a client; the relay makes its own.
 *
 * @example
 * ```ts
 * const observer = makeObserver({ logger: console });
 * observer.log("warn", { msg: "Redis is away", event: "vclm.relay" });
 * ```
 */
export function makeObserver({ tracer, logger, meter }: ObserveOptions): Observer {
  const observer: Observer = {
    logging: logger !== undefined,
    span(name, { parent, attributes, ...options } = {}) {
      if (!tracer) return noSpan;
      try {
        const span = tracer.startSpan(name, {
          ...options,
          parent: parent && (tracers.get(parent) ?? parent),
          attributes: attributes && scrubbed(attributes),
        });
        return scrubbing(span);
      } catch {
        return noSpan; // a tracer that throws traces nothing, and fails nothing
      }
    },
    log: safely((level, event) => {
      if (!logger) return;
      const clean: Record<string, string | number | boolean> = {};
      for (const [key, value] of Object.entries(event))
        if (value !== undefined) clean[key] = typeof value === "string" ? scrub(value) : value;
      logger[level](clean as VclmLogEvent);
    }),
    count: safely((name, attributes, value = 1) => meter?.add(name, value, attributes && scrubbed(attributes))),
    record: safely((name, value, attributes) => meter?.record(name, value, attributes && scrubbed(attributes))),
    gauge: safely((name, value, attributes) => meter?.gauge(name, value, attributes && scrubbed(attributes))),
    job(JobId, name, parent) {
      const span = observer.span(name, { parent, attributes: { "vclm.job_id": JobId } });
      const started = Date.now();
      let over = false; // once ended (a cancelled job's late answer), nothing more is said of it
      return {
        span,
        status(status, code) {
          if (over) return;
          span.addEvent(status, code ? { "vclm.error_code": code } : undefined);
          if (status === "FAIL") span.fail(code || "FAIL", `the job failed${code ? `: ${code}` : ""}`);
          span.setAttributes({ "vclm.job.status": status });
          observer.log(status === "FAIL" ? "warn" : "info", {
            msg: `job ${JobId}: ${status}${code ? ` (${code})` : ""} after ${Math.round((Date.now() - started) / 1000)} s`,
            event: "vclm.job",
            jobId: JobId,
            status,
            code,
          });
        },
        end(error) {
          if (over) return;
          over = true;
          if (error !== undefined) span.fail(errorType(error), errorMessage(error));
          span.end();
        },
      };
    },
    retried(context, { attempt, delay, reason, error }) {
      const { action } = context.operation;
      const type = errorType(error);
      (context.state[CALL_SPAN] as VclmSpan | undefined)?.addEvent("vclm.retry", {
        "vclm.attempt": attempt,
        "vclm.retry.delay_ms": Math.round(delay),
        "vclm.retry.reason": reason,
        "error.type": type,
      });
      observer.log("info", {
        msg: `${action}: attempt ${attempt} failed (${type}), trying again in ${(delay / 1000).toFixed(1)} s (${reason})`,
        event: "vclm.retry",
        action,
        attempt,
        delayMs: Math.round(delay),
        reason,
        code: type,
        error: errorMessage(error),
      });
      observer.count("vclm.retries", { "vclm.action": action, "vclm.retry.reason": reason });
    },
  };
  return observer;
}
