import { systemClock } from "@vclm/core";
import { describe, expect, it } from "vitest";
import { AdaptiveRateLimiter } from "./adaptive.js";
import { RetryBudget } from "./budget.js";

describe("AdaptiveRateLimiter", () => {
  it("is unlimited until throttled, then halves the measured rate and raises it one per second while not throttled", async () => {
    let now = 0;
    const limiter = new AdaptiveRateLimiter({ ...systemClock, now: () => now });
    for (let i = 0; i < 20; i++) await limiter.acquire(undefined); // 20 requests at t=0
    expect(limiter.rate).toBe(Number.POSITIVE_INFINITY);
    limiter.throttled();
    expect(limiter.rate).toBe(10);
    now = 1_000;
    limiter.succeeded();
    expect(limiter.rate).toBe(11);
    limiter.succeeded(); // same second: no raise
    expect(limiter.rate).toBe(11);
    limiter.throttled();
    expect(limiter.rate).toBeLessThan(11);
  });

  it("spaces requests at the limited rate", async () => {
    let now = 0;
    const limiter = new AdaptiveRateLimiter({ ...systemClock, now: () => now });
    limiter.throttled(); // 1 measured -> 0.5 per second
    const started = Date.now();
    now = 0;
    await limiter.acquire(undefined);
    expect(Date.now() - started).toBeLessThan(100); // the first goes at once
  });
});

describe("RetryBudget", () => {
  it("spends and refills up to capacity", () => {
    const budget = new RetryBudget(10);
    expect(budget.spend(5)).toBe(true);
    expect(budget.spend(10)).toBe(false);
    expect(budget.tokens).toBe(5);
    for (let i = 0; i < 20; i++) budget.refill();
    expect(budget.tokens).toBe(10);
  });
});
