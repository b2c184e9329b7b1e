// What a user of the published packages does first, in a fresh npm project that installed their
// tarballs: animates a photo against the emulator (an HTTP server in this process) with
// @vclm/core, @vclm/retry and @vclm/poller, downloads the video and checks it is an MP4, then uses
// the `vclm` package's own entry points. Each step prints a line; the first that fails throws.
// Usage: node node-user.mjs <photo>
import { readFile } from "node:fs/promises";
import { VclmClient } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { startEmulator } from "@vclm/emulator/node";
import { submitAndWait } from "@vclm/poller";
import { retry } from "@vclm/retry";
import { mp4Problem } from "./mp4.mjs";

const photo = new Uint8Array(await readFile(process.argv[2]));
const running = await startEmulator({ schedule: { waitMs: 100, runMs: 300 } });
try {
  const client = new VclmClient({ region: "ap-singapore", endpoint: running.url, credentials: DEMO_ACCOUNT }).use(retry());
  const done = await submitAndWait(client, { TemplateId: "tuziwu", photo }, { minDelay: 100 });
  const video = new Uint8Array(await (await fetch(done.ResultVideoUrl)).arrayBuffer());
  const problem = mp4Problem(video);
  if (problem) throw new Error(`@vclm/core, poller, retry and emulator: job ${done.JobId} is ${done.Status}, but its video is ${problem}`);
  console.log(`@vclm/core, poller, retry and emulator: job ${done.JobId} ${done.Status}, a ${video.length}-byte MP4`);

  // `vclm`: the command line as a function (the package's entry, or vclm/cli once the entry is
  // `animate`), and `animate` when the entry has it.
  const vclm = await import("vclm");
  const { main } = typeof vclm.main === "function" ? vclm : await import("vclm/cli");
  const code = await main(["--version"]); // prints the version
  if (code !== 0) throw new Error(`vclm: main(["--version"]) returned ${code}`);
  console.log(`vclm: main(["--version"]) returned ${code}`);
  if (typeof vclm.animate === "function") {
    const animated = await vclm.animate(photo, { template: "huajiangwu", endpoint: running.url, credentials: DEMO_ACCOUNT });
    const bytes = await animated.download();
    const wrong = mp4Problem(bytes);
    if (wrong) throw new Error(`vclm: animate() gave a video that is ${wrong}`);
    console.log(`vclm: animate() gave a ${bytes.length}-byte MP4`);
  }
} finally {
  await running.close();
}
