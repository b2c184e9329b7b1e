// A fast emulator for batch-scale.mjs, in its own process so its CPU and memory are not counted
// against the CLI: jobs wait 50 ms and run 200 ms, the service's real limits (10 jobs at once,
// 20 requests/s per action), the fixed small sample video. Prints its URL on stdout, then serves
// until SIGTERM, SIGINT, or its stdin closing (the benchmark died without killing it).
import { startEmulator } from "@vclm/emulator/node";

const running = await startEmulator({
  port: 0,
  schedule: { waitMs: 50, runMs: 200 },
  limits: { concurrentJobs: 10, requestsPerSecond: 20 },
  photoVideos: false,
});
process.stdout.write(`${running.url}\n`);

let closing = false;
async function stop() {
  if (closing) return;
  closing = true;
  await running.close();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop).on("error", stop).resume();
