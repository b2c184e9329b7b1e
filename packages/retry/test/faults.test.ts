// The proof: 1,000 Submit + Describe sequences against the emulator over loopback, with
// injected 5xx, dropped connections, answers lost after the job was created, throttling (30% of
// calls, seeded) and a clock 10 minutes off. Every Describe must be answered, every recoverable call
// recovered, and the emulator must hold exactly one job per successful Submit, at most one per
// ambiguous one, and none for the rest: zero duplicates. The counts are written to
// .reports/retry-faults.json, an output of the test task (turbo.json), so a cached run restores it.
import { mkdirSync, writeFileSync } from "node:fs";
import { DescribeImageAnimateJob, SubmitImageAnimateJob, VclmClient, VclmNetworkError, VclmResponseError } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { startEmulator } from "@vclm/emulator/node";
import { describe, expect, it } from "vitest";
import type { RetryEvent } from "../src/options.js";
import { retry } from "../src/retry.js";

const SEQUENCES = 1000;
const CONCURRENCY = 20;

describe("retry against the emulator's faults", () => {
  it(`recovers ${SEQUENCES} Submit + Describe sequences under 30% faults and a 10-minute clock skew, with zero duplicate jobs`, async () => {
    const running = await startEmulator({ limits: { requestsPerSecond: 1_000_000, concurrentJobs: 1_000_000 } });
    try {
      running.emulator.clock.advance(10 * 60_000);
      running.emulator.scenarios.chaos({ rate: 0.3, seed: 20261127 });
      const retries: RetryEvent[] = [];
      const client = new VclmClient({ region: "ap-singapore", endpoint: running.url, credentials: DEMO_ACCOUNT, timeout: 10_000 }).use(
        retry({
          baseDelay: 2,
          throttledBaseDelay: 5,
          maxDelay: 50,
          maxAttempts: 12,
          budget: false,
          onRetry: (event) => retries.push(event),
        }),
      );

      const outcomes: { photo: string; jobId?: string; submit: "ok" | "ambiguous" | "failed"; describe?: "ok" | "failed" }[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < SEQUENCES) {
            const photo = `https://example.com/faults/${next++}.jpg`;
            const outcome: (typeof outcomes)[number] = { photo, submit: "failed" };
            outcomes.push(outcome);
            try {
              outcome.jobId = (await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: photo })).JobId;
              outcome.submit = "ok";
            } catch (error) {
              // A dropped connection or a 5xx after the request went out: the job may or may not exist.
              outcome.submit =
                error instanceof VclmNetworkError || (error instanceof VclmResponseError && error.status >= 500) ? "ambiguous" : "failed";
              continue;
            }
            try {
              await client.send(DescribeImageAnimateJob, { JobId: outcome.jobId });
              outcome.describe = "ok";
            } catch {
              outcome.describe = "failed";
            }
          }
        }),
      );
      running.emulator.scenarios.reset();

      const jobsByPhoto = new Map<string, string[]>();
      for (const job of running.emulator.jobs.all()) jobsByPhoto.set(job.photo, [...(jobsByPhoto.get(job.photo) ?? []), job.id]);
      const count = (submit: string) => outcomes.filter((o) => o.submit === submit);
      const ambiguousWithJob = count("ambiguous").filter((o) => jobsByPhoto.has(o.photo)).length;
      const report = {
        sequences: SEQUENCES,
        submitsSucceeded: count("ok").length,
        submitsAmbiguous: count("ambiguous").length,
        ambiguousThatCreatedAJob: ambiguousWithJob,
        submitsFailedOtherwise: count("failed").length,
        describesAnswered: outcomes.filter((o) => o.describe === "ok").length,
        describesFailed: outcomes.filter((o) => o.describe === "failed").length,
        retries: retries.length,
        retriesByReason: Object.fromEntries(
          ["transient", "throttled", "clock-skew"].map((r) => [r, retries.filter((e) => e.reason === r).length]),
        ),
        jobsInEmulator: running.emulator.jobs.size,
        photosWithMoreThanOneJob: [...jobsByPhoto.values()].filter((ids) => ids.length > 1).length,
        clockOffsetLearned: client.state.clockOffset,
      };
      mkdirSync(new URL("../.reports/", import.meta.url), { recursive: true });
      writeFileSync(new URL("../.reports/retry-faults.json", import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
      console.log(report);

      expect(report.photosWithMoreThanOneJob).toBe(0); // zero duplicates
      expect(report.submitsFailedOtherwise).toBe(0); // throttling and skew always recovered
      expect(report.describesFailed).toBe(0); // every Describe answered
      expect(report.describesAnswered).toBe(report.submitsSucceeded);
      for (const o of count("ok")) expect(jobsByPhoto.get(o.photo)).toEqual([o.jobId]); // one job, the one returned
      expect(report.jobsInEmulator).toBe(report.submitsSucceeded + ambiguousWithJob);
      expect(report.retriesByReason.throttled).toBeGreaterThan(0);
      expect(report.retriesByReason["clock-skew"]).toBeGreaterThan(0);
      expect(Math.abs(report.clockOffsetLearned - 600)).toBeLessThanOrEqual(1);
    } finally {
      await running.close();
    }
  }, 180_000);
});
