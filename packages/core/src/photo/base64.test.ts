import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBase64, decodedLength, encodeBase64 } from "./base64.js";

describe("base64", () => {
  it("round-trips any bytes and agrees with Node's encoder, whichever path the runtime takes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString("base64"));
        expect(decodeBase64(text)).toEqual(bytes);
        expect(decodedLength(text)).toBe(bytes.length);
      }),
      { numRuns: 200 },
    );
  });

  it("rejects characters outside the alphabet", () => {
    expect(() => decodeBase64("not*base64")).toThrow();
  });
});
