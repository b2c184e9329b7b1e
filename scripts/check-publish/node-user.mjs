// What a user of the published packages does first, in a fresh npm project that installed their
// tarballs, against the emulator (an HTTP server in this process): animates a photo with
// @vclm/core, @vclm/retry and @vclm/poller, then with `vclm` (its bytes in, the video downloaded)
// and `vclm/node` (its path in, the video saved), checks each video is an MP4, and runs the
// command line as a function (`vclm/cli`). Each step prints a line; the first that fails throws.
// Usage: node node-user.mjs <photo>
import { readFile } from "node:fs/promises";
import { VclmClient } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { startEmulator } from "@vclm/emulator/node";
import { submitAndWait } from "@vclm/poller";
import { retry } from "@vclm/retry";
import { animate } from "vclm";
import { main } from "vclm/cli";
import { animate as animateFile } from "vclm/node";
import { mp4Problem } from "./mp4.mjs";

const photoPath = process.argv[2];
const photo = new Uint8Array(await readFile(photoPath));
const running = await startEmulator({ schedule: { waitMs: 100, runMs: 300 } });
const expectMp4 = (what, bytes) => {
  const problem = mp4Problem(bytes);
  if (problem) throw new Error(`${what}: the video is ${problem}`);
  console.log(`${what}: a ${bytes.length}-byte MP4`);
};
try {
  const client = new VclmClient({ region: "ap-singapore", endpoint: running.url, credentials: DEMO_ACCOUNT }).use(retry());
  const done = await submitAndWait(client, { TemplateId: "tuziwu", photo }, { minDelay: 100 });
  expectMp4(
    `@vclm/core, retry, poller and emulator (job ${done.JobId})`,
    new Uint8Array(await (await fetch(done.ResultVideoUrl)).arrayBuffer()),
  );

  const connect = { endpoint: running.url, credentials: DEMO_ACCOUNT };
  const video = await animate(photo, { template: "huajiangwu", ...connect });
  expectMp4(`vclm: animate(bytes) (job ${video.jobId})`, await video.download());
  const fromFile = await animateFile(photoPath, connect);
  const { path } = await fromFile.save("saved.mp4", { replace: true });
  expectMp4(`vclm/node: animate(path).save() (job ${fromFile.jobId})`, new Uint8Array(await readFile(path)));

  const code = await main(["--version"]); // prints the version
  if (code !== 0) throw new Error(`vclm/cli: main(["--version"]) returned ${code}`);
} finally {
  await running.close();
}
