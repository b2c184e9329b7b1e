// The backend and the signed-in page the relay's tests share, as apps/browser builds them: the
// emulator holding the backend's permanent key, a memory store, a credentials handler that binds
// the credentials it issues to the relay's address (127.0.0.2), and a page's client whose
// credentials come from that handler and whose calls go through a relay, each request carrying
// what the user's browser adds (a session, a trace).
import { fromEndpoint, VclmClient } from "@vclm/core";
import { startEmulator } from "@vclm/emulator/node";
import { type Authorize, createCredentialsHandler, memoryStore } from "../src/index.js";

type Handler = (request: Request) => Promise<Response>;

/** The emulator with `backend`'s key, a memory store and the credentials handler on it. */
export async function startBackend(backend: { secretId: string; secretKey: string }, authorize: Authorize) {
  const emulator = await startEmulator({ accounts: [backend], limits: { requestsPerSecond: 1_000 } });
  const store = memoryStore();
  const sts = new VclmClient({ region: "ap-singapore", endpoint: emulator.url, credentials: backend });
  const credentials = createCredentialsHandler({ authorize, sts, store, bindTo: "127.0.0.2/32" });
  return { emulator, store, credentials };
}

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
