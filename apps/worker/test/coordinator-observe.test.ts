// The coordinator watched by `observe`, in workerd (miniflare): a Durable Object whose client has a
// recording tracer, logger and meter (@vclm/tools/recording, bundled into the Worker), its alarms
// set and run by workerd itself, against the emulator on loopback. Each alarm is a span whose
// children are its Submits and Describes; a log line per alarm and per problem; nothing secret.
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import type { RecordedSpan } from "@vclm/tools/recording";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleForWorkerd } from "./bundle.js";

const PHOTO_LINK_SECRET = "coordinator-observe-photo-link-secret-0000";

// A Durable Object around @vclm/workers' Coordinator, as apps/worker's, whose client is observed
// by recorders; GET /seen answers what they recorded.
const entry = `
  import { observe, VclmClient } from "@vclm/core";
  import { Coordinator } from "@vclm/workers";
  import { recordingLogger, recordingMeter, recordingTracer } from "@vclm/tools/recording";

  export class CoordinatorObject {
    constructor(state, env) {
      this.recording = recordingTracer();
      this.logged = recordingLogger();
      this.gauges = [];
      const { meter } = recordingMeter();
      const client = new VclmClient({
        region: "ap-singapore",
        credentials: { secretId: env.SECRET_ID, secretKey: env.SECRET_KEY },
        endpoint: env.VCLM_ENDPOINT,
        timeout: 10_000,
      }).use(observe({
        tracer: this.recording.tracer,
        logger: this.logged.logger,
        meter: { ...meter, gauge: (name, value) => this.gauges.push({ name, value }) },
      }));
      this.coordinator = new Coordinator(state.storage, env, client);
    }
    async fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === "/enqueue") {
        await this.coordinator.enqueue(await request.json());
        return Response.json({ ok: true });
      }
      if (url.pathname === "/state") return Response.json(await this.coordinator.state(url.searchParams.get("id"), "alice") ?? null);
      return Response.json({ spans: this.recording.spans, lines: this.logged.lines, gauges: this.gauges });
    }
    alarm() {
      return this.coordinator.alarm();
    }
  }
  export default {
    fetch: (request, env) => env.COORDINATOR.get(env.COORDINATOR.idFromName("account")).fetch(request),
  };`;

interface Seen {
  spans: RecordedSpan[];
  lines: { level: string; event: string; msg: string; [field: string]: unknown }[];
  gauges: { name: string; value: number }[];
}

let emulator: RunningEmulator;
let mf: Miniflare;

beforeAll(async () => {
  emulator = await startEmulator({ schedule: { waitMs: 1_000, runMs: 2_000 } });
  const script = await bundleForWorkerd(entry);
  mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2026-07-01",
    cf: false, // nothing leaves this machine
    durableObjects: { COORDINATOR: "CoordinatorObject" },
    r2Buckets: ["BUCKET"],
    bindings: { SECRET_ID: DEMO_ACCOUNT.secretId, SECRET_KEY: DEMO_ACCOUNT.secretKey, VCLM_ENDPOINT: emulator.url, PHOTO_LINK_SECRET },
  });
  await mf.ready;
}, 60_000);
afterAll(async () => {
  await mf?.dispose();
  await emulator?.close();
});

const submission = (id: string) => ({ id, owner: "alice", photo: `photos/${id}`, template: "ke3", origin: "https://animate.example.com" });
const state = async (id: string) =>
  (await (await mf.dispatchFetch(`https://coordinator/state?id=${id}`)).json()) as { state: string; JobId?: string };

