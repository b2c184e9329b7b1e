import type { Credentials } from "@vclm/signer";
import { VclmTimeoutError } from "../errors/timeout-error.js";
import { withDeadline } from "../util/deadline.js";

/**
 * Credentials that expire, such as STS temporary credentials.
 *
 * @example
 * ```ts
 * const { Credentials, ExpiredTime } = await (await fetch("/api/vclm-credentials")).json(); // STS's answer, from your backend
 * const temporary: ExpiringCredentials = {
 *   secretId: Credentials.TmpSecretId,
 *   secretKey: Credentials.TmpSecretKey,
 *   token: Credentials.Token,
 *   expiresAt: new Date(ExpiredTime * 1000),
 * };
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
   * shorter (so credentials that live 2 minutes are not fetched again for every call). Calls go on
   * with the old credentials while the refresh runs, until a minute (or a quarter of their
   * lifetime) is left; from then on they wait for the fresh ones, so no request is signed with
   * credentials that would expire on its way.
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
 * What a credentials provider is called with by the call that waits for it: the seam through which
 * {@link cacheCredentials} learns that no call waits for a refresh any more. `VclmClient`'s
 * signing aborts `signal` once its call stops waiting (the call's signal aborted, its timeout ran
 * out, or the credentials came). A caller that passes no signal waits to the end.
 *
 * @example
 * ```ts
 * const provider: WaitingCredentialsProvider = cacheCredentials(async ({ signal }) => {
 *   const { Credentials, ExpiredTime } = await (await fetch("/api/vclm-credentials", { signal })).json(); // STS's answer, from your backend
 *   return { secretId: Credentials.TmpSecretId, secretKey: Credentials.TmpSecretKey, token: Credentials.Token, expiresAt: new Date(ExpiredTime * 1000) };
 * });
 * const credentials = await provider({ signal: AbortSignal.timeout(5_000) });
 * ```
 */
export interface CredentialsWait {
  /** Aborts when the caller stops waiting. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A credentials provider that can be told when its caller stops waiting ({@link CredentialsWait}).
 * It is a `CredentialsProvider` too: called without a signal, it waits to the end.
 *
 * @example
 * ```ts
 * declare function askMyVault(): Promise<{ secretId: string; secretKey: string; token: string; expiresAt: Date }>; // your secret store
 * const provider: WaitingCredentialsProvider = cacheCredentials(askMyVault);
 * ```
 */
export type WaitingCredentialsProvider = (wait?: CredentialsWait) => Promise<Credentials>;

/** How long credentials must still be valid to sign with: a request's way there, and clocks that differ. */
const MARGIN = 60_000;

/**
 * Wraps a provider of expiring credentials: its answer is kept until `refreshBefore` its expiry;
 * then the next call refreshes it in the background while the still-valid credentials go on
 * serving; with a minute (or a quarter of their lifetime) left, calls wait for the refresh. However many calls wait, the provider is
 * called once; a refresh that fails (or throws at once, or stalls past `timeout`) is not kept, and
 * the next call tries again. Credentials without `expiresAt` are not cached: the provider is asked
 * each time.
 *
 * Each call may pass a signal that aborts when it stops waiting ({@link CredentialsWait});
 * `VclmClient` passes one for each call. A call whose signal aborts is rejected at once with its
 * reason, and the refresh goes on for the calls still waiting; once the last of them has stopped,
 * the refresh is dropped: the `signal` given to `provider` aborts (abort its fetch with it), its
 * answer is not kept, and the next call starts a new refresh, so a call made after a stalled
 * endpoint recovers does not wait for the stalled refresh's `timeout`. A call without a signal
 * waits to the end, and so does a background refresh, which no call waits for.
 *
 * @example
 * ```ts
 * const credentials = cacheCredentials(async ({ signal }) => {
 *   const { Credentials, ExpiredTime } = await (await fetch("/api/vclm-credentials", { signal })).json();
 *   return { secretId: Credentials.TmpSecretId, secretKey: Credentials.TmpSecretKey, token: Credentials.Token, expiresAt: new Date(ExpiredTime * 1000) };
 * });
 * ```
 */
export function cacheCredentials(
  provider: (refresh: { readonly signal: AbortSignal }) => ExpiringCredentials | Promise<ExpiringCredentials>,
  { refreshBefore = 300_000, timeout = 30_000, now = Date.now }: CacheCredentialsOptions = {},
): WaitingCredentialsProvider {
  let current: { credentials: ExpiringCredentials; refreshAt: number; usableUntil: number } | undefined;
  // The refresh under way, how many calls wait for it, and what drops it.
  let refreshing: Refresh | undefined;

  const refresh = (): Refresh => {
    if (refreshing) return refreshing;
    const drop = new AbortController();
    const run: Refresh = {
      waiters: 0,
      drop,
      // `Promise.resolve().then` also catches a provider that throws synchronously. A refresh that
      // is dropped, or stalls past `timeout`, rejects at once, and its signal aborts its fetch.
      answer: withDeadline(Promise.resolve({ signal: drop.signal }).then(provider), {
        signal: drop.signal,
        timeout,
        onTimeout: () => {
          drop.abort();
          return new VclmTimeoutError("refresh credentials", timeout, false);
        },
      })
        .then((fresh) => {
          const expiresAt = fresh?.expiresAt?.getTime();
          if (expiresAt !== undefined) {
            const lifetime = expiresAt - now();
            const refreshAt = expiresAt - Math.min(refreshBefore, lifetime / 2);
            // Past this, a request signed now might arrive after they expired: calls wait for fresh ones.
            current = { credentials: fresh, refreshAt, usableUntil: Math.max(refreshAt, expiresAt - Math.min(MARGIN, lifetime / 4)) };
          }
          return fresh;
        })
        .finally(() => {
          if (refreshing === run) refreshing = undefined;
        }),
    };
    refreshing = run;
    return run;
  };

  // Waits for `run` until `signal` aborts. The last waiter to stop drops the refresh, at once: a
  // call that follows never joins it.
  const wait = (run: Refresh, signal: AbortSignal | undefined): Promise<ExpiringCredentials> => {
    run.waiters++;
    if (!signal) return run.answer;
    return new Promise((resolve, reject) => {
      const leave = () => {
        reject(signal.reason);
        if (--run.waiters === 0) {
          if (refreshing === run) refreshing = undefined;
          run.drop.abort();
        }
      };
      // Once the refresh has settled, a signal that aborts is no longer heard.
      const settle =
        <T>(outcome: (value: T) => void) =>
        (value: T) => {
          signal.removeEventListener("abort", leave);
          outcome(value);
        };
      signal.addEventListener("abort", leave);
      run.answer.then(settle(resolve), settle(reject));
    });
  };

  return async (waiting) => {
    const at = now();
    if (current && at < current.refreshAt) return current.credentials;
    if (current && at < current.usableUntil) {
      // Valid for a while yet: serve it, refresh behind it. A failed refresh is retried by the next call.
      refresh().answer.catch(() => {});
      return current.credentials;
    }
    // A caller that has already stopped waiting starts nothing.
    waiting?.signal?.throwIfAborted();
    return wait(refresh(), waiting?.signal);
  };
}

/** A refresh under way, shared by every call that waits for it. */
interface Refresh {
  readonly answer: Promise<ExpiringCredentials>;
  readonly drop: AbortController;
  /** The calls waiting for it; each that stops waiting counts itself out. */
  waiters: number;
}
