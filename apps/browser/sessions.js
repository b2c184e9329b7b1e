// The stand-in sign-in's sessions, kept in the relay's store, so every instance that shares the store
// (Redis, with --redis) knows a session another instance opened. Each session is a claim that
// expires with it: the store forgets it when it ends, and no live one is ever evicted. The store
// keeps a hash of the cookie's id, never the id, so whoever can read the store (a Redis dump) finds
// no cookie to sign in with.
import { createHash, randomUUID } from "node:crypto";

/**
 * @param {import("@vclm/relay").RelayStore} store the relay's store
 * @param {{ sessionMs: number, maxSessions: number, now: () => number }} options
 *   `maxSessions`: sign-ins admitted in each window of `sessionMs` (fixed windows, counted in the store
 *   as the relay counts its quotas, so one count for all instances). A session lasts `sessionMs`, so at
 *   most twice as many are live at once, whatever anyone does; past the count, sign-ins wait for the next
 *   window and nobody is signed out to make room.
 */
export function storeSessions(store, { sessionMs, maxSessions, now }) {
  const keyOf = (id) => `session:${createHash("sha256").update(id).digest("base64url")}`;
  return {
    /** Opens a session of `name`: resolves to its id, or to undefined when this window's sign-ins are used up. */
    async open(name) {
      const at = now();
      if (!(await store.take("sign-ins", maxSessions, sessionMs, at))) return undefined;
      const id = randomUUID();
      // A random UUID is never one the store holds already; if it were, that session is not handed out again.
      if (!(await store.claim(keyOf(id), name, at + sessionMs, at))) throw new Error("a new session's id was in use");
      return id;
    },
    /** The name the session `id` was opened for, while it lasts. */
    nameOf: (id) => store.get(keyOf(id), now()),
  };
}