describe("the coordinator with observe, in workerd", () => {
  it("makes a span per alarm whose children are its Submits and Describes, a debug line per alarm, a warning per problem", async () => {
    emulator.emulator.scenarios.failNextJob({ code: "FailedOperation.ImageDetectFaceFailed", message: "no face" });
    await mf.dispatchFetch("https://coordinator/enqueue", { method: "POST", body: JSON.stringify([submission("a"), submission("b")]) });
    // workerd runs the alarms: no request of ours drives the jobs. Looked at until both ended and
    // the alarm that stored the last is over (no alarm follows: nothing is left to do).
    const deadline = Date.now() + 30_000;
    let ended: { state: string; JobId?: string }[] = [];
    let seen: Seen = { spans: [], lines: [], gauges: [] };
    while (Date.now() < deadline) {
      ended = await Promise.all(["a", "b"].map(state));
      seen = (await (await mf.dispatchFetch("https://coordinator/seen")).json()) as Seen;
      const over = ended.every((job) => job.state === "DONE" || job.state === "FAIL") && seen.spans.every((span) => span.ended);
      if (over) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(ended.map((job) => job.state)).toEqual(["FAIL", "DONE"]);
    const [failed, done] = ended.map((job) => job.JobId as string);

    const alarms = seen.spans.filter((span) => span.name === "vclm.coordinator.alarm");
    expect(alarms.length).toBeGreaterThanOrEqual(2);
    expect(alarms.every((alarm) => alarm.ended && alarm.kind === "internal" && !alarm.parentId && !alarm.error)).toBe(true);
    const children = (alarm: RecordedSpan) => seen.spans.filter((span) => span.parentId === alarm.spanId && span.traceId === alarm.traceId);
    // Every call is a child of an alarm.
    const calls = seen.spans.filter((span) => span.name.startsWith("vclm.") && span.kind === "client");
    expect(calls.every((call) => alarms.some((alarm) => call.parentId === alarm.spanId && call.traceId === alarm.traceId))).toBe(true);

    // The first alarm admitted both: its children are the two Submits, and it says so.
    const [first] = alarms as [RecordedSpan];
    expect(
      children(first).map((span) => [span.name, span.attributes["vclm.job_id"], span.attributes["http.response.status_code"]]),
    ).toEqual([
      ["vclm.SubmitImageAnimateJob", failed, 200],
      ["vclm.SubmitImageAnimateJob", done, 200],
    ]);
    expect(first.attributes).toMatchObject({ "vclm.coordinator.admitted": 2, "vclm.coordinator.running": 2, "vclm.slots.in_use": 2 });
    expect(first.events.filter((event) => event.name === "submitted").map((event) => event.attributes["vclm.job_id"])).toEqual([
      failed,
      done,
    ]);

    // The alarm that saw the video done: its Describe of that job answered DONE, its event says so.
    const finishing = alarms.find((alarm) => alarm.events.some((event) => event.name === "DONE")) as RecordedSpan;
    expect(finishing.events.find((event) => event.name === "DONE")?.attributes).toEqual({ "vclm.submission": "b", "vclm.job_id": done });
    expect(finishing.attributes["vclm.coordinator.finished"]).toBeGreaterThanOrEqual(1);
    expect(
      children(finishing).some(
        (span) =>
          span.name === "vclm.DescribeImageAnimateJob" &&
          span.attributes["vclm.job_id"] === done &&
          span.attributes["vclm.job.status"] === "DONE",
      ),
    ).toBe(true);
    const checked = alarms.reduce((sum, alarm) => sum + Number(alarm.attributes["vclm.coordinator.checked"]), 0);
    expect(checked).toBe(seen.spans.filter((span) => span.name === "vclm.DescribeImageAnimateJob").length);
    expect(checked).toBeGreaterThanOrEqual(2);

    // The FAIL: an event of its alarm with its code, and a warning.
    const failing = alarms.find((alarm) => alarm.events.some((event) => event.name === "FAIL"));
    expect(failing?.events.find((event) => event.name === "FAIL")?.attributes).toEqual({
      "vclm.submission": "a",
      "vclm.job_id": failed,
      "vclm.error_code": "FailedOperation.ImageDetectFaceFailed",
    });
    expect(seen.lines.filter((line) => line.event === "vclm.coordinator" && line.level === "warn")).toEqual([
      expect.objectContaining({ msg: `job ${failed} (submission a): FAIL (FailedOperation.ImageDetectFaceFailed): no face`, id: "a" }),
    ]);
    // A debug line per alarm, and the slots in use after each (none once both ended).
    const perAlarm = seen.lines.filter((line) => line.event === "vclm.coordinator" && line.level === "debug");
    expect(perAlarm).toHaveLength(alarms.length);
    expect(perAlarm[0]).toMatchObject({
      admitted: 2,
      queued: 0,
      running: 2,
      msg: expect.stringMatching(/^alarm: admitted 2, checked \d+, finished 0; 0 queued, 2 running/),
    });
    const slots = seen.gauges.filter((gauge) => gauge.name === "vclm.slots.in_use").map((gauge) => gauge.value);
    expect(slots).toHaveLength(alarms.length);
    expect(slots.at(-1)).toBe(0);

    // No key, signature or photo link's signature in any span or line.
    const written = JSON.stringify(seen);
    for (const secret of [DEMO_ACCOUNT.secretKey, PHOTO_LINK_SECRET, "Signature=", "sig=", "expires="])
      expect(written).not.toContain(secret);
  }, 60_000);
});
