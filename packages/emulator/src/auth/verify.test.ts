// The emulator's own verification path, proven against the official Node SDK's sign3 (and, for
// what sign3 cannot sign, the reference checked against sign3): every request they sign is
// accepted; a change to anything signed is refused.

import { anyCase, sign3Case } from "@vclm/tools/signing-arbitraries";
import { bodyBytes, reference, sign3, sign3Can, type Vector } from "@vclm/tools/signing-oracle";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type KeyLookup, verify } from "./verify.js";

type Case = Pick<Vector, "request" | "options">;

const keysFor = ({ options }: Case): KeyLookup => ({
  permanent: (id) => (id === options.credentials.secretId ? { secretKey: options.credentials.secretKey, accountId: "1" } : undefined),
  temporary: () => undefined,
});

function requestFor(c: Case, authorization: string, tamper: (headers: Record<string, string>) => void = () => {}): Request {
  const { method, host, query, headers } = c.request;
  const sent: Record<string, string> = { ...headers, authorization, "x-tc-timestamp": String(c.options.timestamp) };
  if (!Object.keys(headers).some((name) => name.toLowerCase() === "content-type"))
    sent["content-type"] = method === "GET" ? "application/x-www-form-urlencoded" : "application/json";
  if (c.options.unsignedPayload) sent["x-tc-content-sha256"] = "UNSIGNED-PAYLOAD";
  tamper(sent);
  return new Request(`http://${host}/${query ? `?${query}` : ""}`, { method, headers: sent });
}

const serviceOf = (c: Case) => c.options.service ?? (c.request.host.split(".")[0] as string);
const at = (c: Case) => c.options.timestamp * 1000;

describe("verify", () => {
  it("accepts 1,000 random requests signed by the official SDK's sign3", async () => {
    await fc.assert(
      fc.asyncProperty(sign3Case, async (c) => {
        const caller = await verify(requestFor(c, sign3(c)), bodyBytes(c), serviceOf(c), keysFor(c), at(c));
        expect(caller).toEqual({ accountId: "1", temporary: undefined });
      }),
      { numRuns: 1000 },
    );
  }, 120_000);

  it("accepts 1,000 random requests with extra signed headers, other services and unsigned payloads", async () => {
    await fc.assert(
      fc.asyncProperty(anyCase, async (c) => {
        const caller = await verify(requestFor(c, reference(c)), bodyBytes(c), serviceOf(c), keysFor(c), at(c));
        expect(caller).toEqual({ accountId: "1", temporary: undefined });
      }),
      { numRuns: 1000 },
    );
  }, 120_000);

  it("refuses a request whose body, signed header or timestamp changed after signing", async () => {
    await fc.assert(
      fc.asyncProperty(sign3Case.filter(sign3Can), fc.constantFrom("body", "content-type", "timestamp"), async (c, part) => {
        const authorization = sign3(c);
        const body = bodyBytes(c);
        const changedBody = part === "body" ? Buffer.concat([body, Buffer.from(" ")]) : body;
        const request = requestFor(c, authorization, (headers) => {
          if (part === "content-type")
            for (const name of Object.keys(headers)) if (name.toLowerCase() === "content-type") headers[name] = "text/x-changed";
          if (part === "timestamp") headers["x-tc-timestamp"] = String(c.options.timestamp + 1);
        });
        const answer = await verify(request, changedBody, serviceOf(c), keysFor(c), at(c));
        expect(answer).toMatchObject({ error: { code: "AuthFailure.SignatureFailure" } });
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it("ignores headers that were not signed", async () => {
    const [c] = fc.sample(sign3Case, { seed: 7, numRuns: 1 }) as [Case];
    const request = requestFor(c, sign3(c), (headers) => {
      headers["x-added-later"] = "1";
    });
    expect(await verify(request, bodyBytes(c), serviceOf(c), keysFor(c), at(c))).toMatchObject({ accountId: "1" });
  });
});
