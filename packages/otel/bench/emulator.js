// The bench's emulator, in its own process so its work (verifying every signature) is not counted
// as the client's CPU. Real clock, no rate limit in the way. Prints its URL on the first line.
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { startEmulator } from "@vclm/emulator/node";

const { url } = await startEmulator({ accounts: [DEMO_ACCOUNT], limits: { requestsPerSecond: 1_000_000 } });
console.log(url);
