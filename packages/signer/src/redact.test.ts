import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { redactedHeaders } from "./redact.js";

const redact = (headers: Record<string, string>) => Object.assign(redactedHeaders(), headers);

const headers = () => ({
  "Content-Type": "application/json",
  Authorization: "TC3-HMAC-SHA256 Credential=AKID/x, Signature=abc",
  "X-TC-Token": "tok",
});

describe("redact", () => {
  it("hides the Authorization and X-TC-Token values from JSON, String() and the console", () => {
    const signed = redact(headers());
    for (const text of [JSON.stringify(signed), String(signed), `${signed}`, inspect(signed), inspect({ nested: signed })]) {
      expect(text).not.toContain("Signature=abc");
      expect(text).not.toContain("tok");
      expect(text).toContain("[redacted]");
      expect(text).toContain("application/json");
    }
  });

  it("leaves the real values where fetch reads them", () => {
    const signed = redact(headers());
    expect(signed.Authorization).toContain("Signature=abc");
    expect(Object.keys(signed)).toEqual(["Content-Type", "Authorization", "X-TC-Token"]);
    expect(new Headers(signed).get("x-tc-token")).toBe("tok");
    expect({ ...signed }).toEqual(headers());
  });

  it("does not invent a token header when there is none", () => {
    const { "X-TC-Token": _, ...permanent } = headers();
    expect(JSON.parse(JSON.stringify(redact(permanent)))).toEqual({ ...permanent, Authorization: "[redacted]" });
  });
});
