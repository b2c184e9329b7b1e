import { RelayStoreError } from "./store.js";

/** Each refusal's reason, for the request's span and log line (see observed.ts). */
const reasons = new WeakMap<Response, string>();

/** A refusal the browser can read: JSON `{ error }` with the status, never cached. */
export function refuse(status: number, error: string): Response {
  const answer = new Response(JSON.stringify({ error }), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
  reasons.set(answer, error);
  return answer;
}

/** Why the relay refused, if this answer is a refusal. */
export const refusalOf = (answer: Response): string | undefined => reasons.get(answer);

/**
 * Runs a handler's work on the store; a store that cannot take it (full, unreachable) refuses the
 * request with 503, failing closed: nothing is forwarded or issued without its record.
 */
export async function withStore(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RelayStoreError) return refuse(503, `the relay is busy: ${error.message}; try again in a minute`);
    throw error;
  }
}
