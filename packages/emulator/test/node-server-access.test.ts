// Who may do what through the Node server, over its real HTTP: temporary credentials get exactly
// what their CAM policy grants, read as CAM reads it (deny wins, wildcards, name/ prefixes; a
// malformed policy is answered, not thrown), the data directory is readable by its owner only, and
// no web page can drive the admin API.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../src/node.js";
import { answerOf, signedRequest } from "./signed.js";

let running: RunningEmulator;
beforeAll(async () => {
  running = await startEmulator({ cors: true });
});
afterAll(() => running.close());

const submitBody = JSON.stringify({ TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" });

/** Temporary credentials issued under `policy` (any JSON value, sent as GetFederationToken's Policy), or the error. */
async function federate(policy: unknown) {
  const response = await fetch(
    await signedRequest(running.url, {
      action: "GetFederationToken",
      version: "2018-08-13",
      body: JSON.stringify({ Name: "t", Policy: typeof policy === "string" ? policy : JSON.stringify(policy) }),
    }),
  );
  expect(response.status).toBe(200);
  const answer = await answerOf(response);
  if (answer.Error) return answer.Error;
  const { Credentials } = answer as unknown as { Credentials: { TmpSecretId: string; TmpSecretKey: string; Token: string } };
  return { secretId: Credentials.TmpSecretId, secretKey: Credentials.TmpSecretKey, token: Credentials.Token };
}

async function codeOf(credentials: { secretId: string; secretKey: string; token: string }, action: string) {
  const body = action === "SubmitImageAnimateJob" ? submitBody : JSON.stringify({ JobId: "1" });
  const answer = await answerOf(await fetch(await signedRequest(running.url, { action, body, credentials })));
  return answer.Error?.Code ?? "ok";
}

const statement = (effect: string, action: unknown) => ({ effect, action, resource: "*" });

describe("STS policies, as CAM reads them", () => {
  it.each([
    [
      "allow vclm:* with a deny of Describe",
      [statement("allow", "vclm:*"), statement("deny", "vclm:DescribeImageAnimateJob")],
      "ok",
      "UnauthorizedOperation",
    ],
    ["a wildcard within the action name", [statement("allow", ["vclm:Describe*"])], "UnauthorizedOperation", "FailedOperation.JobNotFound"],
    ["the name/ prefix", [statement("allow", ["name/vclm:SubmitImageAnimateJob"])], "ok", "UnauthorizedOperation"],
    [
      "a deny by wildcard over an allow of everything",
      [statement("allow", "*"), statement("Deny", "vclm:Submit*")],
      "UnauthorizedOperation",
      "FailedOperation.JobNotFound",
    ],
    ["another service's actions only", [statement("allow", "cos:*")], "UnauthorizedOperation", "UnauthorizedOperation"],
  ])("%s", async (_, statements, submit, describeCode) => {
    const credentials = await federate({ version: "2.0", statement: statements });
    expect(credentials).toHaveProperty("token");
    const temporary = credentials as { secretId: string; secretKey: string; token: string };
    expect(await codeOf(temporary, "SubmitImageAnimateJob")).toBe(submit);
    expect(await codeOf(temporary, "DescribeImageAnimateJob")).toBe(describeCode);
  });

  it.each([
    ["a statement that is an object", { version: "2.0", statement: statement("allow", "vclm:*") }, /statement must be an array/],
    ["a null policy", null, /must be a JSON object/],
    ["a numeric action", { version: "2.0", statement: [statement("allow", 42)] }, /statement\[0\]\.action/],
    ["an unknown effect", { version: "2.0", statement: [statement("permit", "vclm:*")] }, /effect must be allow or deny/],
    ["not JSON at all", "%7Bnot json", /not JSON/],
  ])("answers InvalidParameterValue for %s, not HTTP 500", async (_, policy, message) => {
    const error = (await federate(policy)) as { Code: string; Message: string };
    expect(error.Code).toBe("InvalidParameterValue");
    expect(error.Message).toMatch(message);
  });
});

describe("the data directory", () => {
  it("is created 0700, and its state file 0600: it holds temporary secret keys", async () => {
    const parent = mkdtempSync(join(tmpdir(), "vclm-emulator-"));
    const dataDir = join(parent, "state");
    try {
      const emulator = await startEmulator({ dataDir });
      await fetch(await signedRequest(emulator.url, { action: "SubmitImageAnimateJob", body: submitBody }));
      await emulator.close();
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(readdirSync(dataDir)).toEqual(["state.json"]);
      expect(statSync(join(dataDir, "state.json")).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe("the admin API", () => {
  const clock = async () => ((await (await fetch(new URL("/_emulator/clock", running.url))).json()) as { now: number }).now;

  it("refuses a text/plain POST (what any web page can send without a preflight) and leaves the clock alone", async () => {
    const before = await clock();
    const answer = await fetch(new URL("/_emulator/clock", running.url), {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify({ advanceMs: 86_400_000 }),
    });
    expect(answer.status).toBe(415);
    expect(await clock()).toBeLessThan(before + 60_000);
  });

  it("grants no CORS preflight to the admin API, even with cors on", async () => {
    const preflight = (path: string) =>
      fetch(new URL(path, running.url), {
        method: "OPTIONS",
        headers: {
          Origin: "https://evil.example",
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "content-type",
        },
      });
    expect((await preflight("/")).status).toBe(204); // the API itself, as asked
    const admin = await preflight("/_emulator/clock");
    expect(admin.status).toBe(405);
    expect(admin.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("is off with --no-admin", async () => {
    const cli = new URL("../bin/vclm-emulator.js", import.meta.url).pathname;
    const child = spawn(process.execPath, [cli, "--port", "0", "--no-admin"], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk) => {
          out += chunk;
          const match = /listening on (\S+)/.exec(out);
          if (match) resolve(match[1] as string);
        });
        child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const admin = await fetch(new URL("/_emulator/clock", url));
      expect(admin.status).toBe(404);
    } finally {
      child.kill();
    }
  });
});
