// The vclm CLI end to end: the real binary, against the embedded emulator or a running one.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { makePng } from "@vclm/tools/photos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, cliIn, temporaryCredentials } from "./cli-runner.js";

const sample = new URL("../../../samples/dancer.jpg", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "vclm-cli-"));
const square = join(dir, "square.png");
writeFileSync(square, makePng(800, 800));
const { vclm, start } = cliIn(dir);

/** A port on loopback where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
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
    // The embedded emulator's jobs end with the command: no resume hint that cannot work.
    expect(stderr).toMatch(
      /^job \d+ submitted; the embedded emulator ends with this command, and its jobs with it.*\n.*WAIT\n.*RUN\n.*DONE\n/s,
    );
    expect(stderr).not.toContain("vclm wait");
    expect(stderr).not.toContain("--image-url"); // a photo file: its video is of the photo
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

  it("reads VCLM_ENDPOINT and VCLM_REGION as animate() does, naming the variable when it is wrong; --emulator wins", async () => {
    const submitted = await vclm(["submit", sample], { ...demo, VCLM_ENDPOINT: running.url, VCLM_REGION: "ap-singapore" });
    expect(submitted.code).toBe(0);
    expect(running.emulator.jobs.find(submitted.stdout.trim())).toBeDefined();
    const bad = await vclm(["describe", "1"], { ...demo, VCLM_ENDPOINT: "localhost:8080" });
    expect([bad.code, bad.stderr]).toEqual([
      2,
      expect.stringMatching(/^vclm: VCLM_ENDPOINT must be an http\(s\) URL .*did you mean http:\/\/localhost:8080\?/),
    ]);
    const region = await vclm(["describe", "1"], { ...demo, VCLM_ENDPOINT: running.url, VCLM_REGION: "ap-singapor" });
    expect([region.code, region.stderr]).toEqual([
      2,
      expect.stringMatching(/^vclm: VCLM_REGION ap-singapor is not a region: did you mean ap-singapore\?/),
    ]);
    const embedded = await vclm(["describe", "1", "--emulator"], { VCLM_ENDPOINT: "http://127.0.0.1:9/" });
    expect(embedded.stderr).toContain("does not exist in the embedded emulator");
  }, 30_000);

  it.each([
    ["no command", [], 2, /^Usage: vclm/m],
    ["an unknown command", ["dance"], 2, /^vclm: unknown command "dance" \(commands: animate, submit, describe, wait, emulator, help\)\n$/],
    ["a misspelt command", ["animte", "x.jpg"], 2, /^vclm: unknown command "animte": did you mean animate\?/],
    ["a misspelt command after help", ["help", "wiat"], 2, /^vclm: unknown command "wiat": did you mean wait\?/],
    [
      "an unknown template",
      ["animate", "x.jpg", "--template", "salsa", "--emulator"],
      2,
      /^vclm: --template must be one of ke3, tuziwu, huajiangwu, not "salsa"\n$/,
    ],
    ["an unknown option", ["animate", "--colour", "red"], 2, /^vclm: unknown option --colour \(vclm animate --help lists the options\)\n$/],
    ["a misspelt option", ["animate", "x.jpg", "--tempalte", "ke3"], 2, /^vclm: unknown option --tempalte: did you mean --template\?/],
    ["an option missing its value", ["wait", "1", "--out"], 2, /^vclm: --out needs a value, as in --out dance\.mp4\n$/],
    [
      "an --endpoint that is not an http(s) URL",
      ["describe", "1", "--endpoint", "localhost:8080"],
      2,
      /^vclm: --endpoint must be an http\(s\) URL such as http:\/\/127\.0\.0\.1:8080, not "localhost:8080": did you mean http:\/\/localhost:8080\?\n$/,
    ],
    [
      "a misspelt region",
      ["describe", "1", "--region", "ap-singapor", "--emulator"],
      2,
      /^vclm: --region ap-singapor .*did you mean ap-singapore\?\n$/,
    ],
    [
      "a region that is not one",
      ["describe", "1", "--region", "singapore", "--emulator"],
      2,
      /^vclm: --region must be a region such as ap-singapore, not "singapore"\n$/,
    ],
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
  ])("answers %s with one message and its exit code, never a stack trace", async (_, args, code, message) => {
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

  it("a half-set environment is named, not skipped: a mistake in the setup, exit 2", async () => {
    const result = await vclm(["describe", "1", "--endpoint", running.url], { TENCENTCLOUD_SECRET_ID: DEMO_ACCOUNT.secretId });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^vclm: the environment is half set up: TENCENTCLOUD_SECRET_KEY not set: set TENCENTCLOUD_SECRET_KEY too/,
    );
    expect(result.stderr).toMatch(/Nothing was sent\.\n$/);
    expect(result.stderr).not.toContain(DEMO_ACCOUNT.secretId.slice(8)); // nor any secret
  });
});

describe("vclm, never losing a job or a file", () => {
  it("prints the JobId as soon as the job exists, even with --json, and every wait error carries it", async () => {
    // Temporary credentials that may Submit but not Describe: the job is made, and the first check
    // fails for good (UnauthorizedOperation), whatever the machine's speed.
    const slow = await startEmulator({ schedule: { waitMs: 10_000, runMs: 10_000 } });
    try {
      const env = await temporaryCredentials(slow.url, "cli", "vclm:SubmitImageAnimateJob");
      const result = await vclm(["animate", sample, "--endpoint", slow.url, "--json", "--out", "expired.mp4"], env);
      expect(result.code).toBe(1);
      const JobId = /^job (\d+) submitted/m.exec(result.stderr)?.[1];
      expect(JobId).toMatch(/^\d+$/);
      const report = JSON.parse(result.stdout);
      expect(report.JobId).toBe(JobId);
      expect(report.error.message).toContain(`job ${JobId} was submitted and may still finish`);
      expect(report.error.message).toContain("UnauthorizedOperation"); // the check that failed for good
      expect(result.stderr).toContain(`vclm: job ${JobId} was submitted`);
      // The command that picks it up, with what it needs to find the job and save its video.
      expect(result.stderr).toContain(`Pick it up with: vclm wait ${JobId} --out expired.mp4 --endpoint ${slow.url}\n`);
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
        /^vclm: the video could not be downloaded: 127\.0\.0\.1:\d+ answered application\/json, not a video; nothing was saved\. Job \d+ is done\. .*get it with: vclm wait \d+ --out impostor\.mp4 --endpoint \S+\n$/m,
      );
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(dir).filter((name) => name.includes("impostor"))).toEqual([]);
    } finally {
      await quick.close();
      impostor.close();
    }
  });

  it("a Submit whose answer was lost leads with what happened, then that the job may exist (exit 3)", async () => {
    await fetch(new URL("/_emulator/scenarios/lose-answer", running.url), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ count: 1, actions: ["SubmitImageAnimateJob"] }),
    });
    const result = await vclm(["submit", sample, "--endpoint", running.url], demo);
    expect(result.code).toBe(3);
    // What is known first: the connection broke, no answer came; then, as a sentence, the money and what to do.
    expect(result.stderr).toMatch(
      /^vclm: SubmitImageAnimateJob: the connection to \S+ broke before an answer came \([A-Z_]+[^)]*\)\. The request may have reached/,
    );
    expect(result.stderr).toMatch(
      /the job may exist and be paid for, though this call failed\. Do not submit the same photo again at once.*console first\.\n$/,
    );
    expect(result.stderr).not.toContain("could not reach");
  });
});

describe("vclm says what happened and what to do next", () => {
  it("a closed port: the connection was refused, nothing was sent, start the emulator", async () => {
    const port = await closedPort();
    const result = await vclm(["describe", "1", "--endpoint", `http://127.0.0.1:${port}`], demo);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/was refused: nothing listens there \(ECONNREFUSED\)/);
    expect(result.stderr).toMatch(/the request was not sent/);
    expect(result.stderr).toContain(`Is the emulator running? Start it with: vclm emulator --port ${port}.`);
    expect(result.stderr).not.toContain("--emulator instead"); // the embedded emulator cannot know a job of another command
    expect(result.stderr).not.toContain("fetch failed");
  });

  it("refuses, before any Submit, an --out the video could not be saved to, a photo with --image-url, and an --image-url that is no URL", async () => {
    const before = [...running.emulator.jobs.all()].length;
    const endpoint = ["--endpoint", running.url];
    mkdirSync(join(dir, "a-folder"), { recursive: true });
    for (const [args, says] of [
      [["animate", sample, ...endpoint, "--out", join(dir, "no-such", "x.mp4")], /the folder .*no-such does not exist/],
      [["animate", sample, ...endpoint, "--out", join(dir, "a-folder"), "--force"], /is a folder: give the video's file name/],
      [["animate", sample, ...endpoint, "--out", "sub/"], /is a folder/],
      [["animate", sample, ...endpoint, "--image-url", "https://example.com/d.jpg"], /give a photo file or --image-url, not both/],
      [["submit", ...endpoint, "--image-url", "notaurl"], /--image-url must be an http\(s\) URL/],
      [["submit", ...endpoint], /give the photo: vclm submit/],
      [["describe", "1", "--endpoint", "http//127.0.0.1:18080"], /did you mean http:\/\/127\.0\.0\.1:18080\?/],
    ] as const) {
      const result = await vclm([...args], demo);
      expect([result.code, result.stderr], args.join(" ")).toEqual([2, expect.stringMatching(says)]);
    }
    expect([...running.emulator.jobs.all()].length).toBe(before);
  });

  it("a wait that cannot reach the service says so while it tries again, not nothing", async () => {
    const port = await closedPort();
    const env = { ...process.env, ...demo, VCLM_ENDPOINT: undefined, HOME: dir } as NodeJS.ProcessEnv;
    const result = await promisify(execFile)(
      process.execPath,
      [bin, "wait", "1194931538865782784", "--endpoint", `http://127.0.0.1:${port}`],
      {
        env,
        cwd: dir,
        timeout: 8_000,
      },
    ).catch((error) => error as { stderr: string });
    expect(result.stderr).toMatch(
      /job 1194931538865782784: cannot check it: .*was refused.*\. Trying again; the job itself is not affected\. Is the emulator running\?/,
    );
    expect(result.stderr).not.toContain("gave up after");
  }, 30_000);

  it("a port fetch blocks, and https to a plain http port: nothing was sent, so nothing may be paid for (exit 1, not 3)", async () => {
    for (const [endpoint, says] of [
      ["http://127.0.0.1:9", /fetch refuses to connect .* block.*the request was not sent.*use another/s],
      [running.url.replace("http:", "https:"), /TLS connection .* failed.*the request was not sent.*does not speak HTTPS/s],
    ] as const) {
      const result = await vclm(["animate", sample, "--endpoint", endpoint, "--out", "never.mp4"], demo);
      expect([result.code, result.stderr]).toEqual([1, expect.stringMatching(says)]);
      expect(result.stderr).not.toMatch(/may have reached|paid for/);
    }
  }, 30_000);

  it("vclm wait on a JobId the service does not know: it does not exist in this account and region (exit 2), not a paid job", async () => {
    const result = await vclm(["wait", "4242424242", "--endpoint", running.url, "--out", "never.mp4"], demo);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^vclm: job 4242424242 does not exist in this account and region \(ap-singapore/);
    expect(result.stderr).toContain("FailedOperation.JobNotFound");
    expect(result.stderr).not.toMatch(/may still finish|paid for|job \d+ was submitted/);
    const embedded = await vclm(["wait", "4242424242", "--emulator"]);
    expect(embedded.code).toBe(2);
    expect(embedded.stderr).toMatch(/does not exist in the embedded emulator .*starts empty each time/);
  });

  it("the resume hint carries --out, --endpoint and a --region other than the default", async () => {
    const started = start(["animate", sample, "--endpoint", running.url, "--region", "ap-tokyo", "--out", "far away.mp4"], demo);
    const { code, stderr } = await started.done;
    expect(code).toBe(0);
    expect(stderr).toMatch(/^note: VCLM is documented in ap-singapore only; sending to ap-tokyo as asked\n/);
    expect(stderr).toMatch(
      new RegExp(
        `pick it up with: vclm wait \\d+ --out 'far away\\.mp4' --endpoint ${running.url.replaceAll(".", "\\.")} --region ap-tokyo\n`,
      ),
    );
  }, 30_000);

  it("Ctrl-C while waiting: exit 130, saying the job may still finish and the command that picks it up", async () => {
    const slow = await startEmulator({ schedule: { waitMs: 10_000, runMs: 10_000 } });
    try {
      const started = start(["animate", sample, "--endpoint", slow.url, "--out", "interrupted.mp4"], demo);
      const [, JobId] = await started.stderrMatch(/^job (\d+) submitted/m);
      await started.stderrMatch(/: WAIT\n/);
      started.child.kill("SIGINT");
      const { code, stderr } = await started.done;
      expect(code).toBe(130);
      expect(stderr).toMatch(/vclm: Ctrl-C: stopped waiting\. /);
      expect(stderr).toContain(
        `Job ${JobId} may still finish (it is paid for): pick it up with: vclm wait ${JobId} --out interrupted.mp4 --endpoint ${slow.url}\n`,
      );
    } finally {
      await slow.close();
    }
  }, 30_000);

  it("Ctrl-C while the Submit is on its way: its answer is awaited, so the JobId is said, then exit 130", async () => {
    const slow = await startEmulator({ schedule: { waitMs: 10_000, runMs: 10_000 } });
    // In front of it, a proxy that holds each Submit 1.5 s before passing it on, and says when one came.
    let arrived: () => void = () => {};
    const submitted = new Promise<void>((resolve) => (arrived = resolve));
    const proxy = createServer((request, response) => {
      const held = request.headers["x-tc-action"] === "SubmitImageAnimateJob" ? 1_500 : 0;
      if (held) arrived();
      setTimeout(() => {
        const upstream = httpRequest(
          new URL(request.url ?? "/", slow.url),
          { method: request.method, headers: request.headers },
          (answer) => {
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(response);
          },
        );
        request.pipe(upstream);
      }, held);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/`;
    try {
      const started = start(["animate", sample, "--endpoint", endpoint, "--out", "mid-submit.mp4"], demo);
      await submitted;
      await new Promise((resolve) => setTimeout(resolve, 200));
      started.child.kill("SIGINT");
      const { code, stderr } = await started.done;
      expect(code).toBe(130);
      expect(stderr).toMatch(/^Ctrl-C: the Submit is on its way: waiting for its answer/m);
      const JobId = /^job (\d+) submitted/m.exec(stderr)?.[1];
      expect(JobId).toMatch(/^\d+$/);
      expect(stderr).toContain(
        `vclm: Ctrl-C: stopped after the Submit. Job ${JobId} may still finish (it is paid for): pick it up with: vclm wait ${JobId} --out mid-submit.mp4 --endpoint ${endpoint}\n`,
      );
    } finally {
      proxy.closeAllConnections();
      proxy.close();
      await slow.close();
    }
  }, 30_000);

  it("Ctrl-C while saving: exit 130, naming the .part kept and the command that goes on from it", async () => {
    // The video's server sends 64 KB of 1 MB, then nothing more.
    const stall = createServer((_, response) => {
      response.writeHead(200, { "content-type": "video/mp4", "content-length": String(1024 * 1024), etag: '"v1"' });
      response.write(Buffer.alloc(64 * 1024));
    });
    await new Promise<void>((resolve) => stall.listen(0, "127.0.0.1", resolve));
    const quick = await startEmulator({
      schedule: { waitMs: 0, runMs: 0 },
      publicUrl: `http://127.0.0.1:${(stall.address() as AddressInfo).port}`,
    });
    try {
      const JobId = (await vclm(["submit", sample, "--endpoint", quick.url], demo)).stdout.trim();
      const started = start(["wait", JobId, "--endpoint", quick.url, "--out", "cut.mp4"], demo);
      await started.stderrMatch(/DONE\n/);
      for (let waited = 0; !readdirSync(dir).some((name) => name.endsWith(".part")) && waited < 5_000; waited += 50)
        await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 200));
      started.child.kill("SIGINT");
      const { code, stderr } = await started.done;
      expect(code).toBe(130);
      const part = readdirSync(dir).find((name) => name.startsWith(".vclm-") && name.endsWith(".part"));
      expect(stderr).toMatch(/vclm: Ctrl-C: stopped saving the video\. /);
      expect(stderr).toContain(`${join(dir, part as string)}, and the command below goes on from there`);
      expect(stderr).toContain(`get it with: vclm wait ${JobId} --out cut.mp4 --endpoint ${quick.url}\n`);
      expect(existsSync(join(dir, "cut.mp4"))).toBe(false);
    } finally {
      await quick.close();
      stall.closeAllConnections();
      stall.close();
    }
  }, 30_000);

  it("a second run with the default name saves to the next free name, and says so; an explicit --out is still refused", async () => {
    const photo = join(dir, "twice.jpg");
    writeFileSync(photo, readFileSync(sample));
    const first = await vclm(["animate", "twice.jpg", "--endpoint", running.url], demo);
    expect(first.code).toBe(0);
    const second = await vclm(["animate", "twice.jpg", "--endpoint", running.url], demo);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/^note: twice-ke3\.mp4 exists: this video goes to twice-ke3-2\.mp4/);
    expect(second.stdout).toMatch(new RegExp(`^Saved ${join(dir, "twice-ke3-2.mp4").replaceAll(".", "\\.")} `));
    expect(second.stderr).toContain("--out twice-ke3-2.mp4"); // the resume hint names the file it goes to
    expect(readFileSync(join(dir, "twice-ke3-2.mp4")).subarray(4, 8).toString()).toBe("ftyp");
    const explicit = await vclm(["animate", "twice.jpg", "--endpoint", running.url, "--out", "twice-ke3.mp4"], demo);
    expect(explicit.code).toBe(2);
    expect(explicit.stderr).toBe("vclm: twice-ke3.mp4 exists: pick another --out, or add --force to replace it\n");
  }, 60_000);

  it("two photos that map to one default name, animated at the same instant: two files, neither written over", async () => {
    mkdirSync(join(dir, "a"), { recursive: true });
    mkdirSync(join(dir, "b"), { recursive: true });
    writeFileSync(join(dir, "a", "same.jpg"), readFileSync(sample));
    writeFileSync(join(dir, "b", "same.png"), readFileSync(sample)); // same.jpg and same.png: both same-ke3.mp4
    const runs = await Promise.all(["a/same.jpg", "b/same.png"].map((photo) => vclm(["animate", photo, "--endpoint", running.url], demo)));
    expect(runs.map((run) => run.code)).toEqual([0, 0]);
    const saved = runs.map((run) => /^Saved (\S+) /.exec(run.stdout)?.[1]).sort();
    expect(saved).toEqual([join(dir, "same-ke3-2.mp4"), join(dir, "same-ke3.mp4")]);
    for (const path of saved)
      expect(
        readFileSync(path as string)
          .subarray(4, 8)
          .toString(),
      ).toBe("ftyp");
  }, 60_000);

  it("--image-url against the embedded emulator says, in one line, that the video is not of the photo", async () => {
    const { code, stderr } = await vclm(["animate", "--image-url", "https://example.com/dancer.jpg", "--emulator", "--out", "url.mp4"]);
    expect(code).toBe(0);
    const notes = stderr.split("\n").filter((line) => line.includes("--image-url"));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/emulator does not fetch --image-url photos.*not your photo/);
  }, 30_000);

  it.each([
    ["too square", [800, 800], /crop it to a portrait .*: for this 800-high photo, between 400 and 666 px wide/],
    ["a long edge over 2056 px", [1200, 2400], /its long edge must be at most 2056 px: scale it down to 1028×2056 px or smaller/],
  ])("a refused photo (%s) says what to do, and that no job was submitted", async (_, [width, height], advice) => {
    writeFileSync(join(dir, "refused.png"), makePng(width as number, height as number));
    const { code, stderr } = await vclm(["animate", "refused.png", "--emulator"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(advice);
    expect(stderr).toMatch(/no job was submitted\)\n$/);
  });

  it.each(["animate", "submit", "describe", "wait"])(
    "%s --help (and help <command>) prints that command's usage, options and an example",
    async (command) => {
      const own = await vclm([command, "--help"]);
      expect(own.code).toBe(0);
      expect(own.stdout).toMatch(new RegExp(`^Usage: vclm ${command} `));
      expect(own.stdout).toMatch(/\nOptions:\n {2}--/);
      expect(own.stdout).toMatch(new RegExp(`\nExample:\n {2}vclm ${command} `));
      expect((await vclm(["help", command])).stdout).toBe(own.stdout);
    },
  );

  it("help is --help", async () => {
    const [help, dashed] = await Promise.all([vclm(["help"]), vclm(["--help"])]);
    expect([help.code, dashed.code]).toEqual([0, 0]);
    expect(help.stdout).toBe(dashed.stdout);
    expect(help.stdout).toMatch(/^Usage: vclm <command>/);
  });
});
