// Animate a photo from Deno with vclm's one call, with the least permissions it needs:
//
//   deno run --allow-read=photo.jpg --allow-write=. --allow-net=vclm.intl.tencentcloudapi.com \
//     --allow-env=VCLM_ENDPOINT,TENCENTCLOUD_SECRET_ID,TENCENTCLOUD_SECRET_KEY,TENCENTCLOUD_SESSION_TOKEN \
//     animate.ts photo.jpg --template ke3
//
// The video is downloaded from the host of the job's video URL, a storage host that depends on the
// region and bucket, so it is not known before the job is done. In a terminal, Deno asks then
// whether this script may reach it; otherwise add that host to --allow-net (the script names it when
// it is not allowed, with the video's URL, valid for 24 hours), or give --allow-net without a list.
// VCLM_ENDPOINT=http://127.0.0.1:8080/ (or --endpoint) sends to an emulator instead (then
// --allow-net=127.0.0.1, where it serves its videos too, and the emulator's demo credentials in the
// environment). The video is saved beside the photo's name.
import { animate, TEMPLATE_IDS, type TemplateId } from "npm:vclm";

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

const video = await animate(await Deno.readFile(photoPath), {
  template,
  region: "ap-singapore",
  ...(endpoint && { endpoint }),
  onProgress: (job) => console.error(`job: ${job.Status}`),
});
// Asks in a terminal; refused at once otherwise, when --allow-net does not name the video's host.
const { host } = new URL(video.url);
if ((await Deno.permissions.request({ name: "net", host })).state !== "granted") {
  console.error(`Job ${video.jobId} is DONE, but this script may not reach ${host}, where its video is.`);
  console.error(`Download it within 24 hours (until ${video.expiresAt.toISOString()}) from ${video.url}`);
  console.error(
    `Next time, allow that host too: --allow-net=${endpoint ? new URL(endpoint).hostname : "vclm.intl.tencentcloudapi.com"},${host}`,
  );
  Deno.exit(3);
}
await Deno.writeFile(out, await video.download());
console.log(`Saved ${out} (job ${video.jobId})`);
