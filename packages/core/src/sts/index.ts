/**
 * STS, in one place: its facts ({@link STS}), the credentials it answers ({@link StsCredentials},
 * the shape a credentials handler hands a browser and `fromEndpoint` reads) and its operations,
 * for a `VclmClient` whose endpoint is STS. Its own entry point, so a bundle that never calls STS
 * carries none of it.
 *
 * @example
 * ```ts
 * import { VclmClient } from "@vclm/core";
 * import { GetFederationToken, STS } from "@vclm/core/sts";
 *
 * const sts = new VclmClient({ region: "ap-singapore", endpoint: STS.intlEndpoint });
 * const { Credentials, ExpiredTime } = await sts.send(GetFederationToken, { Name: "vclm-web", Policy: vclmPolicy() });
 * ```
 *
 * @packageDocumentation
 */
export { STS } from "./api.js";
export { AssumeRole, AssumeRoleInput } from "./assume-role.js";
export { AssumeRoleWithWebIdentity, AssumeRoleWithWebIdentityInput } from "./assume-role-with-web-identity.js";
export { StsAnswer, StsCredentials } from "./credentials.js";
export { GetFederationToken, GetFederationTokenInput } from "./get-federation-token.js";
