// A tracked job cancelled while its Describe is in flight (from the issue-25 review): the cancel
// ends its vclm.track span; the late answer must neither end it again nor add a status after its end.
import { observe, SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { makeJpeg } from "@vclm/tools/photos";
import { type RecordedSpan, recordingTracer } from "@vclm/tools/recording";
import { afterAll, beforeAll, expect, it } from "vitest";
import { JobTracker } from "./index.js";

const ACCOUNT = { secretId: "AKIDreviewTracker0000000000000000", secretKey: "review-tracker-key-000000000000000" };
let emulator: RunningEmulator;
beforeAll(async () => {
  // Jobs done at once: the first Describe answers DONE.
  emulator = await startEmulator({ accounts: [ACCOUNT], schedule: { waitMs: 0, runMs: 0 } });
});
afterAll(() => emulator.close());

it("a vclm.track span is ended once, and nothing is added to it after its end, when its job is cancelled mid-check", async () => {
  const recording = recordingTracer();
  const ends: Record<string, number> = {};
  const late: string[] = [];
  const tracer = {
    startSpan(name: string, options: Parameters<typeof recording.tracer.startSpan>[1]) {
      const span = recording.tracer.startSpan(name, options);
      const record = recording.spans.at(-1) as RecordedSpan; // the record of the span just started
      const id = record.spanId;
      return {
        ...span,
        addEvent: (event: string, attributes?: Record<string, string | number | boolean | undefined>) => {
          if (record.ended) late.push(`${name} event ${event} after end`);
          span.addEvent(event, attributes);
        },
        end: () => {
          ends[`${name} ${id}`] = (ends[`${name} ${id}`] ?? 0) + 1;
          span.end();
        },
      };
    },
  };
  const client = new VclmClient({ region: "ap-singapore", endpoint: emulator.url, credentials: ACCOUNT });
  const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", photo: makeJpeg(720, 1280) });
  client.use(observe({ tracer }));
  emulator.emulator.scenarios.latency(1_000, { actions: ["DescribeImageAnimateJob"] }); // the check is in flight when the user cancels
  const tracker = new JobTracker(client);
  const stop = new AbortController();
  const tracked = tracker.track(JobId, { signal: stop.signal });
  // Cancelled once its Describe is on its way (its span started, not ended).
  const inFlight = () => recording.spans.some((span) => span.name === "vclm.DescribeImageAnimateJob" && !span.ended);
  const poll = setInterval(() => {
    if (!inFlight()) return;
    clearInterval(poll);
    stop.abort(new Error("the user cancelled"));
  }, 5);
  await expect(tracked).rejects.toThrow("the user cancelled");
  expect(inFlight()).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 1_500)); // the Describe answers meanwhile
  const track = Object.entries(ends).filter(([name]) => name.startsWith("vclm.track"));
  expect({ ends: track.map(([, count]) => count), late }).toEqual({ ends: [1], late: [] });
});
