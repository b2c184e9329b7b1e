// The credential chain reaches Node, Deno and Bun, and never a Worker's or a browser's bundle:
// package.json's "imports" conditions choose, and this bundles the built package as apps do.
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const fixture = new URL("../size/worker-describe.js", import.meta.url).pathname;
// Words only the chain's modules hold.
const CHAIN = [
  "metadata.tencentyun.com",
  "TKE_WEB_IDENTITY_TOKEN_FILE",
  "AssumeRoleWithWebIdentity",
  ".tencentcloud/credentials",
  "node:fs",
];

async function bundle(conditions: string[], platform: "browser" | "node") {
  const result = await build({
    entryPoints: [fixture],
    conditions,
    platform,
    bundle: true,
    format: "esm",
    write: false,
    logLevel: "silent",
    tsconfigRaw: "{}",
  });
  return new TextDecoder().decode(result.outputFiles[0]?.contents);
}

describe("package.json conditions", () => {
  it.each([
    ["Workers (wrangler's conditions)", ["workerd", "worker", "browser"]],
    ["browsers", ["browser"]],
  ])("%s: a client without credentials bundles fromEnv and none of the chain", async (_, conditions) => {
    const code = await bundle(conditions, "browser");
    for (const word of CHAIN) expect(code, word).not.toContain(word);
    expect(code).toContain("TENCENTCLOUD_SECRET_ID");
  });

  it("Node: the same app bundles the whole chain (what the test above looks for is there to find)", async () => {
    const code = await bundle(["node"], "node");
    for (const word of CHAIN) expect(code, word).toContain(word);
  });
});
