import { clientAddress, type RelayRequestInfo, type TrustProxy } from "./client-address.js";

/**
 * Who a request is from, as your app knows it (a session, a verified token). Quotas, rate limits
 * and the credentials issued are all per user.
 *
 * @example
 * ```ts
 * const user: RelayUser = { id: "alice" };
 * ```
 */
export interface RelayUser {
  readonly id: string;
}

/**
 * Your app's sign-in check: the user a request comes from, or undefined (or null) to refuse it with
 * 401. Required by the relay and the credentials handler: there is no default that lets everyone in.
 *
 * @example
 * ```ts
 * const sessions = new Map<string, RelayUser>(); // session id -> user, filled at sign-in
 * const authorize: Authorize = (request) => sessions.get(/session=([\w-]+)/.exec(request.headers.get("cookie") ?? "")?.[1] ?? "");
 * ```
 */
export type Authorize = (request: Request, info: RelayRequestInfo) => RelayUser | undefined | null | Promise<RelayUser | undefined | null>;

/**
 * The only way to let anonymous visitors in, named for what it does: anyone who reaches your page
 * can make paid jobs, within the per-user limits, where a "user" is a client address (as far as it
 * can be trusted: see {@link TrustProxy}). A request whose address is unknown is refused.
 *
 * @example
 * ```ts
 * const relay = createRelay({ authorize: anyoneMaySpendMyMoney(), store: memoryStore() });
 * ```
 */
export function anyoneMaySpendMyMoney(trust?: TrustProxy): Authorize {
  return (request, info) => {
    const address = clientAddress(request, info, trust);
    return address ? { id: `address:${address}` } : undefined;
  };
}
