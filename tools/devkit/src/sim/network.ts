// A network for the simulation: a fetch whose every request is one operation of the process that
// sends it. Its fate is drawn from the seed: refused (provably never sent), cut before it arrived,
// processed with its answer lost, or answered; an answer is an event of its own, so answers come
// back in any order the seed draws, after any timers.
import type { SimProcess } from "./simulation.js";

/** The chance of each fault, per request. */
export interface NetworkFaults {
  /** Refused: nothing was sent, and the client can tell (ECONNREFUSED). */
  readonly refused?: number;
  /** Cut before it reached the service: nothing was processed, and the client cannot tell (ECONNRESET). */
  readonly cut?: number;
  /** Processed by the service, its answer lost (ECONNRESET): the client cannot tell it arrived. */
  readonly lost?: number;
}

const failed = (code: string, message: string) => new TypeError("fetch failed", { cause: Object.assign(new Error(message), { code }) });

/**
 * A fetch for `process` that hands each request to `handler` (a service's fetch handler, in
 * process). `faults` is read at each request (a test may change it between lives).
 */
export function simFetch(
  process: SimProcess,
  handler: (request: Request) => Promise<Response>,
  faults: () => NetworkFaults = () => ({}),
): typeof fetch {
  const random = process.simulation.random;
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const action = request.headers.get("x-tc-action");
    const label = `${request.method} ${url.host}${url.pathname}${action ? ` ${action}` : ""}${request.headers.get("range") ? ` ${request.headers.get("range")}` : ""}`;
    const answer = process.io(
      label,
      async () => {
        const { refused = 0, cut = 0, lost = 0 } = faults();
        if (random.chance(refused)) return () => Promise.reject(failed("ECONNREFUSED", `connect ECONNREFUSED ${url.host}`));
        if (random.chance(cut)) return () => Promise.reject(failed("ECONNRESET", "read ECONNRESET"));
        const response = await handler(request);
        if (random.chance(lost)) {
          await response.body?.cancel().catch(() => {});
          return () => Promise.reject(failed("UND_ERR_SOCKET", "other side closed"));
        }
        return () => Promise.resolve(response);
      },
      "later",
    );
    const signal = request.signal;
    if (!signal) return (await answer)();
    if (signal.aborted) throw signal.reason;
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      answer.then((outcome) => {
        signal.removeEventListener("abort", onAbort);
        outcome().then(resolve, reject);
      }, reject);
    });
  }) as typeof fetch;
}
