// The Node server: state kept across a restart in a data directory, CORS when asked, videos with
// Range support, and the CLI.
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DescribeImageAnimateJob, fromCvmRole, VclmClient } from "@vclm/core";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../src/node.js";
import { answerOf, signedRequest } from "./signed.js";

const submitBody = JSON.stringify({ TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" });

describe("the Node server", () => {
  it("keeps jobs and temporary credentials across a restart when given a data directory", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vclm-emulator-"));
    try {
      const first = await startEmulator({ dataDir });
      const { JobId } = await answerOf(await fetch(await signedRequest(first.url, { action: "SubmitImageAnimateJob", body: submitBody })));
      const sts = await answerOf(
        await fetch(
          await signedRequest(first.url, {
            action: "AssumeRole",
            version: "2018-08-13",
            body: JSON.stringify({ RoleArn: "qcs::cam::uin/1:roleName/r", RoleSessionName: "s" }),
          }),
        ),
      );
      await first.close();

      const second = await startEmulator({ dataDir });
      try {
        const { Credentials } = sts as { Credentials: { TmpSecretId: string; TmpSecretKey: string; Token: string } };
        const temporary = { secretId: Credentials.TmpSecretId, secretKey: Credentials.TmpSecretKey, token: Credentials.Token };
        const answer = await answerOf(
          await fetch(await signedRequest(second.url, { body: JSON.stringify({ JobId }), credentials: temporary })),
        );
        expect(answer.Status).toBe("WAIT");
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("answers no CORS by default, as the service, and a browser's preflight when asked", async () => {
    const closed = await startEmulator();
    const open = await startEmulator({ cors: true });
    try {
      const preflight = (url: string) =>
        fetch(url, {
          method: "OPTIONS",
          headers: { Origin: "http://localhost:5173", "Access-Control-Request-Headers": "authorization,x-tc-action" },
        });
      expect((await preflight(closed.url)).headers.get("access-control-allow-origin")).toBeNull();
      const allowed = await preflight(open.url);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
      expect(allowed.headers.get("access-control-allow-headers")).toBe("authorization,x-tc-action");
    } finally {
      await closed.close();
      await open.close();
    }
  });

  it("serves a DONE job's video, whole or by byte range", async () => {
    const running = await startEmulator({ clock: "manual" });
    running.emulator.clock.set(Date.now());
    try {
      const { JobId } = await answerOf(
        await fetch(await signedRequest(running.url, { action: "SubmitImageAnimateJob", body: submitBody })),
      );
      const describe = async () => answerOf(await fetch(await signedRequest(running.url, { body: JSON.stringify({ JobId }) })));
      expect((await describe()).ResultVideoUrl).toBe(""); // not done yet: no link
      running.emulator.clock.advance(15_000);
      const link = (await describe()).ResultVideoUrl as string;
      expect((await fetch(new URL(`/videos/${JobId}.mp4`, running.url))).status).toBe(403); // only by the signed link
      const whole = await fetch(link);
      const size = (await whole.arrayBuffer()).byteLength;
      const part = await fetch(link, { headers: { Range: "bytes=0-99" } });
      expect(part.status).toBe(206);
      expect(part.headers.get("content-range")).toBe(`bytes 0-99/${size}`);
      expect((await part.arrayBuffer()).byteLength).toBe(100);
    } finally {
      await running.close();
    }
  });

  it("runs as a CLI that refuses bad options in one line", async () => {
    const cli = new URL("../bin/vclm-emulator.js", import.meta.url).pathname;
    const failure = await promisify(execFile)(process.execPath, [cli, "--port", "abc"]).catch((error) => error);
    expect(failure.code).toBe(2);
    expect(failure.stderr).toMatch(/^vclm-emulator: --port must be a whole number, not "abc"/);
    const help = await promisify(execFile)(process.execPath, [cli, "--help"]);
    expect(help.stdout).toContain("--data-dir");
  });

  it("as a CLI with --instance-role, serves the CVM metadata service that fromCvmRole reads", async () => {
    const { child, endpoint } = await startCli(["--instance-role", "vclm-demo"]);
    try {
      const credentials = await fromCvmRole({ endpoint })();
      expect(credentials.secretId).toMatch(/^AKIDtmp/);
      expect(credentials.token).toBeTruthy();
    } finally {
      child.kill();
    }
  });

  it("killed right after issuing credentials, comes back from --data-dir still accepting them (a client keeps them for hours)", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vclm-emulator-kill-"));
    try {
      const first = await startCli(["--instance-role", "vclm-demo", "--data-dir", dataDir]);
      const credentials = await fromCvmRole({ endpoint: first.endpoint })();
      first.child.kill("SIGKILL"); // no time for a deferred write
      await new Promise((resolve) => first.child.once("exit", resolve));
      const second = await startCli(["--instance-role", "vclm-demo", "--data-dir", dataDir]);
      try {
        const client = new VclmClient({ region: "ap-singapore", endpoint: new URL("/", second.endpoint).href, credentials });
        const answer = await client.send(DescribeImageAnimateJob, { JobId: "1" }).catch((error: { code?: string }) => error.code);
        expect(answer).toBe("FailedOperation.JobNotFound"); // signed and accepted: only the job is unknown
      } finally {
        // Stopped, and gone, before its folder is removed: on SIGTERM it writes its state there
        // (removing the folder while it wrote failed with ENOTEMPTY in CI).
        const exited = new Promise((resolve) => second.child.once("exit", resolve));
        if (second.child.exitCode === null && second.child.signalCode === null) {
          second.child.kill();
          await exited;
        }
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** The emulator's CLI on a free port; resolves once it prints its metadata endpoint. */
async function startCli(args: string[]) {
  const cli = new URL("../bin/vclm-emulator.js", import.meta.url).pathname;
  const child = spawn(process.execPath, [cli, "--port", "0", ...args]);
  let printed = "";
  for await (const chunk of child.stdout) {
    printed += chunk;
    if (printed.includes("VCLM_METADATA_ENDPOINT=")) break;
  }
  return { child, endpoint: /VCLM_METADATA_ENDPOINT=(\S+)/.exec(printed)?.[1] as string };
}
