// defaultCredentials(): the official chain's order and its error, end to end against the emulator;
// and Tencent's own DefaultCredentialProvider (tencentcloud-sdk-nodejs-common, unmodified, in a child
// process) as the oracle: the same environment, profile file and emulator resolve the same
// credentials. Its hard-wired hosts reach the emulator through a loopback CONNECT proxy.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Credentials, defaultCredentials, VclmCredentialsError, VclmValidationError } from "@vclm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../src/node.js";
import { type LoopbackProxy, startLoopbackProxy } from "./loopback-proxy.js";
import { ACCOUNT, type Issuer, makeIssuer, PROVIDER_ID, ROLE_ARN, startIdentityEmulator } from "./oidc.js";

let running: RunningEmulator;
let proxy: LoopbackProxy;
let issuer: Issuer;
const root = mkdtempSync(join(tmpdir(), "vclm-chain-"));
beforeAll(async () => {
  issuer = await makeIssuer();
  // The official SDK asks the metadata service by its own name, through the proxy.
  running = await startIdentityEmulator(issuer, { instanceRole: { roleName: "vclm-cvm" }, allowedHosts: ["metadata.tencentyun.com"] });
  proxy = await startLoopbackProxy(running.url);
});
afterAll(async () => {
  await proxy.close();
  await running.close();
  rmSync(root, { recursive: true, force: true });
});

const ENV_KEY = { TENCENTCLOUD_SECRET_ID: "AKIDfromEnvironment000000000000000", TENCENTCLOUD_SECRET_KEY: "env-secret-key" };
const PROFILE = "[default]\nsecret_id = AKIDfromProfile0000000000000000000\nsecret_key = profile-secret-key\n";

interface Setup {
  env?: Record<string, string>;
  profile?: string;
  metadata?: "role" | "none";
  tke?: boolean;
}

let homes = 0;
/** A home folder (with the profile file, if any) and the environment for a setup. */
async function prepare(setup: Setup) {
  const home = join(root, `home-${homes++}`);
  mkdirSync(join(home, ".tencentcloud"), { recursive: true });
  if (setup.profile !== undefined) writeFileSync(join(home, ".tencentcloud/credentials"), setup.profile);
  const env: Record<string, string> = { ...setup.env };
  if (setup.tke) {
    const tokenFile = join(home, "token");
    writeFileSync(tokenFile, await issuer.token());
    Object.assign(env, {
      TKE_REGION: "ap-singapore",
      TKE_PROVIDER_ID: PROVIDER_ID,
      TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      TKE_ROLE_ARN: ROLE_ARN,
    });
  }
  return { home, env };
}

/** Ours, in this process: the setup's environment and home, the emulator's metadata routes (or a closed port) and STS. */
async function ours(setup: Setup): Promise<Credentials | Error> {
  const { home, env } = await prepare(setup);
  const savedHome = process.env.HOME;
  process.env.HOME = home;
  try {
    const provider = defaultCredentials({
      env,
      metadataEndpoint: setup.metadata === "role" ? `${running.url}latest/meta-data/` : "http://127.0.0.1:9/latest/meta-data/",
      stsEndpoint: running.url,
    });
    return await provider();
  } catch (error) {
    return error as Error;
  } finally {
    process.env.HOME = savedHome;
  }
}

const here = new URL("..", import.meta.url).pathname;
const OFFICIAL = `const { DefaultCredentialProvider } = require("tencentcloud-sdk-nodejs-common");
new DefaultCredentialProvider().getCredential().then((c) =>
  process.stdout.write(JSON.stringify({ secretId: c.secretId, secretKey: c.secretKey, token: c.token })));`;

