import { createLocalJWKSet, errors, type JWTPayload, jwtVerify } from "jose";
import type { Caller } from "../accounts.js";
import { type PolicyStatement, parsePolicy } from "../auth/policy.js";
import type { Answer } from "../wire/envelope.js";
import { serviceError } from "../wire/envelope.js";
import { checkFields, missing } from "./params.js";
import type { StsContext } from "./sts.js";

/**
 * An OpenID Connect identity provider whose tokens the emulator's `AssumeRoleWithWebIdentity`
 * takes, as one set up in CAM (TKE's for its pods, or a CI's): tokens must be signed by one of its
 * public keys, name its issuer and audience and a subject, carry `iat` and `exp` at most 24 hours
 * apart, and be unexpired on the emulator's clock; and the role asked for must be one of its roles.
 *
 * @example
 * ```ts
 * declare const publicJwk: JsonWebKey; // the issuer's public key, e.g. from jose's exportJWK
 * const provider: EmulatorOidcProvider = {
 *   providerId: "tke-oidc",
 *   issuer: "https://oidc.example.test",
 *   keys: { keys: [publicJwk] },
 *   audience: "sts.cloud.tencent.com",
 *   roles: [{ roleName: "vclm-worker", policy: { version: "2.0", statement: [{ effect: "allow", action: "vclm:*", resource: "*" }] } }],
 * };
 * ```
 */
export interface EmulatorOidcProvider {
  /** The id `AssumeRoleWithWebIdentity` names it by (`ProviderId`, TKE's `TKE_PROVIDER_ID`). */
  readonly providerId: string;
  /** The `iss` its tokens must carry. */
  readonly issuer: string;
  /** Its public keys (a JWK set), which verify the tokens' signatures. */
  readonly keys: { readonly keys: readonly JsonWebKey[] };
  /**
   * The `aud` its tokens must carry (CAM's client ID for the provider; TKE's is
   * `sts.cloud.tencent.com`), or a list of them. Required: a provider that took any audience would
   * take a token its issuer minted for another service.
   */
  readonly audience: string | readonly string[];
  /** The roles its tokens may assume (CAM roles whose trust policy names this provider), each with its policy. */
  readonly roles: readonly EmulatorWebIdentityRole[];
  /** The account it and its roles belong to. @default the emulator's first account */
  readonly accountId?: string;
}

/**
 * A CAM role that web identity tokens may assume, and the policy its credentials get.
 *
 * @example
 * ```ts
 * const role: EmulatorWebIdentityRole = { roleName: "vclm-reader", policy: '{"version":"2.0","statement":[{"effect":"allow","action":"vclm:Describe*","resource":"*"}]}' };
 * ```
 */
export interface EmulatorWebIdentityRole {
  /** Its name, as RoleArn names it: `qcs::cam::uin/<account>:roleName/<roleName>`. */
  readonly roleName: string;
  /**
   * What its credentials may do: a CAM policy, as JSON text or as the object CAM's JSON is.
   * Required: credentials with no policy could do everything the account may.
   */
  readonly policy: string | { readonly version?: string; readonly statement: readonly object[] };
}

/** A provider as the emulator uses it: its account settled, its roles' policies read. */
export interface OidcProvider extends Omit<EmulatorOidcProvider, "roles" | "accountId"> {
  readonly accountId: string;
  readonly roles: ReadonlyMap<string, readonly PolicyStatement[]>;
}

// CAM role ARNs: qcs::cam::uin/<account>:roleName/<name> (or role/<id>).
const ROLE_ARN = /^qcs::cam::uin\/(\d+):(roleName|role)\/([\w+=,.@-]{1,128})$/;
/** How far ahead of the emulator's clock a token's `iat` may be: clocks of two machines differ a little. */
const IAT_SKEW_SECONDS = 60;
/** The longest a token may be valid, `exp - iat`: a day, well above what TKE (1 h) or a CI (minutes) issues. */
const MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

/**
 * Checks the `oidcProviders` option and reads each role's policy, once. Throws a TypeError naming
 * the provider (and role) that is not set up right: no audience, no roles list, a role without a
 * policy, or a policy CAM would refuse.
 */
export function oidcProvidersOf(providers: readonly EmulatorOidcProvider[] | undefined, defaultAccountId: string): readonly OidcProvider[] {
  return (providers ?? []).map((provider, i) => {
    const where = `oidcProviders[${i}] (${provider.providerId})`;
    const audiences = typeof provider.audience === "string" ? [provider.audience] : provider.audience;
    if (!Array.isArray(audiences) || !audiences.length || audiences.some((aud) => typeof aud !== "string" || !aud))
      throw new TypeError(`${where} needs an audience: the aud its tokens must carry (e.g. "sts.cloud.tencent.com" for TKE)`);
    if (!Array.isArray(provider.roles)) throw new TypeError(`${where} needs roles: the roles its tokens may assume, each with its policy`);
    const roles = new Map<string, readonly PolicyStatement[]>();
    for (const [j, role] of provider.roles.entries()) {
      const name = `${where}.roles[${j}]`;
      if (typeof role?.roleName !== "string" || !/^[\w+=,.@-]{1,128}$/.test(role.roleName))
        throw new TypeError(`${name} needs a roleName of 1 to 128 of A-Z a-z 0-9 _ + = , . @ -`);
      if (role.policy === undefined) throw new TypeError(`${name} (${role.roleName}) needs a policy: what its credentials may do`);
      const policy = parsePolicy(typeof role.policy === "string" ? role.policy : JSON.stringify(role.policy));
      if (!Array.isArray(policy)) throw new TypeError(`${name} (${role.roleName}): ${(policy as Answer).error?.message}`);
      roles.set(role.roleName, policy as readonly PolicyStatement[]);
    }
    return { ...provider, accountId: provider.accountId ?? defaultAccountId, roles };
  });
}

