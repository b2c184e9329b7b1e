import type { Emulator } from "../emulator.js";
import { statusOf } from "../jobs/store.js";

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { "Content-Type": "application/json" } });

/**
 * The admin API under /_emulator/, for tests in another process (or another language):
 * - `GET /_emulator/clock`, `POST /_emulator/clock` `{ advanceMs }` or `{ nowMs }`
 * - `POST /_emulator/scenarios/{fail-next-job|fail-photo|latency|server-error|drop-connection|lose-answer|reset}`
 * - `GET /_emulator/jobs`: every job, with its account and status now
 *
 * POSTs must be `Content-Type: application/json`: a web page can send a `text/plain` POST to any
 * address without asking (no CORS preflight), but not a JSON one, so no page a developer visits can
 * move the clock or arm a fault. The emulator routes here only requests to a loopback host or one in
 * `allowedHosts` (a DNS-rebinding page names its own). `--no-admin` (`admin: false`) turns the API
 * off altogether.
 */
export async function adminRoute(emulator: Pick<Emulator, "clock" | "scenarios" | "jobs">, request: Request, url: URL): Promise<Response> {
  const path = url.pathname.slice("/_emulator/".length);
  if (request.method === "POST" && !/^application\/json\b/i.test(request.headers.get("content-type") ?? ""))
    return json({ error: "admin POSTs must be Content-Type: application/json" }, 415);
  const body = request.method === "POST" ? ((await request.json().catch(() => ({}))) as Record<string, unknown>) : {};
  const { scenarios, clock } = emulator;
  const spec = { count: body.count as number | undefined, actions: body.actions as string[] | undefined };
  switch (`${request.method} ${path}`) {
    case "GET clock":
      return json({ now: clock.now() });
    case "POST clock":
      if (typeof body.advanceMs === "number") clock.advance(body.advanceMs);
      if (typeof body.nowMs === "number") clock.set(body.nowMs);
      return json({ now: clock.now() });
    case "POST scenarios/fail-next-job":
      scenarios.failNextJob({ code: String(body.code ?? "FailedOperation.DriverFailed"), message: body.message as string | undefined });
      return json({ ok: true });
    case "POST scenarios/fail-photo":
      if (typeof body.photo !== "string" || typeof body.code !== "string")
        return json({ error: "give photo (ImageUrl or SHA-256 hex of ImageBase64) and code" }, 400);
      scenarios.failPhoto(body.photo, { code: body.code, message: body.message as string | undefined });
      return json({ ok: true });
    case "POST scenarios/latency":
      scenarios.latency(Number(body.ms ?? 0), { actions: spec.actions });
      return json({ ok: true });
    case "POST scenarios/server-error":
      scenarios.serverError(Number(body.status ?? 503), spec);
      return json({ ok: true });
    case "POST scenarios/drop-connection":
      scenarios.dropConnection(spec);
      return json({ ok: true });
    case "POST scenarios/lose-answer":
      scenarios.loseAnswer(spec);
      return json({ ok: true });
    case "POST scenarios/chaos":
      scenarios.chaos({
        rate: Number(body.rate ?? 0),
        kinds: body.kinds as never,
        actions: spec.actions,
        seed: body.seed as number | undefined,
      });
      return json({ ok: true });
    case "POST scenarios/reset":
      scenarios.reset();
      return json({ ok: true });
    case "GET jobs": {
      const now = clock.now();
      return json(
        [...emulator.jobs.all()].map((job) => ({
          JobId: job.id,
          AccountId: job.accountId,
          TemplateId: job.templateId,
          Photo: job.photo,
          Status: statusOf(job, now),
        })),
      );
    }
    default:
      return json({ error: `no admin route ${request.method} /_emulator/${path}` }, 404);
  }
}
