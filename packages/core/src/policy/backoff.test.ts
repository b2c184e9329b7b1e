import { describe, expect, it } from "vitest";
import { backoff } from "./backoff.js";
import { RateWindow } from "./rate-window.js";

describe("backoff", () => {
  it("is full jitter: anywhere from 0 to a ceiling that doubles from `first` up to `max`", () => {
    const steps = (random: number) => [1, 2, 3, 4, 5, 6].map((attempt) => backoff(attempt, { first: 100, max: 1_000 }, () => random));
    expect(steps(0.999_999)).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(steps(0.5)).toEqual([50, 100, 200, 400, 500, 500]);
    expect(steps(0)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe("RateWindow", () => {
  it("with a burst of 1, spaces calls evenly: 4 a second are 250 ms apart", () => {
    const window = new RateWindow(4);
    expect([0, 0, 0, 0].map(() => window.take(1_000))).toEqual([0, 250, 500, 750]);
    expect(window.delay(1_000)).toBe(1_000);
    expect(window.delay(2_000)).toBe(0); // a quiet second later, at once
  });

  it("with a burst, lets a second's worth go at once, then one every interval; delay peeks without taking", () => {
    const window = new RateWindow(20, { burst: 20 });
    const now = 5_000;
    const waits = Array.from({ length: 21 }, () => window.take(now));
    expect(waits.slice(0, 20).every((wait) => wait === 0)).toBe(true);
    expect(waits[20]).toBe(50);
    expect(window.delay(now + 50)).toBe(50);
    expect(window.delay(now + 50)).toBe(50); // unchanged: nothing taken
  });

  it("refuses a rate that would spin or stop", () => {
    for (const rate of [0, -1, Number.NaN]) expect(() => new RateWindow(rate)).toThrow(RangeError);
  });
});
