import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64Into, base64Length, decodedLength, fromBase64, isBase64, toBase64 } from "./base64.js";

// Node's Buffer is the reference here; the runtime matrix checks each runtime's path against btoa.
const reference = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

// Each path of the coder on this runtime: Node 20 and 24 take Buffer; hiding Buffer (only while
// the coder runs: the test tools need it) takes the table coder.
const asIs = <T>(call: () => T): T => call();
const withoutBuffer = <T>(call: () => T): T => {
  const globals = globalThis as { Buffer?: unknown };
  const saved = globals.Buffer;
  globals.Buffer = undefined;
  try {
    return call();
  } finally {
    globals.Buffer = saved;
  }
};

describe.each([
  ["the runtime's own (Buffer or native)", asIs],
  ["the table coder (no Buffer, no native methods)", withoutBuffer],
])("base64, %s", (_, on) => {
  it("encodes and decodes any bytes as the reference does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), (bytes) => {
        const text = on(() => toBase64(bytes));
        expect(text).toBe(reference(bytes));
        expect(on(() => fromBase64(text))).toEqual(bytes);
        expect(decodedLength(text)).toBe(bytes.length);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses what is not standard, padded base64, on every path", () => {
    for (const bad of ["not*base64", "aGVsbG8", "aGVs bG8=", "aGVsbG8-", "a===", "=aGV"]) {
      expect(isBase64(bad)).toBe(false);
      expect(() => on(() => fromBase64(bad))).toThrow(SyntaxError);
    }
  });
});

describe("base64Into", () => {
  it("writes the reference's characters at any offset, even or odd, and in pieces of whole triples", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20_000 }), fc.nat(7), fc.nat(10), (bytes, offset, cut) => {
        const target = new Uint8Array(offset + base64Length(bytes.length) + 3).fill(0xaa);
        const split = Math.min(bytes.length - (bytes.length % 3), cut * 3);
        const middle = base64Into(bytes.subarray(0, split), target, offset);
        const end = base64Into(bytes.subarray(split), target, middle);
        expect(end).toBe(offset + base64Length(bytes.length));
        expect(new TextDecoder().decode(target.subarray(offset, end))).toBe(reference(bytes));
        expect(target[end]).toBe(0xaa); // nothing written past the end
      }),
      { numRuns: 300 },
    );
  });
});
