// The relay's observability under a hostile signed-in user (from the issue-25 review): what she can
// make the relay's logger and tracer receive. Real relay, real credentials handler, emulator on loopback.
import { DescribeImageAnimateJob } from "@vclm/core";
import type { RunningEmulator } from "@vclm/emulator/node";
import { fetchFrom } from "@vclm/tools/fetch-from";
import { recordingLogger, recordingTracer } from "@vclm/tools/recording";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Authorize, createRelay, type RelayStore } from "../src/index.js";
import { startBackend } from "./page.js";
import { signedInPage } from "./signed-in-page.js";

const BACKEND = { secretId: "AKIDreviewBackend00000000000000000", secretKey: "review-backend-permanent-key-00000" };
const authorize: Authorize = (request) =>
  request.headers.get("cookie") === "session=mallory-s3cr3t-session-cookie" ? { id: "mallory" } : undefined;
let emulator: RunningEmulator;
let store: RelayStore;
let credentials: (request: Request) => Promise<Response>;

beforeAll(async () => {
  ({ emulator, store, credentials } = await startBackend(BACKEND, authorize));
});
afterAll(() => emulator.close());

/** A relay watched by a recording tracer (which also keeps what startSpan was handed) and logger. */
function watchedRelay() {
  const recording = recordingTracer();
  const handed: string[] = [];
  const tracer = {
    startSpan(name: string, options: Parameters<typeof recording.tracer.startSpan>[1]) {
      for (const [header, value] of options.headers ?? []) handed.push(`${header}: ${value}`);
      return recording.tracer.startSpan(name, options);
    },
  };
  const { logger, lines } = recordingLogger();
  const relay = createRelay({
    authorize,
    store,
    target: emulator.url,
    signingHost: "127.0.0.1",
    fetch: fetchFrom("127.0.0.2"),
    tracer,
    logger,
  });
  return { relay, spans: recording.spans, handed, lines };
}

/** Mallory's page: a real client, signed with credentials the handler issued to her, through `relay`. */
function mallory(relay: (request: Request) => Promise<Response>) {
  return signedInPage(
    {
      cookie: "session=mallory-s3cr3t-session-cookie",
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", // her page's trace
    },
    { credentials, relay },
  );
}

describe("the relay's observability under a hostile signed-in user", () => {
  it("a JobId she writes reaches the operator's log line and span bounded, its newline escaped (no log flooding, no forged line)", async () => {
    const watched = watchedRelay();
    // 256 KiB of digits, then a forged line: the relay's body cap is 16 MiB, so it could be 64 times more.
    const JobId = `${"7".repeat(256 * 1024)}\n{"level":"info","msg":"SubmitImageAnimateJob: 200","user":"alice"}`;
    await expect(mallory(watched.relay).send(DescribeImageAnimateJob, { JobId })).rejects.toThrow(/HTTP 403/);
    const warn = watched.lines.find((line) => line.level === "warn");
    const longest = Math.max(...watched.lines.map((line) => JSON.stringify(line).length));
    const attribute = String(watched.spans.at(-1)?.attributes["vclm.relay.refusal"] ?? "");
    // A log line and a span attribute are bounded, and one line is one line.
    expect({ longestLogLine: longest, refusalAttribute: attribute.length, msgHasNewline: warn?.msg.includes("\n") }).toEqual({
      longestLogLine: expect.toSatisfy((n: number) => n < 4096),
      refusalAttribute: expect.toSatisfy((n: number) => n < 1024),
      msgHasNewline: false,
    });
  });

  it("hands the tracer only the request's trace context: never its session cookie, Authorization or X-TC-Token", async () => {
    const watched = watchedRelay();
    const client = mallory(watched.relay);
    await client.send(DescribeImageAnimateJob, { JobId: "1194931538865782784" }).catch(() => {}); // refused: not hers; any request will do
    expect(watched.handed).toContain("traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    // Only the trace context (traceparent, tracestate) is the tracer's business.
    expect(watched.handed.filter((line) => /^(cookie|authorization|x-tc-token):/i.test(line))).toEqual([]);
  });
});
