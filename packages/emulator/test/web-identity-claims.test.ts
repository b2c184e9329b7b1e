// AssumeRoleWithWebIdentity takes only what a CAM identity provider would: a token with a subject,
// `iat` and `exp` at most 24 hours apart and `iat` not ahead of the clock, for the provider's
// audience (which must be set up); and only for a role the provider lists, whose policy the
// credentials then get. In process, on a manual clock.
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type Emulator, type EmulatorOptions } from "../src/emulator.js";
import { answerOf, signedRequest } from "./signed.js";

const ISSUER = "https://oidc.claims.example.test";
const AUDIENCE = "sts.cloud.tencent.com";
const ACCOUNT = "100000000001";
const ROLE_ARN = `qcs::cam::uin/${ACCOUNT}:roleName/vclm-reader`;
const URL_ = "http://emulator.test/";
const NOW = Date.UTC(2026, 0, 15, 12); // the emulator's clock; tokens are dated against it
const at = Math.floor(NOW / 1000);

let sign: (claims: JWTPayload) => Promise<string>;
let keys: { keys: JsonWebKey[] };
beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  keys = { keys: [{ ...(await exportJWK(publicKey)), kid: "k", alg: "RS256" } as JsonWebKey] };
  sign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k" }).sign(privateKey);
});

/** A token with the usual claims (an hour's life from now), changed by `claims` (undefined removes one). */
const token = (claims: Record<string, unknown> = {}) => {
  const all: Record<string, unknown> = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: "system:serviceaccount:default:vclm",
    iat: at,
    exp: at + 3600,
    ...claims,
  };
  for (const [name, value] of Object.entries(all)) if (value === undefined) delete all[name];
  return sign(all as JWTPayload);
};

const READER_POLICY = { version: "2.0", statement: [{ effect: "allow", action: ["vclm:DescribeImageAnimateJob"], resource: "*" }] };
const provider = (changes: Record<string, unknown> = {}) =>
  ({
    providerId: "tke",
    issuer: ISSUER,
    keys,
    audience: AUDIENCE,
    roles: [{ roleName: "vclm-reader", policy: READER_POLICY }],
    ...changes,
  }) as never;

function emulatorWith(options: EmulatorOptions = {}): Emulator {
  const emulator = createEmulator({ clock: "manual", oidcProviders: [provider()], ...options });
  emulator.clock.set(NOW);
  return emulator;
}

/** AssumeRoleWithWebIdentity, unsigned as it is sent; the answer. */
async function exchange(emulator: Emulator, WebIdentityToken: string, RoleArn = ROLE_ARN) {
  const request = new Request(URL_, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-TC-Action": "AssumeRoleWithWebIdentity",
      "X-TC-Version": "2018-08-13",
      Authorization: "SKIP",
    },
    body: JSON.stringify({ ProviderId: "tke", WebIdentityToken, RoleArn, RoleSessionName: "claims" }),
  });
  return answerOf(await emulator.fetch(request));
}

const refusal = async (emulator: Emulator, claims: Record<string, unknown>) => (await exchange(emulator, await token(claims))).Error;

describe("AssumeRoleWithWebIdentity's token", () => {
  it("with the usual claims is exchanged", async () => {
    expect((await exchange(emulatorWith(), await token())).Credentials).toHaveProperty("TmpSecretId");
  });

  it.each([
    ["no exp", { exp: undefined }, "it has no exp claim"],
    ["no sub", { sub: undefined }, "it has no sub claim"],
    ["an empty sub", { sub: "" }, "its sub claim is empty"],
    ["no iat", { iat: undefined }, "it has no iat claim"],
    ["an iat more than 60 s ahead of the clock", { iat: at + 61, exp: at + 3600 }, "its iat claim is in the future"],
    [
      "an exp more than 24 h after its iat",
      { iat: at - 60, exp: at - 60 + 24 * 3600 + 1 },
      "it is valid for more than 24 hours (exp - iat)",
    ],
    ["no aud", { aud: undefined }, "it has no aud claim"],
    ["another audience", { aud: "another-service" }, "its aud claim does not match the provider"],
  ])("with %s is refused with InvalidParameter.WebIdentityTokenError, saying why", async (_, claims, reason) => {
    expect(await refusal(emulatorWith(), claims)).toEqual({
      Code: "InvalidParameter.WebIdentityTokenError",
      Message: `The WebIdentityToken was refused: ${reason}.`,
    });
  });

  it("takes an iat up to 60 s ahead of the clock (another machine's clock), and a life of exactly 24 h", async () => {
    const emulator = emulatorWith();
    expect((await exchange(emulator, await token({ iat: at + 60, exp: at + 3600 }))).Credentials).toBeDefined();
    expect((await exchange(emulator, await token({ iat: at - 60, exp: at - 60 + 24 * 3600 }))).Credentials).toBeDefined();
  });

  it("is taken for any of the provider's audiences when it lists several", async () => {
    const emulator = emulatorWith({ oidcProviders: [provider({ audience: ["ci-audience", AUDIENCE] })] });
    expect((await exchange(emulator, await token({ aud: "ci-audience" }))).Credentials).toBeDefined();
    expect((await refusal(emulator, { aud: "elsewhere" }))?.Code).toBe("InvalidParameter.WebIdentityTokenError");
  });
});

