import { fileURLToPath } from "node:url";
import { makePng } from "@vclm/tools/photos";
import { describe, expect, it } from "vitest";
import { runtimes } from "./src/runners.js";

const probe = fileURLToPath(new URL("./probes/animate.js", import.meta.url));

describe.each(runtimes)("vclm's animate() in $name", ({ run }) => {
  it("animates through a throttled Submit and Describe faults, reads its endpoint from env, and never resends a lost Submit", async () => {
    expect(await run(probe, { photoBase64: Buffer.from(makePng(600, 1000)).toString("base64") })).toEqual({
      jobs: true,
      statuses: ["WAIT", "DONE"],
      template: "tuziwu",
      retried: ["throttled", "transient"],
      ftyp: "ftyp",
      streamedSame: true,
      expiresInHours: 24,
      lost: "VclmNetworkError",
      jobsMadeByLostSubmit: 1,
    });
  });
});
