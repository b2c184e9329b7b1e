// The vclm CLI end to end: the real binary, against the embedded emulator or a running one.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { STS } from "@vclm/core/sts";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { sign } from "@vclm/signer";
import { makePng } from "@vclm/tools/photos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** A signed raw call to an emulator, for what the CLI does not do itself (issuing STS credentials). */
async function signedRequest(url: string, action: string, body: object): Promise<Request> {
  const text = JSON.stringify(body);
  const headers = await sign(
    {
      host: new URL(url).hostname,
      headers: { "X-TC-Action": action, "X-TC-Version": STS.version, "X-TC-Region": "ap-singapore" },
      body: text,
    },
    { credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey }, service: STS.service },
  );
  return new Request(url, { method: "POST", headers, body: text });
}

const bin = new URL("../bin/vclm.js", import.meta.url).pathname;
const sample = new URL("../../../samples/dancer.jpg", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "vclm-cli-"));
const square = join(dir, "square.png");
const NO_METADATA = "http://127.0.0.1:9/latest/meta-data/"; // the discard port: nothing listens
writeFileSync(square, makePng(800, 800));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}
async function vclm(args: string[], env: Record<string, string | undefined> = {}): Promise<Result> {
  // The credential chain sees only what a test sets: a home of its own, no TKE, and for the
  // metadata service a loopback port where nothing listens (nothing leaves this machine).
  const environment = {
    ...process.env,
    TENCENTCLOUD_SECRET_ID: undefined,
    TENCENTCLOUD_SECRET_KEY: undefined,
    TENCENTCLOUD_SESSION_TOKEN: undefined,
    TKE_REGION: undefined,
    TKE_PROVIDER_ID: undefined,
    TKE_WEB_IDENTITY_TOKEN_FILE: undefined,
    TKE_ROLE_ARN: undefined,
    HOME: dir,
    VCLM_METADATA_ENDPOINT: NO_METADATA,
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
    const size = readFileSync(join(dir, "dancer-tuziwu.mp4")).byteLength;
    expect(stdout).toBe(
      `Saved ${join(dir, "dancer-tuziwu.mp4")} (${(size / 1024 / 1024).toFixed(1)} MB (${size.toLocaleString("en-US")} bytes), job ${/job (\d+)/.exec(stdout)?.[1]}, template tuziwu).\n`,
    );
    expect(stderr).toMatch(/^job \d+ submitted; if this stops, pick it up with: vclm wait \d+\n.*WAIT\n.*RUN\n.*DONE\n/s);
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
      new RegExp(
        "^vclm: no credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY \\(a Tencent Cloud API key\\), or set up another source. Tried, in order:\n" +
          "  1\\. environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set\n" +
          "  2\\. profile file: neither .*/\\.tencentcloud/credentials nor /etc/tencentcloud/credentials exists\n" +
          "  3\\. CVM instance role: the metadata service at http://127\\.0\\.0\\.1:9 did not answer \\(not a CVM\\)\n" +
          "  4\\. TKE web identity: TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN are not set\n" +
          "Or add --emulator to try it locally\\.\n$",
      ),
    ],
  ])("answers %s with one message and exit code %i, never a stack trace", async (_, args, code, message) => {
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

describe("vclm finds credentials where the official SDKs do", () => {
  it("in ~/.tencentcloud/credentials", async () => {
    const home = join(dir, "profile-home");
    mkdirSync(join(home, ".tencentcloud"), { recursive: true });
    writeFileSync(
      join(home, ".tencentcloud/credentials"),
      `[default]\nsecret_id = ${DEMO_ACCOUNT.secretId}\nsecret_key = ${DEMO_ACCOUNT.secretKey}\n`,
    );
    const result = await vclm(["submit", sample, "--endpoint", running.url], { HOME: home });
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^\d+\n$/);
  });

  it("from the CVM instance role, through the metadata service", async () => {
    const cvm = await startEmulator({ instanceRole: { roleName: "vclm-cli" }, schedule: { waitMs: 300, runMs: 700 } });
    try {
      const result = await vclm(["submit", sample, "--endpoint", cvm.url], { VCLM_METADATA_ENDPOINT: `${cvm.url}latest/meta-data/` });
      expect(result.stderr).toBe("");
      const JobId = result.stdout.trim();
      expect(cvm.emulator.jobs.find(JobId)?.accountId).toBe(DEMO_ACCOUNT.accountId);
      expect(cvm.emulator.snapshot().temporary.map((c) => c.issuedBy)).toEqual(["instance role"]);
    } finally {
      await cvm.close();
    }
  });

  it("a half-set environment is named, not skipped", async () => {
    const result = await vclm(["describe", "1", "--endpoint", running.url], { TENCENTCLOUD_SECRET_ID: DEMO_ACCOUNT.secretId });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^vclm: credentials input is invalid, nothing was sent: .*the environment is half set up: TENCENTCLOUD_SECRET_KEY not set\n$/,
    );
  });
});

