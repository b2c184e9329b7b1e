import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VclmPhotoError } from "../errors/photo-error.js";
import { checkPhotoLimits } from "./check-photo.js";
import { largestFit, portraitCrop, ratioHolds } from "./fit-photo.js";

const png = (width: number, height: number) => ({ format: "png" as const, width, height });
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(VclmPhotoError);
    return { code: (error as VclmPhotoError).code, message: (error as VclmPhotoError).message };
  }
  return undefined;
};

describe("checkPhotoLimits", () => {
  it.each([
    [1000, 1200],
    [1000, 2000],
    [1028, 2056],
    [100, 150],
  ])("accepts %i×%i", (w, h) => {
    expect(checkPhotoLimits(png(w, h), 1000)).toEqual(png(w, h));
  });

  it.each([
    [
      "over 10 MB",
      png(1000, 1500),
      10 * 1024 * 1024 + 1,
      "FailedOperation.ImageSizeExceed",
      "the photo is 10.0 MB (10,485,761 bytes); the limit is 10 MB (10,485,760 bytes): save it at least 1 byte smaller",
    ],
    [
      "a long edge over 2056 px",
      png(1500, 2057),
      1000,
      "FailedOperation.ImageResolutionExceed",
      "2057 px; its long edge must be at most 2056 px: scale it down to 1499×2056 px or smaller",
    ],
    [
      "a long edge over 2056 px and a square",
      png(3000, 3000),
      1000,
      "FailedOperation.ImageResolutionExceed",
      "between 1.2 and 2: crop it and scale it down, e.g. to 1713×2056 px",
    ],
    [
      "a long edge over 2056 px that a crop brings within it",
      png(1000, 2500),
      1000,
      "FailedOperation.ImageResolutionExceed",
      "between 1.2 and 2: crop it, e.g. to 1000×2000 px",
    ],
    [
      "a landscape photo",
      png(1200, 1000),
      1000,
      "FailedOperation.ImageRadioExcceed",
      "height:width 0.83); it must be a portrait with height:width between 1.2 and 2: crop it to a portrait between 1.2 and 2 high per wide: for this 1,000-high photo, between 500 and 833 px wide",
    ],
    ["a square photo", png(1000, 1000), 1000, "FailedOperation.ImageRadioExcceed", "between 500 and 833 px wide"],
    [
      "a photo taller than 2:1",
      png(1000, 2001),
      1000,
      "FailedOperation.ImageRadioExcceed",
      "(height:width 2.001); it must be a portrait with height:width between 1.2 and 2: crop it to a portrait between 1.2 and 2 high per wide: for this 1,000-wide photo, between 1,200 and 2,000 px high",
    ],
    ["a truncated file", undefined, 1000, "FailedOperation.ImageDecodeFailed", "truncated; use a complete copy"],
    // Each of these once never answered: the search for a crop went on for ever.
    ["a photo 1 px high and wide", png(1, 1), 70, "FailedOperation.ImageRadioExcceed", "the photo is 1×1 px: use a larger photo"],
    ["a photo 1 px high and too long", png(3000, 1), 70, "FailedOperation.ImageRadioExcceed", "3000×1 px: use a larger photo"],
    ["a header of no width", png(0, 1000), 70, "FailedOperation.ImageDecodeFailed", "0×1000 px: use a larger photo"],
    ["a header of no height", png(1000, 0), 70, "FailedOperation.ImageDecodeFailed", "1000×0 px: use a larger photo"],
  ])("rejects %s with the service's code", (_, header, bytes, expectedCode, message) => {
    const failure = code(() => checkPhotoLimits(header, bytes));
    expect(failure?.code).toBe(expectedCode);
    expect(failure?.message).toContain(message);
  });

  it("the size it advises passes: the largest crop and scale of any photo, and the ends of each crop range", () => {
    fc.assert(
      // From 1 px wide and 2 px high: checkPhotoLimits refuses smaller photos before any crop is sought.
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 2, max: 20_000 }), (width, height) => {
        const fit = largestFit(width, height);
        expect(checkPhotoLimits(png(fit.width, fit.height), 1000)).toEqual(png(fit.width, fit.height));
        expect(fit.width).toBeLessThanOrEqual(width);
        expect(fit.height).toBeLessThanOrEqual(height);
        if (ratioHolds(width, height)) return;
        const { keep, from, to } = portraitCrop(width, height);
        const size = (n: number) => (keep === "height" ? [n, height] : [width, n]) as [number, number];
        expect([ratioHolds(...size(from)), ratioHolds(...size(to))]).toEqual([true, true]);
        expect([ratioHolds(...size(from - 1)), ratioHolds(...size(to + 1))]).toEqual([false, false]);
      }),
    );
  });
});
