import { describe, expect, it } from "vitest";
import { jpegHeader, pngHeader } from "../../test/header-photos.js";
import { readPhotoHeader } from "./photo-header.js";

describe("readPhotoHeader (the emulator's own)", () => {
  it("reads a PNG's size from IHDR and a JPEG's from its first frame header, past any EXIF", () => {
    expect(readPhotoHeader(pngHeader(1000, 1500))).toEqual({ format: "png", width: 1000, height: 1500 });
    expect(readPhotoHeader(jpegHeader(720, 1280))).toEqual({ format: "jpeg", width: 720, height: 1280 });
    expect(readPhotoHeader(jpegHeader(720, 1280, { exifBytes: 60_000 }))).toEqual({ format: "jpeg", width: 720, height: 1280 });
    expect(readPhotoHeader(jpegHeader(720, 1280, { frameMarker: 0xc2 }))).toMatchObject({ width: 720 }); // progressive
  });

  it("does not take a JPEG's Huffman table segment (FF C4) for a frame header", () => {
    expect(readPhotoHeader(jpegHeader(720, 1280, { frameMarker: 0xc4 }))).toMatchObject({ truncated: true });
  });

  it("calls a header cut short truncated at every length, and never reads past the end", () => {
    // A PNG's size is whole at byte 24 (the IHDR's height); a JPEG's at its frame's width, one
    // byte before the end of these headers (the component count).
    const jpeg = jpegHeader(720, 1280, { exifBytes: 100 });
    for (const [photo, whole] of [
      [pngHeader(1000, 1500), 24],
      [jpeg, jpeg.length - 1],
    ] as const) {
      expect(readPhotoHeader(photo.subarray(0, whole))).toMatchObject({ width: expect.any(Number) });
      for (let length = 1; length < whole; length++)
        expect(readPhotoHeader(photo.subarray(0, length)), `${length} bytes`).toMatchObject({ truncated: true });
    }
  });

  it("calls anything else unreadable, not truncated: another format, a wrong first chunk, a zero size", () => {
    const gif = new TextEncoder().encode("GIF89a not a photo");
    const notIhdr = pngHeader(1000, 1500);
    notIhdr[12] = 0x58;
    for (const photo of [gif, new Uint8Array(0), notIhdr, pngHeader(0, 1500), jpegHeader(720, 0), Uint8Array.of(0xff, 0xd8, 0xff, 0xd9)])
      expect(readPhotoHeader(photo)).toMatchObject({ truncated: false });
  });
});
