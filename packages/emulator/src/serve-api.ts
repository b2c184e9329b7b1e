import { type ActionContext, CHANGES_STATE, ISSUES_CREDENTIALS } from "./actions/registry.js";
import { DroppedConnection } from "./dropped.js";
import { checkRequest } from "./request-checks.js";
import type { Service } from "./service.js";
import { type Answer, envelope, serviceError } from "./wire/envelope.js";

/**
 * Answers one API call (`POST /`): first the fault a scenario armed for its action (a 5xx page, a
 * dropped connection, throttling, latency), then the checks, then the action; the state is
 * reported changed before the answer is sent, and a lost answer is lost after the action ran.
 * Throws {@link DroppedConnection} for the scenarios that drop the connection.
 */
export async function serveApi(
  service: Service,
  request: Request,
  url: URL,
  cors: Record<string, string>,
  ip: string | undefined,
): Promise<Response> {
  const { scenarios, clock, options } = service;
  const requestId = crypto.randomUUID();
  const action = request.headers.get("x-tc-action") ?? "";
  const fault = scenarios.takeFault(action);
  if (fault?.kind === "serverError")
    return new Response("<html><body>Service Unavailable</body></html>", {
      status: fault.status,
      headers: { "Content-Type": "text/html", ...cors },
    });
  if (fault?.kind === "dropConnection") throw new DroppedConnection(false);
  if (fault?.kind === "throttle")
    return envelope(serviceError("RequestLimitExceeded", "Too many requests: slow down."), requestId, clock.now(), cors);
  const latency = scenarios.latencyFor(action);
  if (latency) await new Promise((resolve) => setTimeout(resolve, latency));

  const answer = await answerOf(service, request, url, action, ip);
  if (!answer.error && CHANGES_STATE.has(action)) options.onChange?.({ credentials: ISSUES_CREDENTIALS.has(action) });
  if (fault?.kind === "loseAnswer") throw new DroppedConnection(true);
  return envelope(answer, requestId, clock.now(), cors);
}

async function answerOf(service: Service, request: Request, url: URL, name: string, ip: string | undefined): Promise<Answer> {
  const checked = await checkRequest(service, request, name, ip);
  if (!("caller" in checked)) return checked;
  return checked.action.run(checked.params, checked.caller, actionContext(service, url, checked.now));
}

function actionContext(service: Service, url: URL, now: number): ActionContext {
  const { options, videos, credentials } = service;
  return {
    jobs: service.jobs,
    scenarios: service.scenarios,
    schedule: { waitMs: options.schedule?.waitMs ?? 3_000, runMs: options.schedule?.runMs ?? 12_000 },
    maxConcurrentJobs: options.limits?.concurrentJobs ?? 10,
    now,
    origin: options.publicUrl?.replace(/\/$/, "") ?? url.origin,
    fetchImageUrls: options.fetchImageUrls ?? false,
    fetch: globalThis.fetch,
    imageUrlTimeoutMs: options.imageUrlTimeoutMs ?? 10_000,
    keepPhoto: options.photoVideos === false ? undefined : (jobId, bytes) => videos.keepPhoto(jobId, bytes),
    issue: (fields) => credentials.issue(fields),
    videoLinks: service.videoLinks,
    oidcProviders: service.oidcProviders,
  };
}
