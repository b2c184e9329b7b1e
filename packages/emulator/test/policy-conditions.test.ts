// CAM conditions in STS policies, over the Node server's real HTTP: qcs:ip (ip_equal, ip_not_equal,
// CIDR) against the address a request comes from, played by clients bound to 127.0.0.2 and
// 127.0.0.3; qcs:current_time with the date operators on the emulator's clock.
import { fetchFrom } from "@vclm/tools/fetch-from";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator } from "../src/emulator.js";
import { type RunningEmulator, startEmulator } from "../src/node.js";
import { answerOf, signedRequest } from "./signed.js";

let running: RunningEmulator;
beforeAll(async () => {
  running = await startEmulator({ clock: "manual" });
  running.emulator.clock.set(Date.now());
});
afterAll(() => running.close());

// Signed on the emulator's clock, which these tests move.
const timestamp = () => Math.floor(running.emulator.clock.now() / 1000);
const submitBody = JSON.stringify({ TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" });
const jobsNow = () => [...running.emulator.jobs.all()].length;

async function federate(condition: object, url = running.url, send: typeof fetch = fetch) {
  return federateUnder([{ effect: "allow", action: "vclm:*", resource: "*", condition }], url, send);
}

/** Temporary credentials issued under these statements, or the error. */
async function federateUnder(statement: object[], url = running.url, send: typeof fetch = fetch) {
  const Policy = JSON.stringify({ version: "2.0", statement });
  const answer = await answerOf(
    await send(
      await signedRequest(url, {
        action: "GetFederationToken",
        version: "2018-08-13",
        body: JSON.stringify({ Name: "t", Policy }),
        ...(url === running.url && { timestamp: timestamp() }),
      }),
    ),
  );
  if (answer.Error) return answer.Error;
  const { Credentials } = answer as unknown as { Credentials: { TmpSecretId: string; TmpSecretKey: string; Token: string } };
  return { secretId: Credentials.TmpSecretId, secretKey: Credentials.TmpSecretKey, token: Credentials.Token };
}

/** Submits with `credentials` from `address`; the error code, or "ok". */
async function submitFrom(address: string, credentials: object) {
  const request = await signedRequest(running.url, {
    action: "SubmitImageAnimateJob",
    body: submitBody,
    credentials: credentials as never,
    timestamp: timestamp(),
  });
  return (await answerOf(await fetchFrom(address)(request))).Error?.Code ?? "ok";
}

describe("qcs:ip", () => {
  it.each([
    ["ip_equal one address", { ip_equal: { "qcs:ip": "127.0.0.2" } }, "ok", "UnauthorizedOperation"],
    ["ip_equal a /32 in a list", { ip_equal: { "qcs:ip": ["198.51.100.0/24", "127.0.0.2/32"] } }, "ok", "UnauthorizedOperation"],
    ["ip_equal a CIDR range holding both", { ip_equal: { "qcs:ip": ["127.0.0.0/30"] } }, "ok", "ok"],
    ["ip_not_equal the thief", { ip_not_equal: { "qcs:ip": ["127.0.0.3"] } }, "ok", "UnauthorizedOperation"],
  ])("%s: as the condition says from 127.0.0.2 and from 127.0.0.3, and no job for a refusal", async (_, condition, relay, thief) => {
    const credentials = await federate(condition);
    expect(credentials).toHaveProperty("token");
    const before = jobsNow();
    expect(await submitFrom("127.0.0.2", credentials)).toBe(relay);
    expect(await submitFrom("127.0.0.3", credentials)).toBe(thief);
    expect(jobsNow() - before).toBe([relay, thief].filter((code) => code === "ok").length);
  });

  // The emulator knows no address when a fetch handler is not told it: every real request has one,
  // so _if_exist cannot mean "no address" here. Unknown, the evaluation fails closed both ways.
  describe("when the address is unknown (a fetch handler not told it)", () => {
    const emulator = createEmulator();
    const send: typeof fetch = (input, init) => emulator.fetch(new Request(input, init));
    const url = "http://emulator.test/";
    const submitUnder = async (credentials: object) => {
      const request = await signedRequest(url, { action: "SubmitImageAnimateJob", body: submitBody, credentials: credentials as never });
      return (await answerOf(await send(request))).Error?.Code ?? "ok";
    };

    it.each([
      ["ip_equal", { ip_equal: { "qcs:ip": "127.0.0.2" } }],
      ["ip_equal_if_exist", { ip_equal_if_exist: { "qcs:ip": "127.0.0.2" } }],
    ])("an allow with %s does not hold", async (_, condition) => {
      expect(await submitUnder(await federate(condition, url, send))).toBe("UnauthorizedOperation");
    });

    it.each([
      ["ip_not_equal (deny unless from the relay)", { ip_not_equal: { "qcs:ip": "127.0.0.2" } }],
      ["ip_equal (deny from the thief's address)", { ip_equal: { "qcs:ip": "127.0.0.3" } }],
    ])("a deny with %s still applies: the call does not escape it", async (_, condition) => {
      const before = emulator.jobs.size;
      const credentials = await federateUnder(
        [
          { effect: "allow", action: "vclm:*", resource: "*" },
          { effect: "deny", action: "vclm:SubmitImageAnimateJob", resource: "*", condition },
        ],
        url,
        send,
      );
      expect(await submitUnder(credentials)).toBe("UnauthorizedOperation");
      expect(emulator.jobs.size).toBe(before);
    });
  });
});

describe("qcs:current_time", () => {
  it("holds until the date, on the emulator's clock", async () => {
    const until = new Date(running.emulator.clock.now() + 600_000).toISOString();
    const credentials = await federate({ date_less_than: { "qcs:current_time": until } });
    expect(await submitFrom("127.0.0.2", credentials)).toBe("ok");
    const saved = running.emulator.clock.now();
    running.emulator.clock.advance(660_000); // past the date, within the credentials' 30 minutes
    expect(await submitFrom("127.0.0.2", credentials)).toBe("UnauthorizedOperation");
    running.emulator.clock.set(saved);
  });

  it("date_greater_than a time to come does not hold yet", async () => {
    const from = new Date(running.emulator.clock.now() + 600_000).toISOString();
    expect(await submitFrom("127.0.0.2", await federate({ date_greater_than: { "qcs:current_time": from } }))).toBe(
      "UnauthorizedOperation",
    );
  });
});

describe("conditions it cannot evaluate", () => {
  it.each([
    ["another key", { string_equal: { "qcs:resource_tag": "a" } }, /evaluates ip_equal, ip_not_equal and the date_ operators/],
    ["a bad range", { ip_equal: { "qcs:ip": "127.0.0.300/8" } }, /is not an IP address or CIDR range/],
    ["a range with two prefixes", { ip_equal: { "qcs:ip": "127.0.0.1/32/99" } }, /127\.0\.0\.1\/32\/99 is not an IP address or CIDR range/],
    ["an IPv6 range with two prefixes", { ip_not_equal: { "qcs:ip": ["::1/64/1"] } }, /::1\/64\/1 is not an IP address or CIDR range/],
    ["a prefix with a leading zero", { ip_equal: { "qcs:ip": "10.0.0.0/08" } }, /is not an IP address or CIDR range/],
    [
      "an operator every object has",
      { constructor: { "qcs:current_time": "2000-01-01T00:00:00Z" } },
      /constructor: this emulator evaluates/,
    ],
    ["another one", { valueOf: { "qcs:current_time": "2000-01-01T00:00:00Z" } }, /valueOf: this emulator evaluates/],
    ["a bad time", { date_less_than: { "qcs:current_time": "tomorrow" } }, /is not an ISO 8601 time/],
    ["the wrong key for the operator", { ip_equal: { "qcs:current_time": "127.0.0.1" } }, /takes qcs:ip, not qcs:current_time/],
  ])("refuses %s when the credentials are issued, saying why", async (_, condition, message) => {
    const error = (await federate(condition)) as { Code: string; Message: string };
    expect(error.Code).toBe("InvalidParameterValue");
    expect(error.Message).toMatch(message);
  });
});
