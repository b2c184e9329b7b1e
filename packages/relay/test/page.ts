// The backend the relay's tests share, as apps/browser builds it: the emulator holding the
// backend's permanent key, a memory store, and a credentials handler that binds the credentials it
// issues to the relay's address (127.0.0.2). The page's client is in signed-in-page.ts.
import { VclmClient } from "@vclm/core";
import { startEmulator } from "@vclm/emulator/node";
import { type Authorize, createCredentialsHandler, memoryStore } from "../src/index.js";

/** The emulator with `backend`'s key, a memory store and the credentials handler on it. */
export async function startBackend(backend: { secretId: string; secretKey: string }, authorize: Authorize) {
  const emulator = await startEmulator({ accounts: [backend], limits: { requestsPerSecond: 1_000 } });
  const store = memoryStore();
  const sts = new VclmClient({ region: "ap-singapore", endpoint: emulator.url, credentials: backend });
  const credentials = createCredentialsHandler({ authorize, sts, store, bindTo: "127.0.0.2/32" });
  return { emulator, store, credentials };
}
