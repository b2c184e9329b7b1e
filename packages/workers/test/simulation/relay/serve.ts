// A network hop to a server that does I/O of its own (the relay: its store calls and forwards are
// its process's operations). simFetch runs its handler inside the request's operation, which
// suits a service that does nothing but answer (the emulator, a Durable Object); a handler that
// waits on its own operations would wait forever there, since effects apply one at a time. Here
// the request's arrival is one operation of the client, the server handles it beside everything
// else, and its answer's return is a second one. A server that dies mid-request resets the
// connection.
import type { NetworkFaults, SimProcess } from "@vclm/tools/sim";

/** A server process and its fetch handler. */
export interface Server {
  readonly process: SimProcess;
  readonly handle: (request: Request) => Promise<Response>;
}

const failed = (code: string, message: string) => new TypeError("fetch failed", { cause: Object.assign(new Error(message), { code }) });
const refused = () => failed("ECONNREFUSED", "connect ECONNREFUSED");
const reset = () => failed("ECONNRESET", "read ECONNRESET");

/** What happened to a request once it was sent. */
type Outcome = { response: Response } | { error: Error };

/**
 * A fetch for `client` to whichever server `pick` names at the moment the request arrives
 * (undefined: none is up, the request is refused). `faults` is read once per request, as it is sent.
 */
export function serve(client: SimProcess, pick: () => Server | undefined, faults: () => NetworkFaults = () => ({})): typeof fetch {
  const random = client.simulation.random;
  const pending = new Map<SimProcess, Set<(outcome: Outcome) => void>>();
  client.simulation.onCrash.push((dead) => {
    for (const settle of pending.get(dead) ?? []) settle({ error: reset() });
    pending.delete(dead);
  });
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const label = `${request.method} ${new URL(request.url).pathname} ${request.headers.get("x-tc-action") ?? ""}`.trimEnd();
    // The effect only starts the handler (in a box: the sim would wait for a promise it returned).
    const arrived = await client.io(label, () => {
      const { refused: refusing = 0, cut = 0, lost = 0 } = faults();
      const server = pick();
      if (!server || server.process.dead || random.chance(refusing))
        return { lost, outcome: Promise.resolve<Outcome>({ error: refused() }) };
      if (random.chance(cut)) return { lost, outcome: Promise.resolve<Outcome>({ error: reset() }) };
      return { lost, outcome: handle(server, request) };
    });
    const outcome = await arrived.outcome;
    // The answer (or the reset) comes back as an operation of its own, possibly lost on the way.
    const back = await client.io(`${label} answer`, () =>
      "response" in outcome && random.chance(arrived.lost) ? { error: reset() } : outcome,
    );
    if ("error" in back) throw back.error;
    return back.response;
  }) as typeof fetch;

  function handle(server: Server, request: Request): Promise<Outcome> {
    return new Promise<Outcome>((settle) => {
      const waiting = pending.get(server.process) ?? new Set();
      pending.set(server.process, waiting);
      const once = (outcome: Outcome) => {
        waiting.delete(once);
        settle(outcome);
      };
      waiting.add(once);
      // Handled as the server's process (its crypto dies with it); a handler that throws is a 500, as a server framework answers it.
      server.process
        .run(() => server.handle(request))
        .then(
          (response) => once({ response }),
          (error: Error) => once({ response: Response.json({ error: error.message }, { status: 500 }) }),
        );
    });
  }
}
