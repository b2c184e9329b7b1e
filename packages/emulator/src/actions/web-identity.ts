import { createLocalJWKSet, errors, jwtVerify } from "jose";
import type { Caller } from "../accounts.js";
import type { Answer } from "../wire/envelope.js";
import { serviceError } from "../wire/envelope.js";
import { checkFields, missing } from "./params.js";
import type { StsContext } from "./sts.js";

/**
 * An OpenID Connect identity provider whose tokens the emulator's `AssumeRoleWithWebIdentity`
 * takes, as one set up in CAM (TKE's for its pods, or a CI's): tokens must be signed by one of its
 * public keys, name its issuer (and audience, when given), and be unexpired on the emulator's clock.
 *
 * @example
 * ```ts
 * declare const publicJwk: JsonWebKey; // the issuer's public key, e.g. from jose's exportJWK
 * const provider: EmulatorOidcProvider = { providerId: "tke-oidc", issuer: "https://oidc.example.test", keys: { keys: [publicJwk] } };
 * ```
 */
export interface EmulatorOidcProvider {
  /** The id `AssumeRoleWithWebIdentity` names it by (`ProviderId`, TKE's `TKE_PROVIDER_ID`). */
  readonly providerId: string;
  /** The `iss` its tokens must carry. */
  readonly issuer: string;
  /** Its public keys (a JWK set), which verify the tokens' signatures. */
  readonly keys: { readonly keys: readonly JsonWebKey[] };
  /** The `aud` its tokens must carry. @default any */
  readonly audience?: string;
  /** The account whose roles it may assume. @default the emulator's first account */
  readonly accountId?: string;
}

// CAM role ARNs: qcs::cam::uin/<account>:roleName/<name> (or role/<id>).
const ROLE_ARN = /^qcs::cam::uin\/(\d+):(?:roleName|role)\/[\w+=,.@-]{1,128}$/;

/** What AssumeRoleWithWebIdentity needs from the emulator: STS's, and the identity providers. */
export interface WebIdentityContext extends StsContext {
  readonly oidcProviders: readonly (EmulatorOidcProvider & { readonly accountId: string })[];
}

/**
 * STS `AssumeRoleWithWebIdentity`: sent unsigned (`Authorization: SKIP`); the web identity token is
 * the proof. Verified with `jose` against the provider's keys, issuer, audience and the clock.
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
  const account = ROLE_ARN.exec(RoleArn)?.[1];
  if (!account) return serviceError("InvalidParameter.ParamError", "RoleArn must be qcs::cam::uin/<account>:roleName/<name>.");
  if (account !== provider.accountId)
    return serviceError("ResourceNotFound.RoleNotFound", `The role ${RoleArn} is not in the identity provider's account.`);
  try {
    await jwtVerify(WebIdentityToken, createLocalJWKSet(provider.keys as Parameters<typeof createLocalJWKSet>[0]), {
      issuer: provider.issuer,
      ...(provider.audience !== undefined && { audience: provider.audience }),
      currentDate: new Date(context.now),
    });
  } catch (error) {
    return serviceError("InvalidParameter.WebIdentityTokenError", `The WebIdentityToken was refused: ${tokenProblem(error)}.`);
  }
  const expiresAt = context.now + DurationSeconds * 1000;
  const credential = context.issue({ accountId: provider.accountId, expiresAt, policy: undefined, issuedBy: "AssumeRoleWithWebIdentity" });
  return {
    output: {
      Credentials: { Token: credential.token, TmpSecretId: credential.secretId, TmpSecretKey: credential.secretKey },
      ExpiredTime: Math.floor(expiresAt / 1000),
      Expiration: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
    },
  };
}

function tokenProblem(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "it has expired";
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
    return "its signature does not verify with the provider's keys";
  if (error instanceof errors.JWTClaimValidationFailed) return `its ${error.claim} claim does not match the provider`;
  return "it is not a well-formed signed JWT";
}
