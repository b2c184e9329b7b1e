// A signed-in page's client, as apps/browser builds it: its credentials come from the app's
// credentials handler and its calls go through the app's relay, each request carrying what the
// user's browser adds (a session, a trace). Only @vclm/core: the relay's, Redis's and OpenTelemetry's
// tests share it.
import { fromEndpoint, VclmClient } from "@vclm/core";

type Handler = (request: Request) => Promise<Response>;

/** A page's client: credentials from `credentials`, calls through `relay`, every request with `headers` set. */
export function signedInPage(
  headers: Record<string, string>,
  { credentials, relay }: { credentials: Handler; relay: Handler },
): VclmClient {
  const as = (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
    return request;
  };
  return new VclmClient({
    region: "ap-singapore",
    endpoint: "https://app.example/vclm",
    signingHost: "127.0.0.1",
    credentials: fromEndpoint("https://app.example/api/credentials", {
      init: { method: "POST" },
      fetch: (input, init) => credentials(as(input, init)),
    }),
    fetch: (input, init) => relay(as(input, init)),
  });
}
