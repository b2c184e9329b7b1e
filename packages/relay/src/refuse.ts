/** A refusal the browser can read: JSON `{ error }` with the status, never cached. */
export const refuse = (status: number, error: string): Response =>
  new Response(JSON.stringify({ error }), { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
