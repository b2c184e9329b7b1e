// A network for the simulation: a fetch whose every request is one operation of the process that
// sends it. Its fate is drawn from the seed: refused (provably never sent), cut before it arrived,
// processed with its answer lost, answered with its body cut short, or answered; an answer is an event of its own, so answers come
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
  /** Answered, then the connection breaks partway through the answer's body (a download cut short). */
  readonly truncated?: number;
}

/** `response` whose body ends with a broken connection after `keep` of its bytes. */
async function truncate(response: Response, keep: (length: number) => number): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const kept = bytes.subarray(0, keep(bytes.length));
  // Pulled one read at a time: the bytes kept, then the break (an error raised at once would drop
  // queued bytes or not depending on when the reader came).
  let sent = kept.length === 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(kept);
        } else
          controller.error(
            new TypeError("terminated", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) }),
          );
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
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
        const { refused = 0, cut = 0, lost = 0, truncated = 0 } = faults();
        const simulation = process.simulation;
        if (random.chance(refused)) {
          simulation.note("refused");
          return () => Promise.reject(failed("ECONNREFUSED", `connect ECONNREFUSED ${url.host}`));
        }
        if (random.chance(cut)) {
          simulation.note("cut before it arrived");
          return () => Promise.reject(failed("ECONNRESET", "read ECONNRESET"));
        }
        const response = await handler(request);
        if (random.chance(lost)) {
          simulation.note("answer lost");
          await response.body?.cancel().catch(() => {});
          return () => Promise.reject(failed("UND_ERR_SOCKET", "other side closed"));
        }
        if (response.body && random.chance(truncated)) {
          const cut = await truncate(response, (length) => {
            const keep = random.int(length);
            simulation.note(`answer cut after ${keep} bytes`);
            return keep;
          });
          return () => Promise.resolve(cut);
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
