import { DescribeImageAnimateJob, SubmitImageAnimateJob, systemClock, VclmClient, VclmNetworkError, VclmTimeoutError } from "@vclm/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RetryEvent, RetryOptions } from "./options.js";
import { retry } from "./retry.js";

const ok = (output: object) => ({ status: 200, body: JSON.stringify({ Response: { ...output, RequestId: "r" } }) });
const fault = (Code: string) => ({ status: 200, body: JSON.stringify({ Response: { Error: { Code, Message: Code }, RequestId: "r" } }) });
const http = (status: number) => ({ status, body: "<html>gateway</html>" });
type Step = { status: number; body: string; date?: string } | Error;

const RUN = { Status: "RUN", ErrorCode: "", ErrorMessage: "", ResultVideoUrl: "" };
const JOB = { JobId: "1194931538865782784" };

/** A client whose transport answers from a script, one step per attempt; the rest of the pipeline is real. */
function scripted(steps: Step[], options: RetryOptions = {}) {
  const events: RetryEvent[] = [];
  const client = new VclmClient({ region: "ap-singapore", credentials: { secretId: "AKID", secretKey: "k" } }).use(
    retry({ clock: { ...systemClock, random: () => 0.5 }, ...options, onRetry: (event) => events.push(event) }),
  );
  let attempts = 0;
  client.middleware.replace("fetchTransport", async (context, next) => {
    const step = steps[Math.min(attempts++, steps.length - 1)] as Step;
    if (step instanceof Error) throw step;
    context.response = { status: step.status, headers: new Headers(step.date ? { date: step.date } : {}), body: step.body };
    await next();
  });
  return { client, events, attempts: () => attempts };
}

const dropped = () => new VclmNetworkError("https://x/", "A", Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
const refused = () =>
  new VclmNetworkError(
    "https://x/",
    "A",
    new TypeError("fetch failed", { cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }) }),
  );

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** Runs a call to the end, moving fake time as it waits. */
async function settle<T>(promise: Promise<T>): Promise<T> {
  const settled = promise.then(
    (value) => ({ value }),
    (error) => ({ error }),
  );
  for (let i = 0; i < 50; i++) await vi.advanceTimersByTimeAsync(30_000);
  const result = await settled;
  if ("error" in result) throw result.error;
  return result.value;
}

describe("retry: Describe (idempotent)", () => {
  it("recovers from 5xx, dropped connections, timeouts, InternalError and throttling", async () => {
    const { client, events, attempts } = scripted(
      [
        http(503),
        dropped(),
        new VclmTimeoutError("DescribeImageAnimateJob", 5),
        fault("InternalError"),
        fault("RequestLimitExceeded"),
        ok(RUN),
      ],
      { maxAttempts: 6 },
    );
    expect((await settle(client.send(DescribeImageAnimateJob, JOB))).Status).toBe("RUN");
    expect(attempts()).toBe(6);
    expect(events.map((e) => e.reason)).toEqual(["transient", "transient", "transient", "transient", "throttled"]);
  });

  it("waits with exponential backoff and jitter, longer after throttling, capped", async () => {
    const { client, events } = scripted([http(503), http(503), http(503), fault("RequestLimitExceeded"), ok(RUN)], {
      maxAttempts: 5,
      maxDelay: 350,
    });
    await settle(client.send(DescribeImageAnimateJob, JOB));
    // Full jitter, random 0.5 -> half of each step's ceiling: 100, 200, 400 (capped 350), then throttled 1,000 * 2^3 (capped 350)
    expect(events.map((e) => e.delay)).toEqual([50, 100, 175, 175]);
  });

  it("does not retry what retrying cannot fix", async () => {
    const { client, attempts } = scripted([fault("FailedOperation.JobNotFound")]);
    const error = await settle(client.send(DescribeImageAnimateJob, JOB)).catch((e) => e);
    expect(error.code).toBe("FailedOperation.JobNotFound");
    expect(error.attempts).toBe(1);
    expect(attempts()).toBe(1);
  });

  it("gives up after maxAttempts, saying so, with the attempts on the error", async () => {
    const { client, attempts } = scripted([http(502)], { maxAttempts: 3 });
    const error = await settle(client.send(DescribeImageAnimateJob, JOB)).catch((e) => e);
    expect(attempts()).toBe(3);
    expect(error.attempts).toBe(3);
    expect(error.message).toContain("gave up after 3 attempts: no attempts left");
  });

  it("never waits past the deadline", async () => {
    const { client, attempts } = scripted([fault("RequestLimitExceeded")], { maxAttempts: 10, deadline: 2_500 });
    const error = await settle(client.send(DescribeImageAnimateJob, JOB)).catch((e) => e);
    expect(error.message).toContain("the deadline would pass");
    expect(attempts()).toBe(3); // waits 500 ms and 1,000 ms (1,500 ms in all); the next, 2,000 ms, would end past 2,500 ms
  });

  it("stops at once when aborted mid-wait, rejecting with the signal's reason", async () => {
    const { client, attempts } = scripted([http(503)], { maxAttempts: 5, baseDelay: 10_000 });
    const controller = new AbortController();
    const call = client.send(DescribeImageAnimateJob, JOB, { signal: controller.signal }).catch((e) => e);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    const error = await call;
    expect(error.name).toBe("AbortError");
    expect(attempts()).toBe(1);
    expect(vi.getTimerCount()).toBe(0); // no wait left behind
  });
});

