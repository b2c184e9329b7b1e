import { makeObserver, type VclmAttributes, type VclmLogger, type VclmSpan, type VclmTracer } from "@vclm/core";
import type { RelayRequestInfo } from "./client-address.js";
import { refusalOf } from "./refuse.js";

/**
 * How a relay or a credentials handler is watched: a server span per request (continuing the
 * page's W3C `traceparent`, its id sent back in `traceresponse`) and a log line per refusal
 * (warn) and per request it answers (debug). Without a tracer or a logger, nothing is done.
 *
 * @example
 * ```ts
 * declare const tracer: VclmTracer; // otelTracer() from @vclm/otel, say
 * const options: RelayObserveOptions = { tracer, logger: console };
 * const relay = createRelay({ authorize: anyoneMaySpendMyMoney(), store: memoryStore(), ...options });
 * ```
 */
export interface RelayObserveOptions {
  /** A span per request (kind server), each a child of the page's span when its request has a `traceparent`. */
  readonly tracer?: VclmTracer | undefined;
  /** A log line per refusal (warn) and per request answered (debug); `console` is one. */
  readonly logger?: VclmLogger | undefined;
  /**
   * Put the user's id (what `authorize` answered) in each span (`enduser.id`) and log line
   * (`user`). It is personal data (an email, a client address with `anyoneMaySpendMyMoney`), so it
   * is left out unless you say so. @default false
   */
  readonly recordUser?: boolean | undefined;
}

/** What only the handler knows of a request it answers, told to its span and log line. */
export interface Seen {
  /** The request's span: `inject` writes its trace context into the request forwarded. */
  readonly span: VclmSpan;
  /** Who the request is from. */
  user(id: string): void;
  /** More attributes of the request (a JobId that checked out, how long credentials live). */
  note(attributes: VclmAttributes): void;
  /** The service's answer to the request forwarded: its status, RequestId, error code and JobId. */
  answered(status: number, text: string): void;
}

type Handler = (request: Request, info?: RelayRequestInfo) => Promise<Response>;

/** The service's answer's RequestId, error code and JobId, if it is one of its JSON answers. */
function readAnswer(text: string): VclmAttributes {
  try {
    const { RequestId, JobId, Error: error } = (JSON.parse(text) as { Response?: Record<string, unknown> }).Response ?? {};
    const code = (error as { Code?: unknown } | undefined)?.Code;
    const string = (value: unknown) => (typeof value === "string" ? value : undefined);
    return { "vclm.request_id": string(RequestId), "vclm.error_code": string(code), "vclm.job_id": string(JobId) };
  } catch {
    return {};
  }
}

/** Only the W3C trace context of a request's headers: the tracer never sees its cookie, Authorization or token. */
function traceContextOf(headers: Headers): Headers {
  const context = new Headers();
  for (const name of ["traceparent", "tracestate"]) {
    const value = headers.get(name);
    if (value !== null) context.set(name, value);
  }
  return context;
}

/**
 * `handle` watched as {@link RelayObserveOptions} say: its span (named by `name`), its attributes
 * (the action, the status, the refusal, the service's answer), `traceresponse` on its answer and a
 * log line (`event`). Without a tracer or a logger, `handle` itself.
 */
export function observed(
  { tracer, logger, recordUser = false }: RelayObserveOptions,
  event: string,
  name: (request: Request) => { name: string; action?: string | undefined },
  handle: (request: Request, info: RelayRequestInfo, seen: Seen | undefined) => Promise<Response>,
): Handler {
  if (!tracer && !logger) return (request, info = {}) => handle(request, info, undefined);
  const observer = makeObserver({ tracer, logger });
  return async (request, info = {}) => {
    const started = performance.now();
    const { name: spanName, action } = name(request);
    const span = observer.span(spanName, {
      kind: "server",
      headers: traceContextOf(request.headers),
      attributes: { "http.request.method": request.method, "vclm.action": action },
    });
    const attributes: VclmAttributes = {};
    let user: string | undefined;
    const seen: Seen = {
      span,
      user(id) {
        if (!recordUser) return;
        user = id;
        span.setAttributes({ "enduser.id": id });
      },
      note(more) {
        for (const [key, value] of Object.entries(more)) if (value !== undefined) attributes[key] = value;
        span.setAttributes(more);
      },
      answered(status, text) {
        seen.note({ "vclm.upstream.status_code": status, ...readAnswer(text) });
      },
    };
    const fields = () => ({
      event,
      action,
      user,
      ms: Math.round(performance.now() - started),
      upstreamStatus: attributes["vclm.upstream.status_code"] as number | undefined,
      requestId: attributes["vclm.request_id"] as string | undefined,
      code: attributes["vclm.error_code"] as string | undefined,
      jobId: attributes["vclm.job_id"] as string | undefined,
    });
    const what = action ?? spanName;
    try {
      const answer = await handle(request, info, seen);
      const { status } = answer;
      const refusal = refusalOf(answer);
      span.setAttributes({ "http.response.status_code": status, "vclm.relay.refusal": refusal });
      // An HTTP server's span fails for a 5xx only: a 4xx is the client's (OpenTelemetry's conventions).
      if (status >= 500) span.fail(String(status), refusal ?? `the service answered ${status}`);
      if (refusal) observer.log("warn", { msg: `${what}: refused, ${status}: ${refusal}`, status, reason: refusal, ...fields() });
      else {
        const { upstreamStatus, requestId } = fields();
        const upstream =
          upstreamStatus === undefined ? "" : `, the service answered ${upstreamStatus}${requestId ? ` (RequestId ${requestId})` : ""}`;
        observer.log("debug", { msg: `${what}: ${status}${upstream} in ${fields().ms} ms`, status, ...fields() });
      }
      // W3C Trace Context Level 2: the page learns the relay's span (00-<trace-id>-<span-id>-<flags>).
      const context: Record<string, string> = {};
      span.inject?.(context);
      if (context.traceparent) answer.headers.set("traceresponse", context.traceparent);
      return answer;
    } catch (error) {
      const type = error instanceof Error ? error.name : typeof error;
      const message = error instanceof Error ? error.message : String(error);
      span.fail(type, message);
      observer.log("error", { msg: `${what}: failed: ${message}`, error: message, ...fields(), code: type });
      throw error;
    } finally {
      span.end();
    }
  };
}