describe("an identity provider's set-up", () => {
  it.each([
    ["no audience", { audience: undefined }, /^oidcProviders\[0\] \(tke\) needs an audience/],
    ["an empty audience", { audience: "" }, /^oidcProviders\[0\] \(tke\) needs an audience/],
    ["no roles", { roles: undefined }, /^oidcProviders\[0\] \(tke\) needs roles/],
    ["a role without a policy", { roles: [{ roleName: "r" }] }, /^oidcProviders\[0\] \(tke\)\.roles\[0\] \(r\) needs a policy/],
    [
      "a role whose policy CAM would refuse",
      { roles: [{ roleName: "r", policy: { statement: [{ effect: "permit", action: "vclm:*" }] } }] },
      /^oidcProviders\[0\] \(tke\)\.roles\[0\] \(r\): Policy is invalid: statement\[0\]\.effect must be allow or deny/,
    ],
  ])("with %s is refused by createEmulator, naming the provider", (_, changes, message) => {
    expect(() => createEmulator({ oidcProviders: [provider(changes)] })).toThrow(message);
  });
});

describe("AssumeRoleWithWebIdentity's role", () => {
  it("must be one the provider lists: another is ResourceNotFound.RoleNotFound, and no credentials", async () => {
    const emulator = emulatorWith();
    for (const arn of [`qcs::cam::uin/${ACCOUNT}:roleName/vclm-admin`, `qcs::cam::uin/${ACCOUNT}:role/4611686018427397919`]) {
      const answer = await exchange(emulator, await token(), arn);
      expect(answer.Error?.Code).toBe("ResourceNotFound.RoleNotFound");
      expect(answer.Error?.Message).toBe(`The role ${arn} does not exist, or does not trust the identity provider tke.`);
    }
    expect(emulator.snapshot().temporary).toEqual([]);
  });

  it("is not told to a caller without a good token: a bad token is refused first", async () => {
    const answer = await exchange(emulatorWith(), await token({ exp: undefined }), `qcs::cam::uin/${ACCOUNT}:roleName/vclm-admin`);
    expect(answer.Error?.Code).toBe("InvalidParameter.WebIdentityTokenError");
  });

  it("gives its policy to the credentials: a reader's may Describe, not Submit", async () => {
    const emulator = emulatorWith();
    const { Credentials } = (await exchange(emulator, await token())) as unknown as {
      Credentials: { TmpSecretId: string; TmpSecretKey: string; Token: string };
    };
    const credentials = { secretId: Credentials.TmpSecretId, secretKey: Credentials.TmpSecretKey, token: Credentials.Token };
    const call = async (action: string, body: string) => {
      const request = await signedRequest(URL_, { action, body, credentials, timestamp: at });
      return (await answerOf(await emulator.fetch(request))).Error?.Code ?? "ok";
    };
    expect(await call("DescribeImageAnimateJob", JSON.stringify({ JobId: "1" }))).toBe("FailedOperation.JobNotFound");
    expect(await call("SubmitImageAnimateJob", JSON.stringify({ TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" }))).toBe(
      "UnauthorizedOperation",
    );
    expect(emulator.jobs.size).toBe(0);
  });
});
