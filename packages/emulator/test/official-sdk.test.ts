// The proof that the emulator speaks the real protocol: Tencent's own Node SDKs, unmodified, with
// TC3 signing, run against it. tencentcloud-sdk-nodejs-intl-en's VclmClient for VCLM, and
// tencentcloud-sdk-nodejs-common's CommonClient for STS.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { makePng } from "@vclm/tools/photos";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../src/node.js";
import { routeTencentToLoopback } from "./loopback-dns.js";

const require = createRequire(import.meta.url);
const VclmSdkClient = require("tencentcloud-sdk-nodejs-intl-en/tencentcloud/vclm/v20240523/vclm_client.js");
const ClientProfile = require("tencentcloud-sdk-nodejs-intl-en/tencentcloud/common/profile/client_profile.js");
const HttpProfile = require("tencentcloud-sdk-nodejs-intl-en/tencentcloud/common/profile/http_profile.js");
const { CommonClient } = require("tencentcloud-sdk-nodejs-common");

const ROOT = { secretId: "AKIDofficialSdkRoot0000000000000000", secretKey: "official-sdk-root-secret-key-000000" };
const OTHER = { secretId: "AKIDofficialSdkOther000000000000000", secretKey: "official-sdk-other-secret-key-00000" };
const png = (w: number, h: number) => Buffer.from(makePng(w, h)).toString("base64");

let running: RunningEmulator;
let port: string;
let restoreDns: () => void;

beforeAll(() => {
  restoreDns = routeTencentToLoopback();
});
// A fresh emulator per test, its manual clock starting at the real time the SDK signs with.
beforeEach(async () => {
  running = await startEmulator({ accounts: [ROOT, OTHER], clock: "manual", limits: { concurrentJobs: 3, requestsPerSecond: 50 } });
  port = new URL(running.url).port;
});
afterEach(() => running.close());
afterAll(() => restoreDns());

/** The official VCLM client, as a user would set it up, pointed at the emulator's port (through the test resolver, or at `endpoint`). */
function vclm(credential: { secretId: string; secretKey: string; token?: string }, endpoint = `vclm.intl.tencentcloudapi.com:${port}`) {
  const http = new HttpProfile();
  http.endpoint = endpoint;
  http.protocol = "http://";
  const client = new VclmSdkClient(credential, "ap-singapore", new ClientProfile("TC3-HMAC-SHA256", http));
  const call = (action: string) => (req: object) =>
    new Promise<Record<string, unknown>>((resolve, reject) =>
      client[action](req, (error: unknown, answer: Record<string, unknown>) => (error ? reject(error) : resolve(answer))),
    );
  return { submit: call("SubmitImageAnimateJob"), describe: call("DescribeImageAnimateJob") };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "no error",
    (error: { code?: string }) => error.code ?? String(error),
  );
const advance = (ms: number) => running.emulator.clock.advance(ms);

describe("the official Node SDK configured as users would: the emulator's address as its endpoint", () => {
  it.each(["127.0.0.1", "localhost"])("with endpoint %s:<port>, submits and follows the job to DONE", async (host) => {
    // The SDK signs for the service named by the endpoint's first label ("127", "localhost:<port>"),
    // which the emulator accepts from a local host only.
    const sdk = vclm(ROOT, `${host}:${port}`);
    const { JobId } = await sdk.submit({ TemplateId: "ke3", ImageBase64: png(600, 1000) });
    expect((await sdk.describe({ JobId })).Status).toBe("WAIT");
    advance(3_000);
    expect((await sdk.describe({ JobId })).Status).toBe("RUN");
    advance(12_000);
    const done = await sdk.describe({ JobId });
    expect(done.Status).toBe("DONE");
    expect(done.ResultVideoUrl).toMatch(/\/videos\/\d+\.mp4/);
  });

  it.each(["127.0.0.1", "localhost"])(
    "against the emulator's command line (vclm-emulator), with endpoint %s:<port>: Submit to DONE and the video",
    async (host) => {
      const child = spawn(process.execPath, [
        fileURLToPath(new URL("../bin/vclm-emulator.js", import.meta.url)),
        "--port",
        "0",
        "--wait-ms",
        "200",
        "--run-ms",
        "500",
        "--account",
        `${ROOT.secretId}:${ROOT.secretKey}`,
      ]);
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = "";
          child.stdout.on("data", (chunk) => {
            out += chunk;
            const match = /listening on (http:\/\/\S+)/.exec(out);
            if (match) resolve(match[1] as string);
          });
          child.once("exit", (code) => reject(new Error(`vclm-emulator exited with ${code}: ${out}`)));
        });
        const sdk = vclm(ROOT, `${host}:${new URL(url).port}`);
        const { JobId } = await sdk.submit({ TemplateId: "ke3", ImageBase64: png(600, 1000) });
        let done = await sdk.describe({ JobId });
        while (done.Status !== "DONE") {
          expect(["WAIT", "RUN"]).toContain(done.Status);
          await new Promise((resolve) => setTimeout(resolve, 100));
          done = await sdk.describe({ JobId });
        }
        const video = await fetch(done.ResultVideoUrl as string);
        expect(video.headers.get("content-type")).toBe("video/mp4");
        expect(new TextDecoder().decode((await video.arrayBuffer()).slice(4, 8))).toBe("ftyp");
      } finally {
        child.kill();
      }
    },
  );

  it("holds a request to a service name to the service's rule: a scope that names another service is refused", async () => {
    const { sign } = await import("@vclm/signer");
    const { fetchFrom } = await import("@vclm/tools/fetch-from");
    const body = JSON.stringify({ JobId: "1" });
    const headers = await sign(
      {
        host: "vclm.intl.tencentcloudapi.com",
        headers: { "X-TC-Action": "DescribeImageAnimateJob", "X-TC-Version": "2024-05-23", "X-TC-Region": "ap-singapore" },
        body,
      },
      { credentials: ROOT, service: "localhost" }, // what an SDK given localhost:<port> would name
    );
    // Sent by name (the test resolver maps it to loopback), as a request to the real service would be.
    const answer = await fetchFrom("127.0.0.1")(`http://vclm.intl.tencentcloudapi.com:${port}/`, { method: "POST", headers, body });
    expect((await answer.json()).Response.Error).toMatchObject({
      Code: "AuthFailure.SignatureFailure",
      Message: expect.stringContaining('names service "localhost"'),
    });
  });
});

