// What the Worker holds of a 10 MB photo while it stores it: storePhoto, in workerd, fed a 10 MB
// upload over real HTTP, writing into a bucket that only counts what it is given. The most bytes
// our code holds at once is its 64 KB head plus the chunk in flight; the design it replaced read the
// whole body (10 MB) and base64'd it for the Submit (13.3 MB more).
import { Miniflare } from "miniflare";
import { afterAll, describe, expect, it } from "vitest";
import { bundleForWorkerd } from "./bundle.js";
import { freePort } from "./service.js";

let mf: Miniflare | undefined;
afterAll(() => mf?.dispose());

describe("storePhoto's memory, in workerd", () => {
  it("holds at most its 64 KB head and one chunk of a 10 MB photo", async () => {
    const entry = `
      import { storePhoto } from "@vclm/workers";
      export default {
        async fetch(request) {
          let stored = 0, largestChunk = 0;
          const bucket = {
            async put(key, stream) {
              const reader = stream.getReader();
              for (;;) {
                const { value, done } = await reader.read();
                if (done) break;
                stored += value.byteLength;
                largestChunk = Math.max(largestChunk, value.byteLength);
              }
            },
            async delete() {},
          };
          const { bytes, heldAtMost } = await storePhoto(request, bucket);
          return Response.json({ bytes, heldAtMost, stored, largestChunk });
        },
      };`;
    const script = await bundleForWorkerd(entry);
    const port = await freePort();
    mf = new Miniflare({ modules: true, script, compatibilityDate: "2026-07-01", host: "127.0.0.1", port, cf: false });
    await mf.ready;
    const { largeJpeg } = await import("@vclm/tools/large-jpeg");
    const photo = largeJpeg(10_000_000);
    const answer = (await (await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: photo })).json()) as Record<string, number>;
    console.log("a 10 MB photo through storePhoto, in workerd:", answer);
    expect(answer.bytes).toBe(10_000_000);
    expect(answer.stored).toBe(10_000_000);
    expect(answer.heldAtMost).toBeLessThanOrEqual(256 * 1024); // the head, or one chunk: never the photo
  }, 60_000);
});
