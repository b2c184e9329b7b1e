import { describe, expect, it } from "vitest";
import { JobLimit } from "./job-limit.js";

describe("JobLimit", () => {
  it("learns the limit from the jobs running at a refusal, tries one more after a quiet minute, and waits twice as long after each try refused", () => {
    const limit = new JobLimit({ now: 0 });
    expect(limit.value).toBe(Number.POSITIVE_INFINITY);
    expect(limit.refused(4, 0)).toBe(true);
    expect([limit.value, limit.learnt]).toEqual([4, 4]);
    limit.ended(59_000);
    expect(limit.value).toBe(4); // not yet
    limit.ended(61_000);
    expect(limit.value).toBe(5); // one more, for a try
    expect(limit.refused(4, 62_000)).toBe(true); // the try found no room beside our 4: back to 4, and ...
    expect(limit.value).toBe(4);
    limit.ended(62_000 + 119_000);
    expect(limit.value).toBe(4); // ... so the next try waits two minutes
    limit.ended(62_000 + 121_000);
    expect(limit.value).toBe(5);
    expect(limit.learnt).toBe(4);
  });

  it("never goes above a limit it was given, and counts at least one job when others hold the account", () => {
    const limit = new JobLimit({ max: 3, now: 0 });
    expect(limit.value).toBe(3);
    limit.ended(10_000_000);
    expect(limit.value).toBe(3);
    limit.refused(0, 0);
    expect(limit.value).toBe(1);
  });
});