describe("the official Node SDK against the emulator", () => {
  it("submits a photo and follows the job WAIT -> RUN -> DONE, then downloads a real MP4", async () => {
    const sdk = vclm(ROOT);
    const { JobId } = await sdk.submit({ TemplateId: "ke3", ImageBase64: png(600, 1000), EnableSegment: true });
    expect(JobId).toMatch(/^\d{16,20}$/);
    expect((await sdk.describe({ JobId })).Status).toBe("WAIT");
    advance(3_000);
    expect((await sdk.describe({ JobId })).Status).toBe("RUN");
    advance(12_000);
    const done = await sdk.describe({ JobId });
    expect(done).toMatchObject({ Status: "DONE", ErrorCode: "", ErrorMessage: "" });
    expect(done.MaskVideoUrl).toMatch(/\.mask\.mp4\?expires=\d+&signature=[0-9a-f]{64}$/);
    const video = await fetch(String(done.ResultVideoUrl));
    expect(video.headers.get("content-type")).toBe("video/mp4");
    const bytes = new Uint8Array(await video.arrayBuffer());
    expect(new TextDecoder().decode(bytes.subarray(4, 8))).toBe("ftyp");
    expect(bytes.length).toBeGreaterThan(10_000);
    advance(24 * 3600_000 + 1);
    expect((await fetch(String(done.ResultVideoUrl))).status).toBe(403);
  });

  it("gets the service's own error codes", async () => {
    const sdk = vclm(ROOT);
    expect(await codeOf(sdk.describe({ JobId: "1194931538865782784" }))).toBe("FailedOperation.JobNotFound");
    expect(await codeOf(sdk.submit({ TemplateId: "ke3", ImageBase64: png(900, 900) }))).toBe("FailedOperation.ImageRadioExcceed");
    expect(await codeOf(sdk.submit({ TemplateId: "ke3", ImageBase64: png(1100, 2100) }))).toBe("FailedOperation.ImageResolutionExceed");
    expect(await codeOf(sdk.submit({ TemplateId: "ke3", ImageBase64: Buffer.from("GIF89a not a photo").toString("base64") }))).toBe(
      "FailedOperation.ImageDecodeFailed",
    );
    expect(await codeOf(sdk.submit({ TemplateId: "kemusan", ImageUrl: "https://example.com/a.jpg" }))).toBe("InvalidParameterValue");
    expect(await codeOf(sdk.submit({ ImageUrl: "https://example.com/a.jpg" }))).toBe("MissingParameter");
    expect(await codeOf(sdk.submit({ TemplateId: "ke3" }))).toBe("MissingParameter");
    expect(await codeOf(sdk.submit({ TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg", EnableAudio: "yes" }))).toBe(
      "InvalidParameter",
    );
    expect(await codeOf(sdk.submit({ TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg", Colour: "red" }))).toBe("UnknownParameter");
  });

  it("fails a job with the code a scenario sets, and shows it in Describe", async () => {
    const sdk = vclm(ROOT);
    running.emulator.scenarios.failNextJob({ code: "FailedOperation.ImageDetectFaceFailed" });
    const { JobId } = await sdk.submit({ TemplateId: "tuziwu", ImageUrl: "https://example.com/a.jpg" });
    advance(15_000);
    expect(await sdk.describe({ JobId })).toMatchObject({
      Status: "FAIL",
      ErrorCode: "FailedOperation.ImageDetectFaceFailed",
      ResultVideoUrl: "",
    });
  });

  it("limits concurrent jobs per account, and keeps one account's jobs from another", async () => {
    const sdk = vclm(ROOT);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await sdk.submit({ TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" })).JobId);
    expect(await codeOf(sdk.submit({ TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" }))).toBe(
      "RequestLimitExceeded.JobNumExceed",
    );
    expect(await codeOf(vclm(OTHER).describe({ JobId: ids[0] }))).toBe("FailedOperation.JobNotFound");
    expect(await codeOf(vclm(OTHER).submit({ TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" }))).toBe("no error");
    advance(15_000);
    expect(await codeOf(sdk.submit({ TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" }))).toBe("no error");
  });

  it("refuses a wrong key, an unknown SecretId and a clock 10 minutes off", async () => {
    expect(await codeOf(vclm({ ...ROOT, secretKey: "wrong" }).describe({ JobId: "1" }))).toBe("AuthFailure.SignatureFailure");
    expect(await codeOf(vclm({ secretId: "AKIDnobody", secretKey: "x" }).describe({ JobId: "1" }))).toBe("AuthFailure.SecretIdNotFound");
    advance(10 * 60_000);
    expect(await codeOf(vclm(ROOT).describe({ JobId: "1" }))).toBe("AuthFailure.SignatureExpire");
    advance(-10 * 60_000);
  });

  it("issues STS temporary credentials that VCLM calls accept, within their policy, until they expire", async () => {
    const sts = new CommonClient("sts.intl.tencentcloudapi.com", "2018-08-13", {
      credential: ROOT,
      region: "ap-singapore",
      profile: { httpProfile: { endpoint: `sts.intl.tencentcloudapi.com:${port}`, protocol: "http://" } },
    });
    const policy = encodeURIComponent(
      JSON.stringify({ version: "2.0", statement: [{ effect: "allow", action: ["vclm:DescribeImageAnimateJob"], resource: "*" }] }),
    );
    const answer = await sts.request("GetFederationToken", { Name: "browser-user", Policy: policy, DurationSeconds: 1800 });
    expect(answer.Credentials).toMatchObject({ TmpSecretId: expect.stringMatching(/^AKIDtmp/), Token: expect.any(String) });
    expect(answer.ExpiredTime - Math.floor(running.emulator.clock.now() / 1000)).toBe(1800);

    const temporary = {
      secretId: answer.Credentials.TmpSecretId,
      secretKey: answer.Credentials.TmpSecretKey,
      token: answer.Credentials.Token,
    };
    const sdk = vclm(temporary);
    expect(await codeOf(sdk.describe({ JobId: "1" }))).toBe("FailedOperation.JobNotFound"); // allowed, and signed right
    expect(await codeOf(sdk.submit({ TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" }))).toBe("UnauthorizedOperation");
    expect(await codeOf(vclm({ ...temporary, token: undefined as unknown as string }).describe({ JobId: "1" }))).toBe(
      "AuthFailure.TokenFailure",
    );
    expect(await codeOf(vclm({ ...temporary, token: "forged" }).describe({ JobId: "1" }))).toBe("AuthFailure.TokenFailure");
    // Expiry: short-lived credentials, and a clock moved past them (but within the 5-minute signature window).
    const brief = await sts.request("GetFederationToken", { Name: "brief", Policy: policy, DurationSeconds: 60 });
    const briefSdk = vclm({
      secretId: brief.Credentials.TmpSecretId,
      secretKey: brief.Credentials.TmpSecretKey,
      token: brief.Credentials.Token,
    });
    expect(await codeOf(briefSdk.describe({ JobId: "1" }))).toBe("FailedOperation.JobNotFound");
    advance(61_000);
    expect(await codeOf(briefSdk.describe({ JobId: "1" }))).toBe("AuthFailure.TokenFailure");
    expect(await codeOf(sts.request("GetFederationToken", { Name: "too-long", Policy: policy, DurationSeconds: 7201 }))).toBe(
      "InvalidParameterValue",
    );

    const role = await sts.request("AssumeRole", { RoleArn: "qcs::cam::uin/100000000001:roleName/vclm", RoleSessionName: "worker" });
    expect(role.ExpiredTime - Math.floor(running.emulator.clock.now() / 1000)).toBe(7200);
    const assumed = vclm({
      secretId: role.Credentials.TmpSecretId,
      secretKey: role.Credentials.TmpSecretKey,
      token: role.Credentials.Token,
    });
    expect(await codeOf(assumed.submit({ TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" }))).toBe("no error");
  });
});
