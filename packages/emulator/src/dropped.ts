/**
 * Thrown by the fetch handler when a scenario says the connection must close without an answer.
 * The Node server closes the socket; Deno and Workers end the request with an error.
 *
 * @example
 * ```ts
 * const emulator = createEmulator();
 * export default {
 *   // In a Worker or Deno.serve, a handler that throws ends the request with an error: no answer at all.
 *   fetch: (request: Request) =>
 *     emulator.fetch(request).catch((error: unknown) => {
 *       if (error instanceof DroppedConnection) console.log("connection dropped, as the scenario asked");
 *       throw error;
 *     }),
 * };
 * ```
 */
export class DroppedConnection extends Error {
  /** Whether the call was processed first (a lost answer) or not at all (a dropped connection). */
  readonly processed: boolean;

  constructor(processed: boolean) {
    super(processed ? "scenario: the answer is lost after processing" : "scenario: the connection is dropped before processing");
    this.name = "DroppedConnection";
    this.processed = processed;
  }
}
