// Every credentials provider of @vclm/core end to end against the emulator over HTTP: STS
// AssumeRole, AssumeRoleWithWebIdentity (tokens signed and verified with jose), the CVM metadata
// service; refresh after expiry; and each way they fail.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CredentialsProvider,
  DescribeImageAnimateJob,
  fromAssumeRole,
  fromCvmRole,
  fromWebIdentity,
  VclmClient,
  VclmNetworkError,
  VclmResponseError,
  VclmServiceError,
  VclmTimeoutError,
  VclmValidationError,
} from "@vclm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../src/node.js";
import { ACCOUNT, type Issuer, makeIssuer, PROVIDER_ID, ROLE_ARN, ROOT, startIdentityEmulator } from "./oidc.js";

const LIFETIME = 3; // seconds: refresh is shown in real time

let running: RunningEmulator;
let issuer: Issuer;
let jobId: string;
const dir = mkdtempSync(join(tmpdir(), "vclm-creds-"));
beforeAll(async () => {
  issuer = await makeIssuer();
  running = await startIdentityEmulator(issuer, { instanceRole: { roleName: "vclm-cvm", durationSeconds: LIFETIME } });
  const now = running.emulator.clock.now();
  jobId = running.emulator.jobs.create({
    accountId: ACCOUNT,
    createdAt: now,
    waitMs: 1,
    runMs: 1,
    templateId: "ke3",
    photo: "p",
    segment: false,
  }).id;
});
afterAll(async () => {
  await running.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A call the emulator answers only for valid credentials of the account. */
const describeWith = (credentials: CredentialsProvider) =>
  new VclmClient({ region: "ap-singapore", endpoint: running.url, credentials }).send(DescribeImageAnimateJob, { JobId: jobId });
/** How the emulator issued these credentials (while they are unexpired). */
const issuedBy = (secretId: string) => running.emulator.snapshot().temporary.find((c) => c.secretId === secretId)?.issuedBy;
const failure = (promise: unknown) =>
  Promise.resolve(promise).then(
    () => undefined,
    (error: Error) => error,
  );
/** Counts the requests a provider sends. */
const counting = () => {
  const calls: string[] = [];
  const fetcher: typeof fetch = (input, init) => {
    const request = input instanceof Request ? input : undefined; // the client sends a Request
    const action = (request?.headers ?? new Headers(init?.headers)).get("x-tc-action");
    calls.push(action ?? new URL(request?.url ?? String(input)).pathname);
    return fetch(input, init);
  };
  return { calls, fetch: fetcher };
};

/** Shows refresh: the first credentials work, expire, and the provider has new ones that work. */
async function refreshes(provider: CredentialsProvider) {
  const first = await provider();
  expect((await describeWith(provider)).Status).toBe("DONE");
  await sleep(LIFETIME * 1000 + 300);
  const stale = await failure(describeWith(() => first)); // the emulator refuses the old ones
  expect((stale as VclmServiceError).code).toMatch(/^AuthFailure/);
  expect((await describeWith(provider)).Status).toBe("DONE");
  const second = await provider();
  expect(second.secretId).not.toBe(first.secretId);
  return { first, second };
}

describe("fromAssumeRole", () => {
  it("assumes the role with the source credentials, and refreshes after expiry", async () => {
    const { calls, fetch } = counting();
    const provider = fromAssumeRole({ credentials: ROOT, roleArn: ROLE_ARN, durationSeconds: LIFETIME, endpoint: running.url, fetch });
    const { second } = await refreshes(provider);
    expect(issuedBy(second.secretId)).toBe("AssumeRole");
    expect(calls).toEqual(["AssumeRole", "AssumeRole"]); // once per lifetime, not per call
  });

  it("refuses a malformed role ARN before sending, and passes on STS's refusal of a bad key", async () => {
    const { calls, fetch } = counting();
    const bad = await failure(fromAssumeRole({ credentials: ROOT, roleArn: "vclm-test", endpoint: running.url, fetch })());
    expect(bad).toBeInstanceOf(VclmValidationError);
    expect(bad?.message).toContain("RoleArn");
    expect(calls).toEqual([]);
    const refused = await failure(
      fromAssumeRole({ credentials: { ...ROOT, secretKey: "wrong" }, roleArn: ROLE_ARN, endpoint: running.url })(),
    );
    expect(refused).toBeInstanceOf(VclmServiceError);
    expect((refused as VclmServiceError).code).toBe("AuthFailure.SignatureFailure");
  });
});

describe("fromWebIdentity", () => {
  const tke = (tokenFile: string) => ({
    TKE_REGION: "ap-singapore",
    TKE_PROVIDER_ID: PROVIDER_ID,
    TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile,
    TKE_ROLE_ARN: ROLE_ARN,
  });

  it("from TKE's variables: exchanges the token file's token, unsigned, and reads the file again at each refresh", async () => {
    const tokenFile = join(dir, "token");
    // The first token expires with the first credentials: the refresh works only if the file is read again.
    writeFileSync(tokenFile, await issuer.token({ seconds: LIFETIME }));
    const { calls, fetch } = counting();
    const provider = fromWebIdentity({ env: tke(tokenFile), durationSeconds: LIFETIME, endpoint: running.url, fetch });
    await provider();
    writeFileSync(tokenFile, await issuer.token({ seconds: 3600 }));
    const { second } = await refreshes(provider);
    expect(issuedBy(second.secretId)).toBe("AssumeRoleWithWebIdentity");
    expect(calls).toEqual(["AssumeRoleWithWebIdentity", "AssumeRoleWithWebIdentity"]);
  });

  it("takes the token itself, or a function, in any runtime", async () => {
    const token = await issuer.token();
    for (const given of [token, async () => token]) {
      const provider = fromWebIdentity({ token: given, providerId: PROVIDER_ID, roleArn: ROLE_ARN, endpoint: running.url, env: {} });
      expect((await describeWith(provider)).Status).toBe("DONE");
    }
  });

  it.each([
    ["an expired token", () => issuer.token({ seconds: -60 }), /it has expired/],
    ["a forged token (signed by another key)", async () => (await makeIssuer()).token(), /signature does not verify/],
    ["a token of another issuer", () => issuer.token({ issuer: "https://evil.example.test" }), /iss claim/],
    ["a token that is no JWT", async () => "not-a-jwt", /not a well-formed signed JWT/],
  ])("%s is refused by STS with InvalidParameter.WebIdentityTokenError", async (_, token, message) => {
    const provider = fromWebIdentity({ token: await token(), providerId: PROVIDER_ID, roleArn: ROLE_ARN, endpoint: running.url, env: {} });
    const error = await failure(provider());
    expect(error).toBeInstanceOf(VclmServiceError);
    expect((error as VclmServiceError).code).toBe("InvalidParameter.WebIdentityTokenError");
    expect(error?.message).toMatch(message);
  });

  it("names what is missing at once, and an unreadable token file at the first call, before anything is sent", async () => {
    const missing = (() => {
      try {
        fromWebIdentity({ env: { TKE_REGION: "ap-singapore" } });
      } catch (error) {
        return error as Error;
      }
    })();
    expect(missing).toBeInstanceOf(VclmValidationError);
    expect(missing?.message).toMatch(/token \(or tokenFile, or TKE_WEB_IDENTITY_TOKEN_FILE\); providerId \(or TKE_PROVIDER_ID\); roleArn/);
    const { calls, fetch } = counting();
    const gone = await failure(fromWebIdentity({ env: tke(join(dir, "no-such-token")), endpoint: running.url, fetch })());
    expect(gone).toBeInstanceOf(VclmValidationError);
    expect(gone?.message).toMatch(/the token file .*no-such-token cannot be read \(ENOENT\)/);
    expect(calls).toEqual([]);
  });
});

describe("fromCvmRole", () => {
  it("asks the metadata service for the role, then its credentials, and refreshes after expiry", async () => {
    const { calls, fetch } = counting();
    const provider = fromCvmRole({ endpoint: `${running.url}latest/meta-data/`, fetch });
    const { second } = await refreshes(provider);
    expect(issuedBy(second.secretId)).toBe("instance role");
    expect(calls).toEqual([
      "/latest/meta-data/cam/security-credentials/",
      "/latest/meta-data/cam/security-credentials/vclm-cvm",
      "/latest/meta-data/cam/security-credentials/",
      "/latest/meta-data/cam/security-credentials/vclm-cvm",
    ]);
  });

  it("on an instance with no role bound, says so (404)", async () => {
    const bare = await startEmulator({ accounts: [ROOT] });
    try {
      const error = await failure(fromCvmRole({ endpoint: `${bare.url}latest/meta-data/` })());
      expect(error).toBeInstanceOf(VclmResponseError);
      expect((error as VclmResponseError).status).toBe(404);
      expect(error?.message).toContain("no CAM role is bound to this instance");
    } finally {
      await bare.close();
    }
  });

  it("off a CVM, fails fast instead of hanging: a refused connection, and a service that never answers", async () => {
    const refused = await failure(fromCvmRole({ endpoint: "http://127.0.0.1:9/latest/meta-data/" })());
    expect(refused).toBeInstanceOf(VclmNetworkError);
    // A black hole: accepts the connection and never answers.
    const hole: Server = createServer(() => {});
    await new Promise<void>((resolve) => hole.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = hole.address() as { port: number };
      const started = performance.now();
      const hung = await failure(fromCvmRole({ endpoint: `http://127.0.0.1:${port}/latest/meta-data/`, timeout: 300 })());
      expect(hung).toBeInstanceOf(VclmTimeoutError);
      expect(hung?.message).toContain("the CVM metadata service");
      console.log(`a metadata service that never answers: given up after ${Math.round(performance.now() - started)} ms (timeout 300 ms)`);
    } finally {
      hole.close();
    }
  });
});

describe("the unsigned STS action, as an anonymous caller meets it", () => {
  const exchange = (url: string, params: Record<string, unknown>, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-TC-Action": "AssumeRoleWithWebIdentity",
        "X-TC-Version": "2018-08-13",
        "X-TC-Timestamp": String(Math.floor(Date.now() / 1000)),
        Authorization: "SKIP",
        ...headers,
      },
      body: JSON.stringify(params),
    }).then(async (response) => (await response.json()).Response);

  it("without a token gets nothing; with one, a replay gets new credentials until the token expires, then nothing", async () => {
    const manual = await startIdentityEmulator(issuer, { clock: "manual" });
    try {
      manual.emulator.clock.set(Date.now());
      const params = { ProviderId: PROVIDER_ID, RoleArn: ROLE_ARN, RoleSessionName: "replay" };
      expect((await exchange(manual.url, params)).Error.Code).toBe("MissingParameter");
      const token = await issuer.token({ seconds: 600 });
      const first = await exchange(manual.url, { ...params, WebIdentityToken: token });
      const replayed = await exchange(manual.url, { ...params, WebIdentityToken: token });
      // A bearer token, as at STS: each exchange issues credentials, until the token's exp.
      expect(first.Credentials.TmpSecretId).toMatch(/^AKIDtmp/);
      expect(replayed.Credentials.TmpSecretId).not.toBe(first.Credentials.TmpSecretId);
      manual.emulator.clock.advance(601_000);
      expect((await exchange(manual.url, { ...params, WebIdentityToken: token })).Error).toEqual({
        Code: "InvalidParameter.WebIdentityTokenError",
        Message: "The WebIdentityToken was refused: it has expired.",
      });
    } finally {
      await manual.close();
    }
  });

  it("is the only action that takes Authorization SKIP: a Submit sent so makes no job", async () => {
    const before = [...running.emulator.jobs.all()].length;
    const submit = await fetch(running.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-TC-Action": "SubmitImageAnimateJob",
        "X-TC-Version": "2024-05-23",
        "X-TC-Region": "ap-singapore",
        Authorization: "SKIP",
      },
      body: JSON.stringify({ TemplateId: "ke3", ImageUrl: "https://example.test/p.jpg" }),
    }).then(async (response) => (await response.json()).Response);
    expect(submit.Error.Code).toMatch(/^AuthFailure/);
    expect([...running.emulator.jobs.all()].length).toBe(before);
  });

  it("refuses a signature on it (it is never signed), so a caller's key cannot stand in for a token", async () => {
    const answer = await exchange(
      running.url,
      { ProviderId: PROVIDER_ID, RoleArn: ROLE_ARN, RoleSessionName: "signed", WebIdentityToken: "x" },
      { Authorization: "TC3-HMAC-SHA256 Credential=AKIDx/2026-01-01/sts/tc3_request, SignedHeaders=content-type;host, Signature=00" },
    );
    expect(answer.Error.Code).toBe("AuthFailure.InvalidAuthorization");
  });
});
