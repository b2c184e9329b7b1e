import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { DescribeImageAnimateJob, SubmitImageAnimateJob, TEMPLATE_IDS, VclmClient } from "@vclm/core";
import { createEmulator, DEMO_ACCOUNT } from "@vclm/emulator";
import { makePng } from "@vclm/tools/photos";
import { describe, expect, it } from "vitest";
import { runtimes } from "./src/runners.js";

const probe = fileURLToPath(new URL("./probes/emulator.js", import.meta.url));

// The videos the emulator makes from this photo, one per template (each its own dance), as Node
// makes them: every runtime must make the same bytes.
const photo = makePng(600, 1000, { pattern: 1 });
const expectedVideos = await (async () => {
  const emulator = createEmulator({ clock: "manual" });
  const client = new VclmClient({
    region: "ap-singapore",
    endpoint: "http://vclm.emulator.test/",
    credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
    fetch: (input, init) => emulator.fetch(new Request(input, init)),
  });
  const videos: Record<string, { bytes: number; sha256: string }> = {};
  for (const TemplateId of TEMPLATE_IDS) {
    const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId, photo });
    emulator.clock.advance(15_000);
    // The video's link is signed: the one Describe gives.
    const { ResultVideoUrl } = await client.send(DescribeImageAnimateJob, { JobId });
    const video = new Uint8Array(await (await emulator.fetch(new Request(ResultVideoUrl))).arrayBuffer());
    videos[TemplateId] = { bytes: video.length, sha256: createHash("sha256").update(video).digest("hex") };
  }
  return videos;
})();

describe.each(runtimes)("@vclm/emulator as a fetch handler in $name", ({ run }) => {
  it("checks signatures, runs jobs to DONE on its clock, and serves each template's video, the same bytes as Node's", async () => {
    expect(await run(probe, { photoBase64: Buffer.from(photo).toString("base64"), templates: TEMPLATE_IDS })).toEqual({
      status: "DONE",
      videoType: "video/mp4",
      ftyp: "ftyp",
      videos: expectedVideos,
      wrongKey: "AuthFailure.SignatureFailure",
    });
  });
});
