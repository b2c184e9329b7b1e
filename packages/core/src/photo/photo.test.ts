import { makeJpeg, makePng, padTo } from "@vclm/tools/photos";
import { describe, expect, it } from "vitest";
import { VclmPhotoError } from "../errors/photo-error.js";
import { checkPhoto, checkPhotoBase64, photoToBase64 } from "./photo.js";

describe("photo helpers", () => {
  it("take bytes, an ArrayBuffer or a Blob", async () => {
    const png = makePng(600, 900);
    for (const source of [png, png.slice().buffer, new Blob([png as Uint8Array<ArrayBuffer>])]) {
      expect(await checkPhoto(source)).toEqual({ format: "png", width: 600, height: 900 });
      expect(await photoToBase64(source)).toBe(Buffer.from(png).toString("base64"));
    }
  });

  it("photoToBase64 checks the photo unless told not to", async () => {
    const square = makePng(500, 500);
    await expect(photoToBase64(square)).rejects.toThrow(VclmPhotoError);
    expect(await photoToBase64(square, { check: false })).toBe(Buffer.from(square).toString("base64"));
  });

  it("checkPhotoBase64 reads a frame header that lies beyond the first 64 KB of base64", () => {
    const jpeg = makeJpeg(1000, 1500, { exifBytes: 65_000 });
    expect(checkPhotoBase64(Buffer.from(jpeg).toString("base64"))).toEqual({ format: "jpeg", width: 1000, height: 1500 });
  });

  it("checkPhotoBase64 counts the decoded size against the 10 MB limit", () => {
    const big = padTo(makePng(1000, 1500), 10 * 1024 * 1024 + 10);
    expect(() => checkPhotoBase64(Buffer.from(big).toString("base64"))).toThrow("FailedOperation.ImageSizeExceed");
    const fits = padTo(makePng(1000, 1500), 10 * 1024 * 1024);
    expect(checkPhotoBase64(Buffer.from(fits).toString("base64")).format).toBe("png");
  });

  it.each([
    ["a data: URL", `data:image/png;base64,${Buffer.from(makePng(10, 20)).toString("base64")}`, "without a data: URL prefix"],
    ["text that is not base64", "%%%% not base64 %%%%", "not valid base64"],
    ["a GIF", Buffer.from("GIF89a....").toString("base64"), "neither a PNG nor a JPEG"],
  ])("checkPhotoBase64 rejects %s with FailedOperation.ImageDecodeFailed", (_, text, message) => {
    expect(() => checkPhotoBase64(text)).toThrow(message);
    expect(() => checkPhotoBase64(text)).toThrow(VclmPhotoError);
  });
});
