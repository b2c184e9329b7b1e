// The same packages in Deno, imported with npm: specifiers that resolve to the fresh project's
// node_modules (deno.json: "nodeModulesDir": "manual"), with the emulator as a fetch handler in
// this process: animates a photo with @vclm/core, retry and poller, then with `vclm`, waits for
// DONE and checks each video is an MP4.
// Usage: deno run --cached-only --allow-read --allow-env deno-user.mjs <photo>
import { SubmitImageAnimateJob, VclmClient } from "npm:@vclm/core";
import { createEmulator, DEMO_ACCOUNT } from "npm:@vclm/emulator";
import { waitForJob } from "npm:@vclm/poller";
import { retry } from "npm:@vclm/retry";
import { animate } from "npm:vclm";
import { mp4Problem } from "./mp4.mjs";

// The packed packages, not some other copy: npm: resolves into this project's node_modules.
for (const name of ["npm:@vclm/core", "npm:vclm"]) {
  const resolved = import.meta.resolve(name);
  if (!resolved.startsWith(new URL("./node_modules/", import.meta.url).href)) throw new Error(`${name} resolved to ${resolved}`);
}
const expectMp4 = (what, bytes) => {
  const problem = mp4Problem(bytes);
  if (problem) throw new Error(`${what}: the video is ${problem}`);
  console.log(`Deno ${Deno.version.deno}, ${what}: a ${bytes.length}-byte MP4`);
};

const emulator = createEmulator({ schedule: { waitMs: 100, runMs: 300 } });
const connect = {
  endpoint: "http://vclm.emulator.test/",
  credentials: DEMO_ACCOUNT,
  fetch: (input, init) => emulator.fetch(new Request(input, init)),
};
const client = new VclmClient({ region: "ap-singapore", ...connect }).use(retry());
const photo = await Deno.readFile(Deno.args[0]);
const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "huajiangwu", photo });
const done = await waitForJob(client, JobId, { minDelay: 100 });
expectMp4(
  `npm:@vclm/core, retry, poller and emulator (job ${JobId})`,
  new Uint8Array(await (await connect.fetch(done.ResultVideoUrl)).arrayBuffer()),
);
const video = await animate(photo, { template: "tuziwu", ...connect });
expectMp4(`npm:vclm animate() (job ${video.jobId})`, await video.download());
