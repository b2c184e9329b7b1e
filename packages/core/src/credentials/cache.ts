import type { Credentials, CredentialsProvider } from "@vclm/signer";
import { VclmTimeoutError } from "../errors/timeout-error.js";
import { withDeadline } from "../util/deadline.js";

/**
 * Credentials that expire, such as STS temporary credentials.
 *
 * @example
 * ```ts
 * const temporary: ExpiringCredentials = { secretId, secretKey, token, expiresAt: new Date(ExpiredTime * 1000) };
 * ```
 */
export interface ExpiringCredentials extends Credentials {
  /** When they stop working. Without it, credentials are taken as valid for as long as they are used. */
  readonly expiresAt?: Date | undefined;
}

/**
 * Options for {@link cacheCredentials}.
 *
 * @example
 * ```ts
 * const options: CacheCredentialsOptions = { refreshBefore: 60_000, timeout: 10_000 };
 * ```
 */
export interface CacheCredentialsOptions {
  /**
   * Refresh this many milliseconds before expiry, or half the credentials' lifetime when that is
   * shorter (so credentials that live 2 minutes are not fetched again for every call).
   * @default 300_000 (5 minutes)
   */
  readonly refreshBefore?: number;
  /**
   * Milliseconds one refresh may take. A refresh that stalls longer is dropped: the calls waiting
   * for it fail with a `VclmTimeoutError`, and the next call starts a new one. `0` for none.
   * @default 30_000
   */
  readonly timeout?: number;
  /** The clock, in milliseconds. @default Date.now */
  readonly now?: () => number;
}

/**
 * Wraps a provider of expiring credentials: its answer is kept until `refreshBefore` its expiry;
 * then the next call refreshes it in the background while the still-valid credentials go on
 * serving; once expired, calls wait for the refresh. However many calls wait, the provider is
 * called once; a refresh that fails (or throws at once, or stalls past `timeout`) is not kept, and
 * the next call tries again. Credentials without `expiresAt` are not cached: the provider is asked
 * each time.
 *
 * @example
 * ```ts
 * const credentials = cacheCredentials(async () => {
 *   const { Credentials, ExpiredTime } = await (await fetch("/api/vclm-credentials")).json();
 *   return { secretId: Credentials.TmpSecretId, secretKey: Credentials.TmpSecretKey, token: Credentials.Token, expiresAt: new Date(ExpiredTime * 1000) };
 * });
 * ```
 */
export function cacheCredentials(
  provider: () => ExpiringCredentials | Promise<ExpiringCredentials>,
  { refreshBefore = 300_000, timeout = 30_000, now = Date.now }: CacheCredentialsOptions = {},
): CredentialsProvider {
  let current: { credentials: ExpiringCredentials; refreshAt: number; expiresAt: number } | undefined;
  let refreshing: Promise<ExpiringCredentials> | undefined;

  const load = async (): Promise<ExpiringCredentials> => {
    const fresh = await withDeadline(Promise.resolve().then(provider), {
      timeout,
      onTimeout: () => new VclmTimeoutError("refresh credentials", timeout, false),
    });
    const expiresAt = fresh?.expiresAt?.getTime();
    if (expiresAt !== undefined) {
      const lifetime = expiresAt - now();
      current = { credentials: fresh, expiresAt, refreshAt: expiresAt - Math.min(refreshBefore, lifetime / 2) };
    }
    return fresh;
  };
  // `.finally` runs after the assignment, even when the provider throws synchronously.
  const refresh = () => {
    refreshing ??= load().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };

  return async () => {
    const at = now();
    if (current && at < current.refreshAt) return current.credentials;
    if (current && at < current.expiresAt) {
      // Still valid: serve it, refresh behind it. A failed refresh is retried by the next call.
      refresh().catch(() => {});
      return current.credentials;
    }
    return refresh();
  };
}