describe("retry: Submit (not idempotent: never pay twice)", () => {
  const input = { TemplateId: "ke3" as const, ImageUrl: "https://example.com/a.jpg" };

  it.each([
    ["a timeout", new VclmTimeoutError("SubmitImageAnimateJob", 5)],
    ["a dropped connection", dropped()],
    ["a 502 from the gateway", http(502)],
    ["InternalError", fault("InternalError")],
    ["JobNumExceed, unless asked to wait for a slot", fault("RequestLimitExceeded.JobNumExceed")],
  ])("does not retry after %s: the job may exist", async (_, step) => {
    const { client, attempts } = scripted([step as Step, ok(JOB)]);
    await expect(settle(client.send(SubmitImageAnimateJob, input))).rejects.toBeDefined();
    expect(attempts()).toBe(1);
  });

  it.each([
    ["throttling", fault("RequestLimitExceeded.UinLimitExceeded")],
    ["a full queue", fault("FailedOperation.JobQueueFull")],
    ["a refused connection (never sent)", refused()],
  ])("retries after %s: nothing was created", async (_, step) => {
    const { client, attempts } = scripted([step as Step, ok(JOB)]);
    expect((await settle(client.send(SubmitImageAnimateJob, input))).JobId).toBe(JOB.JobId);
    expect(attempts()).toBe(2);
  });

  it("waits for a job slot when asked", async () => {
    const { client, events } = scripted([fault("RequestLimitExceeded.JobNumExceed"), ok(JOB)], { waitForJobSlot: true });
    await settle(client.send(SubmitImageAnimateJob, input));
    expect(events[0]?.reason).toBe("job-slot");
  });

  it("retries an ambiguous failure only when told, knowing it may pay twice", async () => {
    const { client, attempts } = scripted([dropped(), ok(JOB)], { retryAmbiguousSubmits: true });
    await settle(client.send(SubmitImageAnimateJob, input));
    expect(attempts()).toBe(2);
  });
});

describe("retry: clock skew", () => {
  it("takes the offset from the answer's Date header, keeps it for the client, and retries once at once", async () => {
    const serverTime = new Date(Date.now() + 600_000).toUTCString();
    const { client, events, attempts } = scripted([{ ...fault("AuthFailure.SignatureExpire"), date: serverTime }, ok(RUN)]);
    await settle(client.send(DescribeImageAnimateJob, JOB));
    expect(attempts()).toBe(2);
    expect(events).toMatchObject([{ reason: "clock-skew", delay: 0 }]);
    expect(Math.abs(client.state.clockOffset - 600)).toBeLessThanOrEqual(1);
  });

  it("does not loop when the skew persists", async () => {
    const serverTime = new Date(Date.now() + 600_000).toUTCString();
    const { client, attempts } = scripted([{ ...fault("AuthFailure.SignatureExpire"), date: serverTime }]);
    const error = await settle(client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://e/a.jpg" })).catch((e) => e);
    expect(attempts()).toBe(2);
    expect(error.message).toContain("the clock skew could not be corrected");
  });
});

describe("retry: the client's budget", () => {
  it("is shared by the client's calls: once spent, failures are not retried until successes refill it", async () => {
    const { client, attempts } = scripted([http(503)], { budget: { capacity: 10, retryCost: 5 }, maxAttempts: 10 });
    await settle(client.send(DescribeImageAnimateJob, JOB)).catch(() => {});
    expect(attempts()).toBe(3); // two retries spend the 10 tokens
    const error = await settle(client.send(DescribeImageAnimateJob, JOB)).catch((e) => e);
    expect(attempts()).toBe(4); // no retry left for the second call
    expect(error.message).toContain("retry budget is spent");
  });
});
