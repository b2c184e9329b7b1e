// @vclm/emulator as a plain fetch handler inside this runtime (as in Deno.serve or a Worker), with
// @vclm/core's client sending to it through a fetch that calls the handler.
import { DescribeImageAnimateJob, SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { createEmulator, DEMO_ACCOUNT } from "@vclm/emulator";

export default async function probe({ photoBase64 }) {
  const emulator = createEmulator({ clock: "manual" });
  const fetch = (input, init) => emulator.fetch(new Request(input, init));
  const client = new VclmClient({
    region: "ap-singapore",
    endpoint: "http://vclm.emulator.test/",
    credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
    fetch,
  });
  const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64: photoBase64 });
  emulator.clock.advance(15_000);
  const done = await client.send(DescribeImageAnimateJob, { JobId });
  const video = await fetch(done.ResultVideoUrl);
  const bytes = new Uint8Array(await video.arrayBuffer());
  const wrongKey = await new VclmClient({
    region: "ap-singapore",
    endpoint: "http://vclm.emulator.test/",
    credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: "wrong" },
    fetch,
  })
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
