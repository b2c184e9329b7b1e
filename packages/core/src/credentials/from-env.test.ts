import { describe, expect, it } from "vitest";
import { VclmValidationError } from "../errors/validation-error.js";
import { fromEnv } from "./from-env.js";

describe("fromEnv", () => {
  it("reads the official SDKs' variable names from a given object, such as a Worker's env", async () => {
    const env = { TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "key", TENCENTCLOUD_SESSION_TOKEN: "tok" };
    expect(await fromEnv(env)()).toEqual({ secretId: "AKIDenv", secretKey: "key", token: "tok" });
    expect(await fromEnv({ ...env, TENCENTCLOUD_SESSION_TOKEN: "" })()).toEqual({ secretId: "AKIDenv", secretKey: "key" });
  });

  it("reads process.env when given nothing, on every call (so a rotated key is picked up)", async () => {
    const saved = { ...process.env };
    try {
      process.env.TENCENTCLOUD_SECRET_ID = "AKIDone";
      process.env.TENCENTCLOUD_SECRET_KEY = "k1";
      const provider = fromEnv();
      expect((await provider()).secretId).toBe("AKIDone");
      process.env.TENCENTCLOUD_SECRET_ID = "AKIDtwo";
      expect((await provider()).secretId).toBe("AKIDtwo");
    } finally {
      process.env = saved;
    }
  });

  it("says at once which variables to set, never echoing a value", () => {
    const error = (() => {
      try {
        fromEnv({ TENCENTCLOUD_SECRET_KEY: "super-secret" });
      } catch (e) {
        return e as VclmValidationError;
      }
    })();
    expect(error).toBeInstanceOf(VclmValidationError);
    expect(error?.message).toContain(
      "TENCENTCLOUD_SECRET_ID is not set in the env object given (a Worker's env): set it, or pass credentials",
    );
    expect(error?.message).not.toContain("super-secret");
  });
});