describe("vclm, never losing a job or a file", () => {
  it("prints the JobId as soon as the job exists, even with --json, and every wait error carries it", async () => {
    // Temporary credentials that may Submit but not Describe: the job is made, and the first check
    // fails for good (UnauthorizedOperation), whatever the machine's speed.
    const slow = await startEmulator({ schedule: { waitMs: 10_000, runMs: 10_000 } });
    try {
      const sts = await fetch(
        await signedRequest(slow.url, "GetFederationToken", {
          Name: "cli",
          Policy: '{"version":"2.0","statement":[{"effect":"allow","action":"vclm:SubmitImageAnimateJob","resource":"*"}]}',
          DurationSeconds: 1800,
        }),
      );
      const { Credentials } = (await sts.json()).Response;
      const env = {
        TENCENTCLOUD_SECRET_ID: Credentials.TmpSecretId,
        TENCENTCLOUD_SECRET_KEY: Credentials.TmpSecretKey,
        TENCENTCLOUD_SESSION_TOKEN: Credentials.Token,
      };
      const result = await vclm(["animate", sample, "--endpoint", slow.url, "--json", "--out", "expired.mp4"], env);
      expect(result.code).toBe(1);
      const JobId = /^job (\d+) submitted/m.exec(result.stderr)?.[1];
      expect(JobId).toMatch(/^\d+$/);
      const report = JSON.parse(result.stdout);
      expect(report.JobId).toBe(JobId);
      expect(report.error.message).toContain(`job ${JobId} was submitted and may still finish`);
      expect(report.error.message).toContain("UnauthorizedOperation"); // the check that failed for good
      expect(result.stderr).toContain(`vclm: job ${JobId} was submitted`);
    } finally {
      await slow.close();
    }
  }, 30_000);

  it("never writes over an existing file unless --force, and refuses before submitting anything", async () => {
    writeFileSync(join(dir, "notes.txt"), "my notes");
    const jobs = async () => ((await (await fetch(new URL("/_emulator/jobs", running.url))).json()) as unknown[]).length;
    const before = await jobs();
    const refused = await vclm(["animate", sample, "--endpoint", running.url, "--out", "notes.txt"], demo);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe("vclm: notes.txt exists: pick another --out, or add --force to replace it\n");
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("my notes");
    expect(await jobs()).toBe(before);
    const forced = await vclm(["animate", sample, "--endpoint", running.url, "--out", "notes.txt", "--force"], demo);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, "notes.txt")).subarray(4, 8).toString()).toBe("ftyp");
    expect(readdirSync(dir).filter((name) => name.endsWith(".part"))).toEqual([]);
  }, 30_000);

  it("refuses a download that is not a video (a JSON error with status 200) in one line, exit 1, and saves nothing", async () => {
    // The video URLs point at a server that answers every request with a JSON error and HTTP 200.
    const { createServer } = await import("node:http");
    const impostor = createServer((_, response) => {
      response.writeHead(200, { "content-type": "application/json" }).end('{"Response":{"Error":{"Code":"ResourceNotFound"}}}');
    });
    await new Promise<void>((resolve) => impostor.listen(0, "127.0.0.1", resolve));
    const publicUrl = `http://127.0.0.1:${(impostor.address() as { port: number }).port}`;
    const quick = await startEmulator({ schedule: { waitMs: 0, runMs: 0 }, publicUrl });
    try {
      const submitted = await vclm(["submit", sample, "--endpoint", quick.url], demo);
      const JobId = submitted.stdout.trim();
      const result = await vclm(["wait", JobId, "--endpoint", quick.url, "--out", "impostor.mp4"], demo);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^vclm: the video could not be downloaded: 127\.0\.0\.1:\d+ answered application\/json, not a video; nothing was saved\n$/m,
      );
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(dir).filter((name) => name.includes("impostor"))).toEqual([]);
    } finally {
      await quick.close();
      impostor.close();
    }
  });

  it("says the job may exist when a Submit's answer is lost, rather than only 'could not reach'", async () => {
    await fetch(new URL("/_emulator/scenarios/lose-answer", running.url), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ count: 1, actions: ["SubmitImageAnimateJob"] }),
    });
    const result = await vclm(["submit", sample, "--endpoint", running.url], demo);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^vclm: .*the job may exist and be paid for, though this call failed\. Do not submit the same photo again at once.*console first\.\n$/,
    );
  });
});
