// The emulator under load, in its own process: prints its URL, then serves until killed.
import { startEmulator } from "../dist/node.js";

const running = await startEmulator({ limits: { requestsPerSecond: 1_000_000, concurrentJobs: 1_000_000 } });
console.log(running.url);
