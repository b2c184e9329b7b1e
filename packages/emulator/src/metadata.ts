import type { TemporaryCredential } from "./accounts.js";

/**
 * The CAM role bound to the emulated CVM instance, whose temporary credentials the emulator's
 * metadata routes serve, as `metadata.tencentyun.com` serves them on a CVM.
 *
 * @example
 * ```ts
 * const emulator = createEmulator({ instanceRole: { roleName: "vclm-worker", durationSeconds: 600 } });
 * ```
 */
export interface EmulatorInstanceRole {
  /** The role's name, listed at `/latest/meta-data/cam/security-credentials/`. */
  readonly roleName: string;
  /** The account it belongs to. @default the emulator's first account */
  readonly accountId?: string;
  /** How long each set of credentials lasts. @default 7200 */
  readonly durationSeconds?: number;
}

const ROLES = "/latest/meta-data/cam/security-credentials/";

/** Is this one of the metadata service's paths? */
export const isMetadataPath = (pathname: string): boolean => pathname.startsWith("/latest/meta-data/");

/**
 * The metadata service's answer for `pathname`: the role's name, or its current credentials
 * (`current()`). 404 for anything else, and for every path when no role is bound, as on a CVM
 * without one.
 */
export function metadataResponse(pathname: string, role: EmulatorInstanceRole | undefined, current: () => TemporaryCredential): Response {
  const notFound = () => new Response("<html><body>404 Not Found</body></html>", { status: 404, headers: { "Content-Type": "text/html" } });
  if (!role) return notFound();
  if (pathname === ROLES) return new Response(role.roleName, { headers: { "Content-Type": "text/plain" } });
  if (pathname !== ROLES + role.roleName) return notFound();
  const credential = current();
  const { expiresAt } = credential;
  return Response.json({
    TmpSecretId: credential.secretId,
    TmpSecretKey: credential.secretKey,
    Token: credential.token,
    ExpiredTime: Math.floor(expiresAt / 1000),
    Expiration: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
    Code: "Success",
  });
}
