// The real `vclm` binary run as people run it, with an environment of the test's making.
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { STS } from "@vclm/core/sts";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { sign } from "@vclm/signer";

/**
 * Temporary credentials from an emulator's STS (GetFederationToken, signed with the demo key), as
 * the CLI's environment: they may call the `action` the policy names (`vclm:*` for every one).
 */
export async function temporaryCredentials(url: string, name: string, action: string): Promise<Record<string, string>> {
  const body = JSON.stringify({
    Name: name,
    Policy: JSON.stringify({ version: "2.0", statement: [{ effect: "allow", action, resource: "*" }] }),
    DurationSeconds: 1800,
  });
  const headers = await sign(
    {
      host: new URL(url).hostname,
      headers: { "X-TC-Action": "GetFederationToken", "X-TC-Version": STS.version, "X-TC-Region": "ap-singapore" },
      body,
    },
    { credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey }, service: STS.service },
  );
  const { Credentials } = (await (await fetch(url, { method: "POST", headers, body })).json()).Response;
  return {
    TENCENTCLOUD_SECRET_ID: Credentials.TmpSecretId,
    TENCENTCLOUD_SECRET_KEY: Credentials.TmpSecretKey,
    TENCENTCLOUD_SESSION_TOKEN: Credentials.Token,
  };
}

export const bin = new URL("../bin/vclm.js", import.meta.url).pathname;
const NO_METADATA = "http://127.0.0.1:9/latest/meta-data/"; // the discard port: nothing listens

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in `dir` (also its home). The credential chain sees only what a test sets: no TKE,
 * and for the metadata service a loopback port where nothing listens (nothing leaves this machine).
 */
export function cliIn(dir: string) {
  function environment(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
    const all = {
      ...process.env,
      TENCENTCLOUD_SECRET_ID: undefined,
      TENCENTCLOUD_SECRET_KEY: undefined,
      TENCENTCLOUD_SESSION_TOKEN: undefined,
      TKE_REGION: undefined,
      TKE_PROVIDER_ID: undefined,
      TKE_WEB_IDENTITY_TOKEN_FILE: undefined,
      TKE_ROLE_ARN: undefined,
      VCLM_ENDPOINT: undefined,
      VCLM_REGION: undefined,
      HOME: dir,
      VCLM_METADATA_ENDPOINT: NO_METADATA,
      ...env,
    } as NodeJS.ProcessEnv;
    for (const key of Object.keys(all)) if (all[key] === undefined) delete all[key];
    return all;
  }

  async function vclm(args: string[], env: Record<string, string | undefined> = {}): Promise<Result> {
    return promisify(execFile)(process.execPath, [bin, ...args], { env: environment(env), cwd: dir }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  }

  /** The CLI running: wait for a line on its stderr, signal it, and its end. */
  function start(args: string[], env: Record<string, string | undefined> = {}) {
    const child = spawn(process.execPath, [bin, ...args], { env: environment(env), cwd: dir });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    const seen: (() => void)[] = [];
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      for (const check of seen) check();
    });
    const done = new Promise<Result>((resolve) => child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr })));
    return {
      child,
      done,
      /** Resolves with the match once stderr matches. */
      stderrMatch: (pattern: RegExp) =>
        new Promise<RegExpExecArray>((resolve) => {
          const check = () => {
            const match = pattern.exec(stderr);
            if (match) resolve(match);
          };
          seen.push(check);
          check();
        }),
    };
  }

  return { vclm, start };
}
