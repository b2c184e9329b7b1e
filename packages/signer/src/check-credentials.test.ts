import { describe, expect, it } from "vitest";
import { resolveCredentials } from "./check-credentials.js";
import { SignerError } from "./errors.js";

const SECRET = "s3cr3t-K3y-that-must-never-leak";
const TOKEN = "t0ken-that-must-never-leak";

async function rejection(source: unknown) {
  const error = await resolveCredentials(source as never).then(
    () => expect.unreachable("accepted"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignerError);
  const { field, message, stack } = error as SignerError;
  for (const text of [message, String(stack), JSON.stringify(error)]) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN.slice(0, 10));
  }
  return field;
}

describe("resolveCredentials", () => {
  it("accepts a plain object and a provider, sync or async, and calls the provider on each use", async () => {
    const credentials = { secretId: "AKIDabc", secretKey: SECRET, token: TOKEN };
    let calls = 0;
    expect(await resolveCredentials(credentials)).toBe(credentials);
    expect(await resolveCredentials(() => credentials)).toBe(credentials);
    const provider = async () => {
      calls++;
      return credentials;
    };
    await resolveCredentials(provider);
    await resolveCredentials(provider);
    expect(calls).toBe(2);
  });

  it.each([
    ["no credentials", undefined, "credentials"],
    ["a missing secret id", { secretKey: SECRET }, "credentials.secretId"],
    ["an empty secret id", { secretId: "", secretKey: SECRET }, "credentials.secretId"],
    ["a secret id with a slash", { secretId: "AKID/x", secretKey: SECRET }, "credentials.secretId"],
    ["a secret id with a comma", { secretId: "AKID,x", secretKey: SECRET }, "credentials.secretId"],
    ["a secret id with a space", { secretId: "AKID x", secretKey: SECRET }, "credentials.secretId"],
    ["a missing secret key", { secretId: "AKID" }, "credentials.secretKey"],
    ["an empty secret key", { secretId: "AKID", secretKey: "" }, "credentials.secretKey"],
    ["a token that is not a string", { secretId: "AKID", secretKey: SECRET, token: 42 }, "credentials.token"],
    ["a token with a line break", { secretId: "AKID", secretKey: SECRET, token: `${TOKEN}\nX: 1` }, "credentials.token"],
  ])("rejects %s without echoing any secret", async (_, credentials, field) => {
    expect(await rejection(credentials)).toBe(field);
    expect(await rejection(async () => credentials)).toBe(field);
  });

  it("passes a provider's own failure through untouched", async () => {
    const failure = new Error("credentials endpoint down");
    await expect(resolveCredentials(async () => Promise.reject(failure))).rejects.toBe(failure);
  });
});
