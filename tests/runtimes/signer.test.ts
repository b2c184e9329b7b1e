import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runtimes } from "./src/runners.js";

const vectors = JSON.parse(readFileSync(new URL("../../packages/signer/test/vectors.json", import.meta.url), "utf8"));
const probe = fileURLToPath(new URL("./probes/signer.js", import.meta.url));

describe.each(runtimes)("@vclm/signer in $name", ({ run }) => {
  it(`signs all ${vectors.length} shared vectors as the official SDK and the published examples do, rejects bad input, redacts secrets`, async () => {
    expect(await run(probe, { vectors })).toEqual({
      vectors: vectors.length,
      mismatches: { main: [], web: [] },
      rejected: { isSignerError: true, field: 'headers["X-Evil"]' },
      redacted: true,
      headersAccepted: true,
    });
  });
});
