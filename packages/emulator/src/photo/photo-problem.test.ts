import { describe, expect, it } from "vitest";
import { jpegHeader, pngHeader } from "../../test/header-photos.js";
import { BOUNDARIES } from "../../test/photo-boundaries.js";
import { photoProblem } from "./photo-problem.js";

const codeOf = (photo: Uint8Array) => photoProblem(photo)?.error?.code ?? "accepted";
const MB = 1024 * 1024;

describe("photoProblem: the API's photo rules, at their boundaries", () => {
  it.each([
    ...BOUNDARIES,
    {
      what: "2057 px wide (the ratio is wrong too: the size is checked first)",
      photo: jpegHeader(2057, 1000),
      code: "FailedOperation.ImageResolutionExceed",
    },
    { what: "a square", photo: pngHeader(1000, 1000), code: "FailedOperation.ImageRadioExcceed" },
    { what: "a landscape", photo: jpegHeader(1500, 1000), code: "FailedOperation.ImageRadioExcceed" },
    {
      what: "a JPEG cut before its frame header",
      photo: jpegHeader(720, 1280, { exifBytes: 100 }).subarray(0, 50),
      code: "FailedOperation.ImageDecodeFailed",
    },
  ])("$what: $code", ({ photo, code }) => {
    expect(codeOf(photo)).toBe(code);
  });

  it("calls a file that is no photo undecodable whatever its size, and a large photo cut short too large", () => {
    const notPhoto = new Uint8Array(11 * MB).fill(0x47);
    expect(codeOf(notPhoto)).toBe("FailedOperation.ImageDecodeFailed");
    const cutShort = new Uint8Array(11 * MB);
    cutShort.set(jpegHeader(720, 1280, { exifBytes: 100 }).subarray(0, 50));
    cutShort.fill(0xff, 50); // fill bytes all the way: no frame header ever comes
    expect(codeOf(cutShort)).toBe("FailedOperation.ImageSizeExceed");
  });

  it("says what is wrong, in numbers", () => {
    expect(photoProblem(jpegHeader(1029, 2057))?.error?.message).toBe("the photo is 1029×2057 px; its long edge must be at most 2056 px");
  });
});
