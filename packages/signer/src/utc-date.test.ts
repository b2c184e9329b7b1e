import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utcDate } from "./utc-date.js";

describe("utcDate", () => {
  it("is the UTC calendar date of the second, on both sides of every midnight", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800 }), fc.integer({ min: -2, max: 2 }), (t, nudge) => {
        const second = Math.max(0, Math.floor(t / 86_400) * 86_400 + nudge);
        expect(utcDate(second)).toBe(new Date(second * 1000).toISOString().slice(0, 10));
      }),
      { numRuns: 2000 },
    );
    expect(utcDate(1_551_113_065)).toBe("2019-02-25");
    expect(utcDate(0)).toBe("1970-01-01");
  });
});
