// The credentials tests' account and role, an emulator that trusts an OpenID Connect issuer, and the issuer: a key pair, its public JWK set for the emulator, and tokens
// minted with jose, as TKE's or a CI's issuer would sign them.
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { type RunningEmulator, type StartEmulatorOptions, startEmulator } from "../src/node.js";

/** The account the credentials tests run as, and a role in it. */
export const ROOT = { secretId: "AKIDcredentialsRoot00000000000000000", secretKey: "credentials-root-secret-key-0000000" };
export const ACCOUNT = "100000000001";
export const ROLE_ARN = `qcs::cam::uin/${ACCOUNT}:roleName/vclm-test`;

export const ISSUER = "https://oidc.tke.example.test";
export const PROVIDER_ID = "tke-oidc-test";

export interface Issuer {
  readonly keys: { keys: JsonWebKey[] };
  /** A token, valid from now for `seconds` (negative: already expired), with `issuer` unless told otherwise. */
  token(options?: { seconds?: number; issuer?: string; now?: number }): Promise<string>;
}

export async function makeIssuer(): Promise<Issuer> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
  return {
    keys: { keys: [jwk as JsonWebKey] },
    token: ({ seconds = 3600, issuer = ISSUER, now = Date.now() } = {}) => {
      const at = Math.floor(now / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: "RS256", kid: "test-key" })
        .setIssuer(issuer)
        .setSubject("system:serviceaccount:default:vclm")
        .setAudience("sts.cloud.tencent.com")
        .setIssuedAt(Math.min(at, at + seconds))
        .setExpirationTime(at + seconds)
        .sign(privateKey);
    },
  };
}

/** The role ROLE_ARN names: its credentials may use VCLM. */
const VCLM_USER = { roleName: "vclm-test", policy: { version: "2.0", statement: [{ effect: "allow", action: "vclm:*", resource: "*" }] } };

/** An emulator with the test account, that trusts `issuer`'s tokens for the role, with any other options. */
export const startIdentityEmulator = (issuer: Issuer, options: StartEmulatorOptions = {}): Promise<RunningEmulator> =>
  startEmulator({
    accounts: [ROOT],
    oidcProviders: [{ providerId: PROVIDER_ID, issuer: ISSUER, keys: issuer.keys, audience: "sts.cloud.tencent.com", roles: [VCLM_USER] }],
    ...options,
  });
