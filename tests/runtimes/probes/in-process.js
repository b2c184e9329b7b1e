// The emulator as an in-process fetch handler in this runtime (as in Deno.serve or a Worker), and a
// @vclm/core client sending to it through a fetch that calls the handler. Shared by the probes.
import { VclmClient } from "@vclm/core";
import { createEmulator, DEMO_ACCOUNT } from "@vclm/emulator";

export function inProcess(options) {
  const emulator = createEmulator(options);
  const fetch = (input, init) => emulator.fetch(new Request(input, init));
  const client = (secretKey = DEMO_ACCOUNT.secretKey) =>
    new VclmClient({
      region: "ap-singapore",
      endpoint: "http://vclm.emulator.test/",
      credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey },
      fetch,
    });
  return { emulator, fetch, client };
}