/** What AssumeRoleWithWebIdentity needs from the emulator: STS's, and the identity providers. */
export interface WebIdentityContext extends StsContext {
  readonly oidcProviders: readonly OidcProvider[];
}

/**
 * STS `AssumeRoleWithWebIdentity`: sent unsigned (`Authorization: SKIP`); the web identity token is
 * the proof. Verified with `jose` against the provider's keys, issuer, audience and the clock; its
 * lifetime bounded here. The credentials get the role's policy.
 */
export async function assumeRoleWithWebIdentity(
  params: Record<string, unknown>,
  _caller: Caller,
  context: WebIdentityContext,
): Promise<Answer> {
  const problem = checkFields(params, {
    ProviderId: { kind: "string" },
    WebIdentityToken: { kind: "string" },
    RoleArn: { kind: "string" },
    RoleSessionName: { kind: "string" },
    DurationSeconds: { kind: "integer" },
  });
  if (problem) return problem;
  for (const name of ["ProviderId", "WebIdentityToken", "RoleArn", "RoleSessionName"])
    if (params[name] === undefined || params[name] === "") return missing(name);
  const {
    ProviderId,
    WebIdentityToken,
    RoleArn,
    RoleSessionName,
    DurationSeconds = 7200,
  } = params as {
    ProviderId: string;
    WebIdentityToken: string;
    RoleArn: string;
    RoleSessionName: string;
    DurationSeconds?: number;
  };
  if (!/^[\w+=,.@-]{2,128}$/.test(RoleSessionName))
    return serviceError("InvalidParameter.ParamError", "RoleSessionName must be 2 to 128 of the characters A-Z a-z 0-9 _ + = , . @ -.");
  if (DurationSeconds < 1 || DurationSeconds > 43200)
    return serviceError("InvalidParameter.ParamError", "DurationSeconds must be between 1 and 43200.");
  const provider = context.oidcProviders.find((p) => p.providerId === ProviderId);
  if (!provider) return serviceError("InvalidParameter.ParamError", `No identity provider \`${ProviderId}\` is set up in this account.`);
  const [, account, kind, roleName] = ROLE_ARN.exec(RoleArn) ?? [];
  if (!account) return serviceError("InvalidParameter.ParamError", "RoleArn must be qcs::cam::uin/<account>:roleName/<name>.");
  // The token first: a caller without a good one learns nothing of the provider's roles.
  const refused = await tokenRefusal(WebIdentityToken, provider, context.now);
  if (refused) return serviceError("InvalidParameter.WebIdentityTokenError", `The WebIdentityToken was refused: ${refused}.`);
  if (account !== provider.accountId)
    return serviceError("ResourceNotFound.RoleNotFound", `The role ${RoleArn} is not in the identity provider's account.`);
  // Roles are known by name: a role/<id> ARN names none of them.
  const policy = kind === "roleName" ? provider.roles.get(roleName as string) : undefined;
  if (!policy)
    return serviceError(
      "ResourceNotFound.RoleNotFound",
      `The role ${RoleArn} does not exist, or does not trust the identity provider ${ProviderId}.`,
    );
  const expiresAt = context.now + DurationSeconds * 1000;
  const credential = context.issue({ accountId: provider.accountId, expiresAt, policy, issuedBy: "AssumeRoleWithWebIdentity" });
  return {
    output: {
      Credentials: { Token: credential.token, TmpSecretId: credential.secretId, TmpSecretKey: credential.secretKey },
      ExpiredTime: Math.floor(expiresAt / 1000),
      Expiration: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
    },
  };
}

/** Why the provider refuses the token, or undefined: its signature, claims and lifetime. */
async function tokenRefusal(token: string, provider: OidcProvider, now: number): Promise<string | undefined> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, createLocalJWKSet(provider.keys as Parameters<typeof createLocalJWKSet>[0]), {
      issuer: provider.issuer,
      audience: provider.audience as string | string[],
      requiredClaims: ["exp", "iat", "sub"],
      currentDate: new Date(now),
    }));
  } catch (error) {
    return tokenProblem(error);
  }
  const { iat, exp, sub } = payload as { iat: number; exp: number; sub: unknown };
  if (typeof sub !== "string" || !sub) return "its sub claim is empty";
  if (iat > now / 1000 + IAT_SKEW_SECONDS) return "its iat claim is in the future";
  if (exp - iat > MAX_TOKEN_LIFETIME_SECONDS) return "it is valid for more than 24 hours (exp - iat)";
  return undefined;
}

function tokenProblem(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "it has expired";
  if (error instanceof errors.JWTClaimValidationFailed && error.reason === "missing") return `it has no ${error.claim} claim`;
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
    return "its signature does not verify with the provider's keys";
  if (error instanceof errors.JWTClaimValidationFailed) return `its ${error.claim} claim does not match the provider`;
  return "it is not a well-formed signed JWT";
}
