// Faults on demand, over real HTTP: 5xx answers, dropped connections, answers lost after the job
// was created, latency, failed photos; set in code or through the admin API.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../src/node.js";
import { answerOf, signedRequest } from "./signed.js";

let running: RunningEmulator;
beforeEach(async () => {
  running = await startEmulator({ clock: "manual", limits: { requestsPerSecond: 1000 } });
  running.emulator.clock.set(Date.now());
});
afterEach(() => running.close());

const submit = async (ImageUrl = "https://example.com/a.jpg") =>
  fetch(await signedRequest(running.url, { action: "SubmitImageAnimateJob", body: JSON.stringify({ TemplateId: "ke3", ImageUrl }) }));
const admin = (path: string, body: unknown = {}) =>
  fetch(new URL(`/_emulator/${path}`, running.url), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

describe("scenarios", () => {
  it("answers the next calls with a 5xx from 'the gateway', without processing them", async () => {
    running.emulator.scenarios.serverError(502, { count: 2 });
    expect((await submit()).status).toBe(502);
    expect((await submit()).status).toBe(502);
    expect((await submit()).status).toBe(200);
    expect(running.emulator.jobs.size).toBe(1);
  });

  it("drops a connection before processing: no answer, no job", async () => {
    await admin("scenarios/drop-connection", { count: 1, actions: ["SubmitImageAnimateJob"] });
    await expect(submit()).rejects.toThrow();
    expect(running.emulator.jobs.size).toBe(0);
  });

  it("loses the answer after the job was created: no answer, one job", async () => {
    await admin("scenarios/lose-answer", { count: 1 });
    await expect(submit()).rejects.toThrow();
    expect(running.emulator.jobs.size).toBe(1);
  });

  it("adds latency to the actions named", async () => {
    running.emulator.scenarios.latency(150, { actions: ["SubmitImageAnimateJob"] });
    const start = Date.now();
    await submit();
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
  });

  it("fails every job with a given photo, through the admin API, and moves the clock on request", async () => {
    await admin("scenarios/fail-photo", { photo: "https://example.com/bad.jpg", code: "FailedOperation.ImageManyPeople" });
    const bad = await answerOf(await submit("https://example.com/bad.jpg"));
    const good = await answerOf(await submit("https://example.com/good.jpg"));
    await admin("clock", { advanceMs: 20_000 });
    const describe = async (JobId: unknown) =>
      answerOf(
        await fetch(
          await signedRequest(running.url, { body: JSON.stringify({ JobId }), timestamp: Math.floor(running.emulator.clock.now() / 1000) }),
        ),
      );
    expect(await describe(bad.JobId)).toMatchObject({ Status: "FAIL", ErrorCode: "FailedOperation.ImageManyPeople" });
    expect(await describe(good.JobId)).toMatchObject({ Status: "DONE" });
    const jobs = await (await fetch(new URL("/_emulator/jobs", running.url))).json();
    expect(jobs.map((j: { Status: string }) => j.Status).sort()).toEqual(["DONE", "FAIL"]);
    await admin("scenarios/reset");
  });

  it("limits requests per second per account and action", async () => {
    await running.close();
    running = await startEmulator({ clock: "manual", limits: { requestsPerSecond: 3 } });
    running.emulator.clock.set(Date.now());
    const codes = [];
    for (let i = 0; i < 5; i++)
      codes.push((await answerOf(await fetch(await signedRequest(running.url, { body: '{"JobId":"1"}' })))).Error?.Code);
    expect(codes).toEqual([
      "FailedOperation.JobNotFound",
      "FailedOperation.JobNotFound",
      "FailedOperation.JobNotFound",
      "RequestLimitExceeded",
      "RequestLimitExceeded",
    ]);
  });
});
