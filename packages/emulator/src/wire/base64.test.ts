import { describe, expect, it } from "vitest";
import { decodeBase64 } from "./base64.js";

describe("decodeBase64 (the emulator's own, strict as the service)", () => {
  it("decodes standard, padded base64, with each decoder the runtime has", () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919) & 0xff);
    for (const length of [0, 1, 2, 3, 999, 1000]) {
      const text = Buffer.from(bytes.subarray(0, length)).toString("base64");
      expect(decodeBase64(text)).toEqual(bytes.subarray(0, length));
    }
  });

  it("decodes in JavaScript where the runtime has no decoder of its own", () => {
    const saved = globalThis.Buffer;
    const text = Buffer.from("any photo at all").toString("base64");
    try {
      (globalThis as { Buffer?: unknown }).Buffer = undefined;
      expect(new TextDecoder().decode(decodeBase64(text))).toBe("any photo at all");
    } finally {
      globalThis.Buffer = saved;
    }
  });

  it.each(["YQ", "Y===", "YQ=a", "a b=", "YQ==\n", "data:image/png;base64,YQ==", "-_8=", "YQ=="])("refuses %j unless strict", (text) => {
    expect(decodeBase64(text) === undefined).toBe(text !== "YQ==");
  });
});
