import { makeJpeg, makePng } from "@vclm/tools/photos";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VclmPhotoError } from "../errors/photo-error.js";
import { readPhotoHeader } from "./read-header.js";

/** A view that throws on any read outside the real bytes: proof that the reader stays inside. */
function guarded(bytes: Uint8Array): Uint8Array {
  return new Proxy(bytes, {
    get(target, key) {
      if (typeof key === "string" && /^\d+$/.test(key) && Number(key) >= target.length) throw new RangeError(`read past the end at ${key}`);
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("readPhotoHeader", () => {
  it.each([
    ["PNG", makePng(600, 1000), { format: "png", width: 600, height: 1000 }],
    ["baseline JPEG", makeJpeg(720, 1280), { format: "jpeg", width: 720, height: 1280 }],
    ["progressive JPEG", makeJpeg(720, 1280, { progressive: true }), { format: "jpeg", width: 720, height: 1280 }],
    ["JPEG with a 60 KB EXIF block", makeJpeg(1000, 1500, { exifBytes: 60_000 }), { format: "jpeg", width: 1000, height: 1500 }],
  ])("reads a %s", (_, bytes, header) => {
    expect(readPhotoHeader(guarded(bytes))).toEqual(header);
  });

  it.each([
    ["a GIF", new TextEncoder().encode("GIF89a\x01\x00\x01\x00"), /neither a PNG nor a JPEG/],
    ["text", new TextEncoder().encode("hello, this is not an image"), /neither a PNG nor a JPEG/],
    ["a JPEG that reaches image data without a frame header", new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 2]), /without a frame header/],
    [
      "a PNG whose first chunk is not IHDR",
      (() => {
        const p = makePng(10, 20);
        p[12] = 0x58;
        return p;
      })(),
      /not IHDR/,
    ],
    [
      "a PNG 0 px wide",
      (() => {
        const p = makePng(10, 20);
        p.fill(0, 16, 20);
        return p;
      })(),
      /zero width/,
    ],
  ])("rejects %s with FailedOperation.ImageDecodeFailed", (_, bytes, message) => {
    expect(() => readPhotoHeader(bytes)).toThrow(VclmPhotoError);
    expect(() => readPhotoHeader(bytes)).toThrow(message);
  });

  it("asks for more bytes, rather than failing, when a valid file is cut before its dimensions", () => {
    for (const photo of [makePng(600, 1000), makeJpeg(600, 1000, { exifBytes: 3000 })]) {
      const header = readPhotoHeader(photo);
      let cut = 1;
      while (readPhotoHeader(guarded(photo.subarray(0, cut))) === undefined) cut++;
      expect(readPhotoHeader(photo.subarray(0, cut))).toEqual(header);
      expect(cut).toBeGreaterThan(1);
    }
  });

  it("on any truncation or corruption of real files, returns a header, asks for more, or throws its own error, and never reads past the end", () => {
    const photos = fc.constantFrom(
      makePng(300, 500),
      makeJpeg(300, 500),
      makeJpeg(300, 500, { exifBytes: 500 }),
      makeJpeg(64, 100, { progressive: true }),
    );
    const damaged = fc
      .tuple(photos, fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }))
      .map(([photo, cut, flips]) => {
        const copy = photo.slice(0, cut % (photo.length + 1));
        for (const [at, value] of flips) if (copy.length) copy[at % copy.length] = value;
        return copy;
      });
    fc.assert(
      fc.property(damaged, (bytes) => {
        try {
          const header = readPhotoHeader(guarded(bytes));
          if (header) {
            expect(Number.isInteger(header.width) && header.width > 0).toBe(true);
            expect(Number.isInteger(header.height) && header.height > 0).toBe(true);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(VclmPhotoError);
          expect((error as VclmPhotoError).code).toBe("FailedOperation.ImageDecodeFailed");
        }
      }),
      { numRuns: 5000 },
    );
  });

  it("on random bytes, never throws anything but its own error and never reads past the end", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          fc.uint8Array({ maxLength: 64 }).map((b) => Uint8Array.from([0xff, 0xd8, ...b])),
        ),
        (bytes) => {
          try {
            readPhotoHeader(guarded(bytes));
          } catch (error) {
            expect(error).toBeInstanceOf(VclmPhotoError);
          }
        },
      ),
      { numRuns: 5000 },
    );
  });
});
