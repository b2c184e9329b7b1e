// The vclm CLI end to end: the real binary, against the embedded emulator or a running one.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePng } from "../../core/test/photos.js";

const bin = new URL("../bin/vclm.js", import.meta.url).pathname;
const sample = new URL("../../../samples/dancer.jpg", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "vclm-cli-"));
const square = join(dir, "square.png");
writeFileSync(square, makePng(800, 800));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}
async function vclm(args: string[], env: Record<string, string | undefined> = {}): Promise<Result> {
  const environment = {
    ...process.env,
    TENCENTCLOUD_SECRET_ID: undefined,
    TENCENTCLOUD_SECRET_KEY: undefined,
    ...env,
  } as NodeJS.ProcessEnv;
  for (const key of Object.keys(environment)) if (environment[key] === undefined) delete environment[key];
  return promisify(execFile)(process.execPath, [bin, ...args], { env: environment, cwd: dir }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

let running: RunningEmulator;
const demo = { TENCENTCLOUD_SECRET_ID: DEMO_ACCOUNT.secretId, TENCENTCLOUD_SECRET_KEY: DEMO_ACCOUNT.secretKey };
beforeAll(async () => {
  running = await startEmulator({ schedule: { waitMs: 300, runMs: 700 } });
});
afterAll(async () => {
  await running.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("vclm", () => {
  it("animate --emulator: checks, submits, waits and saves a playable MP4, reporting progress", async () => {
    const { code, stdout, stderr } = await vclm(["animate", sample, "--template", "tuziwu", "--emulator"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Saved .*dancer-tuziwu\.mp4 \(27 KB, job \d+, template tuziwu\)\.\n$/);
    expect(stderr).toMatch(/WAIT\n.*RUN\n.*DONE\n/s);
    const video = readFileSync(join(dir, "dancer-tuziwu.mp4"));
    expect(video.subarray(4, 8).toString()).toBe("ftyp");
  }, 30_000);

  it("--json prints one JSON object", async () => {
    const { code, stdout } = await vclm(["animate", sample, "--emulator", "--json", "--out", "x.mp4"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ JobId: expect.stringMatching(/^\d+$/), Status: "DONE", file: join(dir, "x.mp4") });
  }, 30_000);

  it("submit, describe and wait against an endpoint, with credentials from the environment", async () => {
    const endpoint = ["--endpoint", running.url];
    const submitted = await vclm(["submit", sample, ...endpoint], demo);
    expect(submitted.code).toBe(0);
    const JobId = submitted.stdout.trim();
    expect(JobId).toMatch(/^\d+$/);
    expect((await vclm(["describe", JobId, ...endpoint], demo)).stdout).toMatch(/^(WAIT|RUN|DONE)/);
    const waited = await vclm(["wait", JobId, ...endpoint, "--out", "waited.mp4"], demo);
    expect(waited.stdout).toMatch(/^Saved .*waited\.mp4/);
    expect((await vclm(["describe", JobId, ...endpoint, "--json"], demo)).stdout).toContain('"Status":"DONE"');
  }, 30_000);

  it.each([
    ["no command", [], 2, /^Usage: vclm/m],
    ["an unknown command", ["dance"], 2, /^vclm: unknown command "dance": use animate, submit, describe, wait or emulator\n$/],
    [
      "an unknown template",
      ["animate", "x.jpg", "--template", "salsa", "--emulator"],
      2,
      /^vclm: --template must be one of ke3, tuziwu, huajiangwu, not "salsa"\n$/,
    ],
    ["an unknown option", ["animate", "--colour", "red"], 2, /^vclm: Unknown option '--colour'/],
    ["a missing photo", ["animate", "--emulator"], 2, /^vclm: give the photo/],
    ["a photo that is not there", ["animate", "nope.jpg", "--emulator"], 2, /^vclm: no such file: nope\.jpg\n$/],
    ["a bad JobId", ["describe", "abc", "--emulator"], 2, /^vclm: give the JobId, a number .* not "abc"\n$/],
    [
      "a photo the service would refuse",
      ["animate", "square.png", "--emulator"],
      1,
      /^vclm: FailedOperation\.ImageRadioExcceed: the photo is 800×800 px .* \(the service would refuse this photo: no job was submitted\)\n$/,
    ],
    [
      "no credentials and no endpoint",
      ["describe", "1"],
      2,
      /^vclm: no credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY .* or add --emulator to try it locally\n$/,
    ],
  ])("answers %s with one line and exit code %i, never a stack trace", async (_, args, code, message) => {
    const result = await vclm(args);
    expect(result.code).toBe(code);
    expect(code === 2 && args.length === 0 ? result.stdout : result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("runs the emulator's CLI as `vclm emulator`", async () => {
    const { code, stdout } = await vclm(["emulator", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("--data-dir");
  });
});
