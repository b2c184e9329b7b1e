// The Node server: state kept across a restart in a data directory, CORS when asked, videos with
// Range support, and the CLI.
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fromCvmRole } from "@vclm/core";
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
      expect((await fetch(new URL(`/videos/${JobId}.mp4`, running.url))).status).toBe(404); // not done yet
      running.emulator.clock.advance(15_000);
      const whole = await fetch(new URL(`/videos/${JobId}.mp4`, running.url));
      const size = (await whole.arrayBuffer()).byteLength;
      const part = await fetch(new URL(`/videos/${JobId}.mp4`, running.url), { headers: { Range: "bytes=0-99" } });
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
    const cli = new URL("../bin/vclm-emulator.js", import.meta.url).pathname;
    const child = spawn(process.execPath, [cli, "--port", "0", "--instance-role", "vclm-demo"]);
    try {
      let printed = "";
      for await (const chunk of child.stdout) {
        printed += chunk;
        if (printed.includes("VCLM_METADATA_ENDPOINT=")) break;
      }
      const endpoint = /VCLM_METADATA_ENDPOINT=(\S+)/.exec(printed)?.[1] as string;
      const credentials = await fromCvmRole({ endpoint })();
      expect(credentials.secretId).toMatch(/^AKIDtmp/);
      expect(credentials.token).toBeTruthy();
    } finally {
      child.kill();
    }
  });
});
