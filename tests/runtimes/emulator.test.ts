import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { makePng } from "../../packages/core/test/photos.js";
import { runtimes } from "./src/runners.js";

const probe = fileURLToPath(new URL("./probes/emulator.js", import.meta.url));

describe.each(runtimes)("@vclm/emulator as a fetch handler in $name", ({ run }) => {
  it("checks signatures, runs a job to DONE on its clock, and serves the video", async () => {
    expect(await run(probe, { photoBase64: Buffer.from(makePng(600, 1000)).toString("base64") })).toEqual({
      status: "DONE",
      videoType: "video/mp4",
      ftyp: "ftyp",
      wrongKey: "AuthFailure.SignatureFailure",
    });
  });
});
