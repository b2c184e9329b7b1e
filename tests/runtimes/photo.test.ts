import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { largeJpeg } from "@vclm/tools/large-jpeg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runtimes } from "./src/runners.js";

const probe = fileURLToPath(new URL("./probes/photo.js", import.meta.url));
const credentials = { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey };
// What the emulator keeps of a base64 photo: the SHA-256 of the ImageBase64 it received.
const expected = createHash("sha256").update(Buffer.from(largeJpeg()).toString("base64")).digest("hex");
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ limits: { concurrentJobs: 1_000 } });
});
afterAll(() => emulator.close());

describe.each(runtimes)("the photo path in $name", ({ name, run }) => {
  it("codes base64 as btoa/atob do on this runtime's own path, and submits a 10 MB photo as bytes, a Blob and base64, intact", async () => {
    const result = await run(probe, { endpoint: emulator.url, relayTarget: emulator.url, credentials });
    expect(result.agrees).toBe(true);
    for (const form of ["bytes", "Blob", "ImageBase64"]) {
      const job = [...emulator.emulator.jobs.all()].find((j) => j.id === result.jobs[form]);
      expect(job?.photo, `${form} in ${name}`).toBe(expected);
    }
    console.log(`${name}: base64 by ${result.path}; Submit of a 10 MB photo (ms, wall) ${JSON.stringify(result.timings)}`);
  });
});
