// `--verbose`: the events of core's `observe` (each call, retry decision and status change), one
// readable line each on stderr, for every command that calls the service; never a secret.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { makePng } from "@vclm/tools/photos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliIn, temporaryCredentials } from "./cli-runner.js";

const SUBMIT = "SubmitImageAnimateJob";
const DESCRIBE = "DescribeImageAnimateJob";
const sample = new URL("../../../samples/dancer.jpg", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "vclm-verbose-"));
const { vclm, start } = cliIn(dir);
/** The start of a log line: the time of day, to the millisecond. */
const AT = String.raw`^\d\d:\d\d:\d\d\.\d{3} `;
const REQUEST_ID = "RequestId [0-9a-f-]{36}$";

let running: RunningEmulator;
/** Temporary credentials, so the token too is looked for where it must not be. */
let env: Record<string, string>;
beforeAll(async () => {
  running = await startEmulator({ schedule: { waitMs: 1_000, runMs: 3_000 }, photoVideos: false });
  env = await temporaryCredentials(running.url, "verbose", "vclm:*");
});
afterAll(async () => {
  await running.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What must never be on stderr: the key, the token, a signature, the photo's bytes as base64. */
function expectNoSecret(stderr: string): void {
  expect(stderr).not.toContain(env.TENCENTCLOUD_SECRET_KEY);
  expect(stderr).not.toContain(env.TENCENTCLOUD_SESSION_TOKEN);
  expect(stderr).not.toMatch(/Signature|TC3-HMAC-SHA256|Authorization|Credential=/i);
  expect(stderr).not.toContain(readFileSync(sample).toString("base64").slice(0, 40));
  expect(stderr).not.toMatch(/[A-Za-z0-9+/]{40,}/); // no base64 of anything else either
}

describe("vclm --verbose", () => {
  it("animate: the Submit with its RequestId and time, a retry decision when throttled and after a 503, each status; no secret", async () => {
    running.emulator.scenarios.chaos({ rate: 1, kinds: ["throttle"], actions: [SUBMIT] });
    running.emulator.scenarios.serverError(503, { count: 1, actions: [DESCRIBE] });
    const cli = start(["animate", sample, "--endpoint", running.url, "--out", "verbose.mp4", "--verbose"], env);
    // Throttled until the CLI says it will try again; then the service lets it in.
    await cli.stderrMatch(
      new RegExp(`${AT}${SUBMIT}: attempt 1 failed \\(RequestLimitExceeded\\), trying again in [\\d.]+ s \\(throttled\\)$`, "m"),
    );
    running.emulator.scenarios.chaos({ rate: 0 });
    const { code, stderr } = await cli.done;
    expect(code, stderr).toBe(0);

    const JobId = /^job (\d+) submitted/m.exec(stderr)?.[1] as string;
    expect(stderr).toMatch(new RegExp(`${AT}${SUBMIT}: 200 JobId ${JobId} in \\d+ ms \\(\\d attempts\\) · ${REQUEST_ID}`, "m"));
    // The 503 (the gateway's, not processed): a Describe is tried again, and its line says two attempts.
    expect(stderr).toMatch(new RegExp(`${AT}${DESCRIBE}: attempt 1 failed \\(\\w+\\), trying again in [\\d.]+ s \\(transient\\)$`, "m"));
    expect(stderr).toMatch(new RegExp(`${AT}${DESCRIBE}: 200 JobId \\d+ WAIT in \\d+ ms \\(2 attempts\\) · ${REQUEST_ID}`, "m"));
    // Each status change the wait saw, as the progress lines say them, from WAIT to DONE.
    const logged = [...stderr.matchAll(new RegExp(`${AT}job ${JobId}: (\\w+) after \\d+ s$`, "gm"))].map((match) => match[1]);
    const progress = [...stderr.matchAll(new RegExp(`^job ${JobId}: (\\w+)$`, "gm"))].map((match) => match[1]);
    expect(logged).toEqual(progress);
    expect([logged[0], logged.at(-1)]).toEqual(["WAIT", "DONE"]);
    expectNoSecret(stderr);
  }, 60_000);

  it("submit, describe and wait: a line per call with its RequestId; without --verbose, none", async () => {
    const endpoint = ["--endpoint", running.url];
    const submitted = await vclm(["submit", sample, ...endpoint, "--verbose"], env);
    const JobId = submitted.stdout.trim();
    expect(submitted.stderr).toMatch(new RegExp(`${AT}${SUBMIT}: 200 JobId ${JobId} in \\d+ ms · ${REQUEST_ID}`, "m"));
    const described = await vclm(["describe", JobId, ...endpoint, "--verbose"], env);
    expect(described.stderr).toMatch(new RegExp(`${AT}${DESCRIBE}: 200 JobId ${JobId} (WAIT|RUN|DONE) in \\d+ ms · ${REQUEST_ID}`, "m"));
    const waited = await vclm(["wait", JobId, ...endpoint, "--verbose"], env);
    expect(waited.stderr).toMatch(new RegExp(`${AT}job ${JobId}: DONE after \\d+ s$`, "m"));
    // A call that fails: its line says so (WARN), with the service's code and RequestId.
    const unknown = await vclm(["describe", "1194931538865782784", ...endpoint, "--verbose"], env);
    expect(unknown.stderr).toMatch(
      new RegExp(`${AT}WARN ${DESCRIBE} failed: .*FailedOperation\\.JobNotFound.*RequestId [0-9a-f-]{36}.* in \\d+ ms$`, "m"),
    );
    for (const { stderr } of [submitted, described, waited, unknown]) expectNoSecret(stderr);
    const quiet = await vclm(["describe", JobId, ...endpoint], env);
    expect(quiet.stderr).toBe("");
  }, 60_000);

  it("many photos: the calls as lines, each batch event once, and no second line per status", async () => {
    const photos = join(dir, "photos");
    mkdirSync(photos, { recursive: true });
    for (let i = 0; i < 3; i++) writeFileSync(join(photos, `p${i}.png`), makePng(600 + i, 1000));
    const { code, stderr } = await vclm(["animate", photos, "--out-dir", join(dir, "videos"), "--endpoint", running.url, "--verbose"], env);
    expect(code, stderr).toBe(0);
    const lines = stderr.split("\n");
    for (let i = 0; i < 3; i++) {
      expect(lines.filter((line) => line.startsWith(`p${i}.png: submitted, job `))).toHaveLength(1);
      expect(lines.filter((line) => line.startsWith(`p${i}.png: saved `))).toHaveLength(1);
    }
    expect(lines.filter((line) => new RegExp(`${AT}${SUBMIT}: 200 JobId \\d+ in \\d+ ms · ${REQUEST_ID}`).test(line))).toHaveLength(3);
    // The batch's own lines say each photo's events and status: observe's batch and job lines are not said again.
    expect(stderr).not.toMatch(new RegExp(`${AT}p\\d\\.png: `, "m"));
    expect(stderr).not.toMatch(/job \d+: \w+ after \d+ s/);
    expectNoSecret(stderr);
  }, 60_000);
});
