// Animate a photo from Deno, with the least permissions it needs:
//
//   deno run --allow-read=photo.jpg --allow-write=. --allow-net=vclm.intl.tencentcloudapi.com \
//     --allow-env=TENCENTCLOUD_SECRET_ID,TENCENTCLOUD_SECRET_KEY,TENCENTCLOUD_SESSION_TOKEN \
//     animate.ts photo.jpg --template ke3
//
// The video is downloaded from the host of the job's ResultVideoUrl, a storage host that depends on
// the region and bucket, so it is not known before the job is done. In a terminal, Deno asks then
// whether this script may reach it; otherwise add that host to --allow-net (the script names it when
// it is not allowed, with the video's URL, valid for 24 hours), or give --allow-net without a list.
// `--endpoint http://127.0.0.1:8080/` sends to an emulator instead (then --allow-net=127.0.0.1, where
// it serves its videos too, and the emulator's demo credentials in the environment). The video is
// saved beside the photo's name.
import { fromEnv, TEMPLATE_IDS, type TemplateId, VclmClient } from "npm:@vclm/core";
import { submitAndWait } from "npm:@vclm/poller";
import { retry } from "npm:@vclm/retry";

const [photoPath, ...rest] = Deno.args;
const option = (name: string) => {
  const at = rest.indexOf(`--${name}`);
  return at >= 0 ? rest[at + 1] : undefined;
};
if (!photoPath) {
  console.error(`usage: animate.ts <photo.jpg> [--template ${TEMPLATE_IDS.join("|")}] [--endpoint URL] [--out file.mp4]`);
  Deno.exit(2);
}
const template = (option("template") ?? "ke3") as TemplateId;
const endpoint = option("endpoint");
const out = option("out") ?? `${photoPath.replace(/\.[^.]+$/, "")}-${template}.mp4`;

const client = new VclmClient({ region: "ap-singapore", credentials: fromEnv(), ...(endpoint && { endpoint }) }).use(retry());
const photo = await Deno.readFile(photoPath);
const done = await submitAndWait(client, { TemplateId: template, photo }, { onProgress: (job) => console.error(`job: ${job.Status}`) });
// Asks in a terminal; refused at once otherwise, when --allow-net does not name the video's host.
const { host } = new URL(done.ResultVideoUrl);
if ((await Deno.permissions.request({ name: "net", host })).state !== "granted") {
  console.error(`Job ${done.JobId} is DONE, but this script may not reach ${host}, where its video is.`);
  console.error(`Download it within 24 hours from ${done.ResultVideoUrl}`);
  console.error(`Next time, allow that host too: --allow-net=${client.state.signingHost},${host}`);
  Deno.exit(3);
}
const video = await fetch(done.ResultVideoUrl);
if (!video.ok) throw new Error(`could not download the video: HTTP ${video.status}`);
await Deno.writeFile(out, new Uint8Array(await video.arrayBuffer()));
console.log(`Saved ${out} (job ${done.JobId})`);
