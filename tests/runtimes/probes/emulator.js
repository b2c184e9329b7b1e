// @vclm/emulator as a plain fetch handler inside this runtime (as in Deno.serve or a Worker), with
// @vclm/core's client sending to it through a fetch that calls the handler.
import { DescribeImageAnimateJob, SubmitImageAnimateJob } from "@vclm/core";
import { inProcess } from "./in-process.js";

export default async function probe({ photoBase64, templates }) {
  const { emulator, fetch, client } = inProcess({ clock: "manual" });
  const jobs = [];
  for (const TemplateId of templates)
    jobs.push((await client().send(SubmitImageAnimateJob, { TemplateId, ImageBase64: photoBase64 })).JobId);
  emulator.clock.advance(15_000);
  const done = await client().send(DescribeImageAnimateJob, { JobId: jobs[0] });
  const video = await fetch(done.ResultVideoUrl);
  const bytes = new Uint8Array(await video.arrayBuffer());
  const wrongKey = await client("wrong")
    .send(DescribeImageAnimateJob, { JobId: jobs[0] })
    .catch((error) => error.code);
  // The video is made from the photo with the template's dance, byte for byte the same in every runtime.
  const videos = {};
  for (const [i, JobId] of jobs.entries()) {
    const { ResultVideoUrl } = await client().send(DescribeImageAnimateJob, { JobId });
    const each = new Uint8Array(await (await fetch(ResultVideoUrl)).arrayBuffer());
    videos[templates[i]] = { bytes: each.length, sha256: await sha256(each) };
  }
  return {
    status: done.Status,
    videoType: video.headers.get("content-type"),
    ftyp: new TextDecoder().decode(bytes.subarray(4, 8)),
    videos,
    wrongKey,
  };
}

async function sha256(bytes) {
  return Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}
