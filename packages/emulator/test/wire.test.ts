// Bad input of every kind gets a proper error envelope, the emulator keeps serving, and no job is
// lost or duplicated.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../src/node.js";
import { answerOf, signedRequest } from "./signed.js";

let running: RunningEmulator;
beforeAll(async () => {
  running = await startEmulator({ limits: { requestsPerSecond: 1000 } });
});
afterAll(() => running.close());

const send = async (request: Request) => fetch(request);
const submitBody = JSON.stringify({ TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" });

describe("the emulator's wire", () => {
  it.each([
    ["a body that is not JSON", { body: "{not json" }, "InvalidParameter"],
    ["a JSON array body", { body: "[1,2]" }, "InvalidParameter"],
    ["a wrong content type", { body: "{}", contentType: "text/plain" }, "InvalidParameter"],
    ["an unknown action", { action: "DeleteEverything", body: "{}" }, "InvalidAction"],
    ["a wrong version", { version: "2020-01-01", body: "{}" }, "NoSuchVersion"],
    ["no action header", { body: "{}", omit: ["X-TC-Action"] }, "MissingParameter"],
    ["no region header", { body: "{}", omit: ["X-TC-Region"] }, "MissingParameter"],
    ["no Authorization", { body: "{}", omit: ["Authorization"] }, "AuthFailure.InvalidAuthorization"],
    ["a JobId of the wrong type", { body: '{"JobId":123}' }, "InvalidParameter"],
    ["an unknown parameter", { body: '{"JobId":"1","Extra":1}' }, "UnknownParameter"],
    ["no JobId", { body: "{}" }, "MissingParameter"],
    ["JSON nested 100,000 deep", { body: `{"JobId":${"[".repeat(100_000)}${"]".repeat(100_000)}}` }, "InvalidParameter"],
  ])("answers %s with %s in the service's envelope (HTTP 200)", async (_, call, code) => {
    const response = await send(await signedRequest(running.url, call));
    expect(response.status).toBe(200);
    const answer = await answerOf(response);
    expect(answer.Error?.Code).toBe(code);
    expect(answer.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses a body over 16 MB without reading it all, and keeps serving", async () => {
    const huge = new Uint8Array(17 * 1024 * 1024).fill(0x20);
    const answer = await answerOf(await send(await signedRequest(running.url, { body: huge })));
    expect(answer.Error?.Code).toBe("RequestSizeLimitExceeded");
    const after = await answerOf(await send(await signedRequest(running.url, { action: "SubmitImageAnimateJob", body: submitBody })));
    expect(after.JobId).toBeTruthy();
  });

  it("keeps serving after a barrage of bad requests, losing and duplicating nothing", async () => {
    const before = running.emulator.jobs.size;
    const bad = ["{", "[]", "null", '{"TemplateId":1}', '{"TemplateId":"ke3"}', "x".repeat(5000)];
    await Promise.all(bad.map(async (body) => send(await signedRequest(running.url, { action: "SubmitImageAnimateJob", body }))));
    const good = await Promise.all(
      Array.from({ length: 5 }, async () =>
        answerOf(await send(await signedRequest(running.url, { action: "SubmitImageAnimateJob", body: submitBody }))),
      ),
    );
    expect(new Set(good.map((a) => a.JobId)).size).toBe(5);
    expect(running.emulator.jobs.size).toBe(before + 5);
  });

  it("refuses header injection on the raw wire (a header smuggled in a value) and keeps serving", async () => {
    const { port } = new URL(running.url);
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.write(
          "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-TC-Action: DescribeImageAnimateJob\rX-Injected: 1\r\nContent-Length: 2\r\n\r\n{}",
        );
      });
      let text = "";
      socket.on("data", (chunk) => (text += chunk));
      socket.on("close", () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    const after = await answerOf(await send(await signedRequest(running.url, { body: '{"JobId":"1"}' })));
    expect(after.Error?.Code).toBe("FailedOperation.JobNotFound");
  });

  it("answers anything but POST / with a plain 404 that says what it is", async () => {
    const response = await fetch(new URL("/anything", running.url));
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("VCLM API emulator");
  });

  it("sends its clock in the Date header (the retry plugin corrects skew with it)", async () => {
    running.emulator.clock.advance(3600_000);
    const response = await send(
      await signedRequest(running.url, { body: '{"JobId":"1"}', timestamp: Math.floor(running.emulator.clock.now() / 1000) }),
    );
    expect(Math.abs(Date.parse(String(response.headers.get("date"))) - running.emulator.clock.now())).toBeLessThan(1500);
    running.emulator.clock.advance(-3600_000);
  });
});
