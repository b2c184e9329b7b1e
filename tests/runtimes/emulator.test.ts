import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { DescribeImageAnimateJob, SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { createEmulator, DEMO_ACCOUNT } from "@vclm/emulator";
import { makePng } from "@vclm/tools/photos";
import { describe, expect, it } from "vitest";
import { runtimes } from "./src/runners.js";

const probe = fileURLToPath(new URL("./probes/emulator.js", import.meta.url));

// The video the emulator makes from this photo, as Node makes it: every runtime must make the same bytes.
const photo = makePng(600, 1000);
const expectedVideo = await (async () => {
  const emulator = createEmulator({ clock: "manual" });
  const client = new VclmClient({
    region: "ap-singapore",
    endpoint: "http://vclm.emulator.test/",
    credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
    fetch: (input, init) => emulator.fetch(new Request(input, init)),
  });
  const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", photo });
  emulator.clock.advance(15_000);
  // The video's link is signed: the one Describe gives.
  const { ResultVideoUrl } = await client.send(DescribeImageAnimateJob, { JobId });
  return new Uint8Array(await (await emulator.fetch(new Request(ResultVideoUrl))).arrayBuffer());
})();

describe.each(runtimes)("@vclm/emulator as a fetch handler in $name", ({ run }) => {
  it("checks signatures, runs a job to DONE on its clock, and serves the video", async () => {
    expect(await run(probe, { photoBase64: Buffer.from(photo).toString("base64") })).toEqual({
      status: "DONE",
      videoType: "video/mp4",
      ftyp: "ftyp",
      videoBytes: expectedVideo.length,
      videoSha256: createHash("sha256").update(expectedVideo).digest("hex"),
      wrongKey: "AuthFailure.SignatureFailure",
    });
  });
});
