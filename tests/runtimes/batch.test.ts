import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makePng } from "@vclm/tools/photos";
import { Miniflare } from "miniflare";
import { describe, expect, it } from "vitest";
import { bundle, runtimes } from "./src/runners.js";

const probe = (name: string) => fileURLToPath(new URL(`./probes/${name}.js`, import.meta.url));
const photosBase64 = Array.from({ length: 6 }, (_, i) => Buffer.from(makePng(600 + i, 1000)).toString("base64"));
// Stopped after 3 Submits (3 jobs), resumed: 3 more, none twice, 6 videos.
const expected = { stopped: "stopped", jobsAtStop: 3, saved: 6, submittedOnResume: 3, jobs: 6, doubled: 0 };

describe.each(runtimes)("@vclm/batch in $name", ({ name, run }) => {
  it("runs a batch, stopped midway and resumed from its journal: every video, no photo twice", async () => {
    expect(await run(probe("batch"), { photosBase64 })).toEqual(expected);
  });

  it.skipIf(name === "workerd" || name === "chromium")("with the journal in a file and videos in a folder (@vclm/batch/node)", async () => {
    const directory = await mkdtemp(join(tmpdir(), "vclm-batch-probe-"));
    try {
      // intent + submitted + saved per photo; a Submit refused for JobNumExceed adds intent + not-submitted.
      const result = await run(probe("batch-file"), { photosBase64, directory });
      expect(result).toMatchObject({ ...expected, videos: 6 });
      expect(result.journalLines).toBeGreaterThanOrEqual(18);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe("@vclm/batch in a Durable Object (workerd, through miniflare)", () => {
  it("keeps its journal in the object's storage: stopped after 3 Submits, resumed by the next request, 6 videos, no photo twice", async () => {
    // As wrangler bundles a Worker: the workerd and worker conditions first.
    const script = await bundle(
      `export * from ${JSON.stringify(probe("batch-durable-object"))}; export { default } from ${JSON.stringify(probe("batch-durable-object"))};`,
      ["workerd", "worker", "browser"],
    );
    const mf = new Miniflare({
      modules: true,
      script,
      compatibilityDate: "2026-07-01",
      cf: false,
      durableObjects: { BATCH: "BatchObject" },
    });
    try {
      const post = async (query: string) =>
        (await mf.dispatchFetch(`http://localhost/run${query}`, { method: "POST", body: JSON.stringify({ photosBase64 }) })).json();
      const first = await post("?stop=3");
      expect(first).toMatchObject({ stopped: "stopped", jobs: 3, doubled: 0 });
      const second = await post("");
      expect(second).toMatchObject({ saved: 6, submitted: 3, jobs: 6, doubled: 0 });
      expect((second as { records: number }).records).toBeGreaterThanOrEqual(18);
    } finally {
      await mf.dispose();
    }
  });
});