/** The official SDK's DefaultCredentialProvider, in a child process with nothing but the setup's environment. */
async function official(setup: Setup): Promise<Credentials> {
  const { home, env } = await prepare(setup);
  proxy.metadataPort = setup.metadata === "role" ? Number(new URL(running.url).port) : undefined;
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", OFFICIAL], {
    cwd: here,
    env: { PATH: process.env.PATH, HOME: home, http_proxy: proxy.url, NODE_TLS_REJECT_UNAUTHORIZED: "0", NODE_NO_WARNINGS: "1", ...env },
  });
  const { secretId, secretKey, token } = JSON.parse(stdout) as Credentials;
  return token ? { secretId, secretKey, token } : { secretId, secretKey };
}

/** What to compare: the credentials themselves, or for web identity's (new ones at every call) how and for whom they were issued. */
function resolved(credentials: Credentials | Error) {
  if (credentials instanceof Error) return credentials;
  const { secretId, secretKey, token } = credentials; // the official SDK gives no expiry
  const issued = running.emulator.snapshot().temporary.find((c) => c.secretId === credentials.secretId);
  if (issued?.issuedBy === "AssumeRoleWithWebIdentity") return `web identity credentials of ${issued.accountId}`;
  return token ? { secretId, secretKey, token } : { secretId, secretKey };
}

