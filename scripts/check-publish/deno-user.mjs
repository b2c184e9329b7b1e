// The same packages in Deno, imported with npm: specifiers that resolve to the fresh project's
// node_modules (deno.json: "nodeModulesDir": "manual"), with the emulator as a fetch handler in
// this process: animates a photo, waits for DONE and checks the video is an MP4.
// Usage: deno run --cached-only --allow-read --allow-env deno-user.mjs <photo>
import { SubmitImageAnimateJob, VclmClient } from "npm:@vclm/core";
import { createEmulator, DEMO_ACCOUNT } from "npm:@vclm/emulator";
import { waitForJob } from "npm:@vclm/poller";
import { retry } from "npm:@vclm/retry";
import { mp4Problem } from "./mp4.mjs";

// The packed packages, not some other copy: npm: resolves into this project's node_modules.
const resolved = import.meta.resolve("npm:@vclm/core");
if (!resolved.startsWith(new URL("./node_modules/", import.meta.url).href)) throw new Error(`npm:@vclm/core resolved to ${resolved}`);

const emulator = createEmulator({ schedule: { waitMs: 100, runMs: 300 } });
const client = new VclmClient({
  region: "ap-singapore",
  endpoint: "http://vclm.emulator.test/",
  credentials: DEMO_ACCOUNT,
  fetch: (input, init) => emulator.fetch(new Request(input, init)),
}).use(retry());
const photo = await Deno.readFile(Deno.args[0]);
const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "huajiangwu", photo });
const done = await waitForJob(client, JobId, { minDelay: 100 });
const video = new Uint8Array(await (await emulator.fetch(new Request(done.ResultVideoUrl))).arrayBuffer());
const problem = mp4Problem(video);
if (problem) throw new Error(`job ${JobId} is ${done.Status}, but its video is ${problem}`);
console.log(`Deno ${Deno.version.deno}, npm: specifiers: job ${JobId} ${done.Status}, a ${video.length}-byte MP4`);
