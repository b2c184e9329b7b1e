// @vclm/emulator as a plain fetch handler inside this runtime (as in Deno.serve or a Worker), with
// @vclm/core's client sending to it through a fetch that calls the handler.
import { DescribeImageAnimateJob, SubmitImageAnimateJob } from "@vclm/core";
import { inProcess } from "./in-process.js";

export default async function probe({ photoBase64 }) {
  const { emulator, fetch, client } = inProcess({ clock: "manual" });
  const { JobId } = await client().send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64: photoBase64 });
  emulator.clock.advance(15_000);
  const done = await client().send(DescribeImageAnimateJob, { JobId });
  const video = await fetch(done.ResultVideoUrl);
  const bytes = new Uint8Array(await video.arrayBuffer());
  const wrongKey = await client("wrong")
    .send(DescribeImageAnimateJob, { JobId })
    .catch((error) => error.code);
  return {
    status: done.Status,
    videoType: video.headers.get("content-type"),
    ftyp: new TextDecoder().decode(bytes.subarray(4, 8)),
    // The video is made from the photo, byte for byte the same in every runtime.
    videoBytes: bytes.length,
    videoSha256: Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join(""),
    wrongKey,
  };
}
