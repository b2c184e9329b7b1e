import { describe, expect, it } from "vitest";
import { VclmPhotoError } from "../errors/photo-error.js";
import { checkPhotoLimits } from "./check-photo.js";

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
    ["over 10 MB", png(1000, 1500), 10 * 1024 * 1024 + 1, "FailedOperation.ImageSizeExceed", "the photo is 10.0 MB; the limit is 10 MB"],
    [
      "a long edge over 2056 px",
      png(1500, 2057),
      1000,
      "FailedOperation.ImageResolutionExceed",
      "2057 px; its long edge must be at most 2056 px",
    ],
    ["a landscape photo", png(1200, 1000), 1000, "FailedOperation.ImageRadioExcceed", "height:width 0.83"],
    ["a square photo", png(1000, 1000), 1000, "FailedOperation.ImageRadioExcceed", "between 1.2 and 2"],
    ["a photo taller than 2:1", png(1000, 2001), 1000, "FailedOperation.ImageRadioExcceed", "height:width 2.00"],
    ["a truncated file", undefined, 1000, "FailedOperation.ImageDecodeFailed", "truncated"],
  ])("rejects %s with the service's code", (_, header, bytes, expectedCode, message) => {
    const failure = code(() => checkPhotoLimits(header, bytes));
    expect(failure?.code).toBe(expectedCode);
    expect(failure?.message).toContain(message);
  });
});
