import type { Credentials, CredentialsProvider } from "@vclm/signer";

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
 * const options: CacheCredentialsOptions = { refreshBefore: 60_000 };
 * ```
 */
export interface CacheCredentialsOptions {
  /** Refresh this many milliseconds before expiry. @default 300_000 (5 minutes) */
  readonly refreshBefore?: number;
  /** The clock, in milliseconds. @default Date.now */
  readonly now?: () => number;
}

/**
 * Wraps a provider of expiring credentials: its answer is kept until `refreshBefore` its expiry;
 * then the next call refreshes it in the background while the still-valid credentials go on
 * serving; once expired, calls wait for the refresh. However many calls wait, the provider is
 * called once; a refresh that fails is not kept, and the next call tries again. Credentials without
 * `expiresAt` are not cached: the provider is asked each time.
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
  { refreshBefore = 300_000, now = Date.now }: CacheCredentialsOptions = {},
): CredentialsProvider {
  let current: ExpiringCredentials | undefined;
  let refreshing: Promise<ExpiringCredentials> | undefined;

  const refresh = () => {
    refreshing ??= (async () => {
      try {
        const fresh = await provider();
        if (fresh?.expiresAt) current = fresh;
        return fresh;
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  };

  return async () => {
    const expiresAt = current?.expiresAt?.getTime() ?? 0;
    const left = expiresAt - now();
    if (current && left > refreshBefore) return current;
    if (current && left > 0) {
      // Still valid: serve it, refresh behind it. A failed refresh is retried by the next call.
      refresh().catch(() => {});
      return current;
    }
    return refresh();
  };
}
