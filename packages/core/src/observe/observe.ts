import type { Plugin } from "../client.js";
import type { Middleware } from "../pipeline/stack.js";
import { classifyFailure } from "../policy/failure.js";
import { CALL_SPAN, errorMessage, errorType, makeObserver, type ObserveOptions } from "./observer.js";
import type { VclmAttributes, VclmSpan } from "./types.js";

const ATTEMPTS = "vclm.observe.attempts";
const SUBMIT = "SubmitImageAnimateJob";
const DESCRIBE = "DescribeImageAnimateJob";

/**
 * Watches a client: a span per call (`vclm.SubmitImageAnimateJob`, kind client, with the region,
 * the host, the HTTP status, `http.request.resend_count`, the RequestId, the error code and the
 * JobId), a log line per call and per retry, and counts of Submits, Describes, retries and
 * throttles; the request carries the span's trace context (`traceparent`) to a relay. The
 * client's `observer` is then found by `@vclm/poller` (a span per wait, its events the job's
 * statuses), `@vclm/batch` (a span per photo), `@vclm/retry` and `@vclm/workers`. Without it,
 * none of this is in your bundle. No key, token, signature, photo byte or signed URL query is
 * ever in a span or a log line.
 *
 * @example
 * ```ts
 * import { observe, VclmClient } from "@vclm/core";
 *
 * const client = new VclmClient({ region: "ap-singapore" }).use(observe({ logger: console }));
 * ```
 */
export function observe(options: ObserveOptions): Plugin {
  const observer = makeObserver(options);
  return (client) => {
    // Checked before anything changes: a client watched twice would report to two observers.
    if (client.state.observer)
      throw new TypeError("observe is already on this client: give one observe all of its tracer, logger and meter");
    const { region, endpoint } = client.state;
    const url = new URL(endpoint);

    const call: Middleware = async (context, next) => {
      const { action } = context.operation;
      const input = context.input as { JobId?: unknown; TemplateId?: unknown } | undefined;
      const asked = typeof input?.JobId === "string" ? input.JobId : undefined;
      const span = observer.span(`vclm.${action}`, {
        kind: "client",
        parent: context.parent,
        attributes: {
          "cloud.provider": "tencent_cloud",
          "cloud.region": region,
          "server.address": url.hostname,
          "server.port": Number(url.port) || (url.protocol === "https:" ? 443 : 80),
          "http.request.method": "POST",
          "vclm.action": action,
          "vclm.job_id": asked,
          "vclm.template_id": typeof input?.TemplateId === "string" ? input.TemplateId : undefined,
        },
      });
      context.state[CALL_SPAN] = span;
      const started = performance.now();
      let outcome = "error";
      try {
        await next();
        const { RequestId, JobId, Status } = (context.output ?? {}) as { RequestId?: string; JobId?: string; Status?: string };
        outcome = Status ?? "ok";
        const job = JobId ?? asked;
        done(
          "debug",
          () => `${action}: ${context.response?.status ?? "no HTTP"}${job ? ` JobId ${job}` : ""}${Status ? ` ${Status}` : ""}`,
          { requestId: RequestId, jobId: job, status: Status },
          { "vclm.request_id": RequestId, "vclm.job_id": JobId, "vclm.job.status": Status },
        );
      } catch (error) {
        const type = errorType(error);
        const requestId = (error as { requestId?: string }).requestId;
        outcome = type;
        const message = errorMessage(error);
        span.fail(type, message);
        // vclm's errors name their action already ("DescribeImageAnimateJob failed: ..."): not twice.
        done(
          "warn",
          () => (message.startsWith(action) ? message : `${action} failed: ${message}`),
          { requestId, code: type, jobId: asked },
          {
            "vclm.request_id": requestId,
            "error.type": type,
            "vclm.may_have_arrived": classifyFailure(error) === "may-have-arrived" || undefined,
          },
        );
        throw error;
      } finally {
        const seconds = (performance.now() - started) / 1000;
        observer.record("vclm.call.duration", seconds, { "vclm.action": action, "vclm.outcome": outcome });
        if (action === SUBMIT) observer.count("vclm.submits", { "vclm.outcome": outcome });
        if (action === DESCRIBE) observer.count("vclm.describes", { "vclm.outcome": outcome });
        span.end();
      }

      // The call's end: its span's last attributes in one go, and its log line, built only for a logger.
      function done(level: "debug" | "warn", msg: () => string, fields: Record<string, string | undefined>, attributes: VclmAttributes) {
        const attempts = (context.state[ATTEMPTS] as number | undefined) ?? 0;
        const status = context.response?.status;
        // A relay's trace context, sent back (W3C `traceresponse`): where to find its side of this call.
        const traceresponse = context.response?.headers.get("traceresponse") ?? undefined;
        span.setAttributes({
          ...attributes,
          "http.response.status_code": status,
          "http.request.resend_count": attempts > 1 ? attempts - 1 : undefined,
          "vclm.relay.traceresponse": traceresponse,
        });
        if (!observer.logging) return;
        const ms = Math.round(performance.now() - started);
        observer.log(level, {
          msg: `${msg()} in ${ms} ms${attempts > 1 ? ` (${attempts} attempts)` : ""}`,
          traceresponse,
          event: "vclm.call",
          action,
          httpStatus: status,
          ms,
          attempts,
          ...fields,
        });
      }
    };

    // Each attempt (inside @vclm/retry, after signing): counted, its trace context sent, a throttle counted.
    const attempt: Middleware = async (context, next) => {
      context.state[ATTEMPTS] = ((context.state[ATTEMPTS] as number | undefined) ?? 0) + 1;
      context.response = undefined;
      (context.state[CALL_SPAN] as VclmSpan | undefined)?.inject?.(context.request.headers);
      try {
        await next();
      } catch (error) {
        const failure = classifyFailure(error);
        if (failure === "throttled" || failure === "job-slot")
          observer.count("vclm.throttles", { "vclm.action": context.operation.action, "error.type": errorType(error) });
        throw error;
      }
    };

    client.middleware
      .add(call, { name: "observeCall", phase: "initialize", tags: ["observe"] })
      .add(attempt, { name: "observeAttempt", phase: "sign", after: "signRequest", tags: ["observe"] });
    client.state.observer = observer;
  };
}
