// A test Worker's module, bundled as workerd runs it: its imports (the built @vclm packages, the
// test tools) resolved from this folder under workerd's export conditions.
import { build } from "esbuild";

/** The module `entry` (JavaScript importing packages), bundled into one script for miniflare. */
export async function bundleForWorkerd(entry: string): Promise<string> {
  const { outputFiles } = await build({
    stdin: { contents: entry, resolveDir: new URL(".", import.meta.url).pathname, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker", "browser"],
    write: false,
    logLevel: "error",
  });
  return outputFiles[0]?.text as string;
}
