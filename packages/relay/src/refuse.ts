import { RelayStoreError } from "./store.js";

/** A refusal the browser can read: JSON `{ error }` with the status, never cached. */
export const refuse = (status: number, error: string): Response =>
  new Response(JSON.stringify({ error }), { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });

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