describe("defaultCredentials and the official DefaultCredentialProvider resolve the same credentials", () => {
  const rows: Record<string, string>[] = [];
  afterAll(() => console.table(rows));

  it.each<[string, Setup, string]>([
    ["the environment only", { env: ENV_KEY }, "environment"],
    ["the environment with a session token", { env: { ...ENV_KEY, TENCENTCLOUD_SESSION_TOKEN: "env-token" } }, "environment"],
    ["the environment and a profile file: the environment first", { env: ENV_KEY, profile: PROFILE }, "environment"],
    ["a profile file only", { profile: PROFILE }, "profile"],
    ["a profile file with a token", { profile: `${PROFILE}token = profile-token\n` }, "profile"],
    ["a profile file and the CVM role: the profile first", { profile: PROFILE, metadata: "role" }, "profile"],
    [
      "a profile file without [default], and the CVM role",
      { profile: "[other]\nsecret_id = A\nsecret_key = a\n", metadata: "role" },
      "CVM role",
    ],
    ["the CVM role only", { metadata: "role" }, "CVM role"],
    ["the CVM role and TKE: the CVM role first", { metadata: "role", tke: true }, "CVM role"],
    ["TKE's web identity only", { tke: true }, "TKE"],
  ])("%s", async (name, setup, source) => {
    const theirs = resolved(await official(setup));
    const mine = resolved(await ours(setup));
    rows.push({ setup: name, official: source, vclm: mine instanceof Error ? mine.name : source });
    expect(mine).toEqual(theirs);
    if (source === "CVM role")
      expect(
        running.emulator
          .snapshot()
          .temporary.some((c) => c.secretId === (theirs as Credentials).secretId && c.issuedBy === "instance role"),
      ).toBe(true);
    if (source === "TKE") expect(theirs).toBe(`web identity credentials of ${ACCOUNT}`);
  });

  it("where they differ, on purpose: a half-set or broken source is an error that names it, and nothing found is one error listing each source", async () => {
    // The official chain yields silently to the next source (and ends with empty credentials).
    const half = { env: { TENCENTCLOUD_SECRET_ID: ENV_KEY.TENCENTCLOUD_SECRET_ID }, profile: PROFILE };
    expect((await official(half)).secretId).toBe("AKIDfromProfile0000000000000000000");
    const halfError = await ours(half);
    expect(halfError).toBeInstanceOf(VclmValidationError);
    expect((halfError as Error).message).toContain("the environment is half set up: TENCENTCLOUD_SECRET_KEY not set");

    const malformed = { profile: "[default]\nsecret_id = AKIDx\nthe-key-pasted-without-a-name\n", metadata: "role" as const };
    const fellThrough = await official(malformed);
    expect(running.emulator.snapshot().temporary.find((c) => c.secretId === fellThrough.secretId)?.issuedBy).toBe("instance role");
    const malformedError = await ours(malformed);
    expect(malformedError).toBeInstanceOf(VclmValidationError);
    expect((malformedError as Error).message).toMatch(/\.tencentcloud\/credentials: line 3 is neither a \[section\] nor key = value/);
    expect((malformedError as Error).message).not.toContain("pasted");

    expect(await official({})).toEqual({ secretId: "", secretKey: "" });
    const nothing = await ours({});
    expect(nothing).toBeInstanceOf(VclmCredentialsError);
    expect((nothing as VclmCredentialsError).tried).toEqual([
      { source: "environment", reason: "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set" },
      {
        source: "profile file",
        reason: expect.stringMatching(/^neither .*\/\.tencentcloud\/credentials nor \/etc\/tencentcloud\/credentials exists$/),
      },
      { source: "CVM instance role", reason: "the metadata service at http://127.0.0.1:9 did not answer (not a CVM)" },
      { source: "TKE web identity", reason: "TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN are not set" },
    ]);
    expect((nothing as Error).message).toMatch(
      /no credentials found[\s\S]*1\. environment[\s\S]*2\. profile file[\s\S]*3\. CVM instance role[\s\S]*4\. TKE web identity/,
    );
  });

  it("a metadata service that never answers (a network that drops its packets): ours gives up in 1 s, the official chain waits on", async () => {
    const hole = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => hole.listen(0, "127.0.0.1", resolve));
    const port = (hole.address() as AddressInfo).port;
    try {
      const { home, env } = await prepare({});
      const started = performance.now();
      const provider = defaultCredentials({
        env,
        profileFile: join(home, "none"),
        metadataEndpoint: `http://127.0.0.1:${port}/latest/meta-data/`,
      });
      const mine = await Promise.resolve(provider()).catch((e: Error) => e);
      const oursMs = performance.now() - started;
      expect(mine).toBeInstanceOf(VclmCredentialsError);
      expect((mine as VclmCredentialsError).tried[2]?.reason).toBe(
        `the metadata service at http://127.0.0.1:${port} did not answer (not a CVM)`,
      );
      proxy.metadataPort = port;
      const theirs = execFile(process.execPath, ["-e", OFFICIAL], {
        cwd: here,
        env: { PATH: process.env.PATH, HOME: home, http_proxy: proxy.url },
      });
      const answered = await Promise.race([
        new Promise((resolve) => theirs.on("exit", () => resolve(true))),
        new Promise((resolve) => setTimeout(() => resolve(false), 5_000)),
      ]);
      theirs.kill();
      expect(answered).toBe(false);
      console.log(
        `metadata service that never answers: vclm's chain ended in ${Math.round(oursMs)} ms with VclmCredentialsError; the official chain had not answered after 5,000 ms`,
      );
    } finally {
      hole.close();
    }
  });

  it("never reached beyond loopback: the official SDK asked the proxy only for its two hosts", () => {
    expect(new Set(proxy.asked)).toEqual(new Set(["metadata.tencentyun.com:80", "sts.tencentcloudapi.com:443"]));
  });
});

describe("defaultCredentials", () => {
  it("keeps the source it found, and looks again after finding nothing", async () => {
    const env: Record<string, string> = {};
    const provider = defaultCredentials({ env, metadataEndpoint: "http://127.0.0.1:9/latest/meta-data/", profileFile: join(root, "none") });
    expect(await Promise.resolve(provider()).catch((e: Error) => e.name)).toBe("VclmCredentialsError");
    Object.assign(env, ENV_KEY);
    expect((await provider()).secretId).toBe(ENV_KEY.TENCENTCLOUD_SECRET_ID);
  });

  it("skips the metadata service when VCLM_METADATA_DISABLED is set", async () => {
    const provider = defaultCredentials({ env: { VCLM_METADATA_DISABLED: "true" }, profileFile: join(root, "none") });
    const error = (await Promise.resolve(provider()).catch((e: unknown) => e)) as VclmCredentialsError;
    expect(error.tried[2]).toEqual({ source: "CVM instance role", reason: "VCLM_METADATA_DISABLED is set" });
  });
});
