#!/usr/bin/env node
// Checks the package's size budgets: each entry of package.json "size" ("./subpath": max bytes)
// is bundled for a browser with esbuild, every export kept, minified, and gzipped at level 9.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
let over = 0;
const rows = [];
for (const [subpath, budget] of Object.entries(pkg.size ?? {})) {
  const specifier = subpath === "." ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, "")}`;
  const result = await build({
    stdin: { contents: `export * from ${JSON.stringify(specifier)};`, resolveDir: process.cwd(), loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "error",
  });
  const code = result.outputFiles[0].contents;
  const gzip = gzipSync(code, { level: 9 }).length;
  if (gzip > budget) over++;
  rows.push({ entry: specifier, "min (B)": code.length, "min+gzip (B)": gzip, "budget (B)": budget, ok: gzip <= budget ? "yes" : "OVER" });
}
console.table(rows);
if (over) {
  console.error(`${over} size budget(s) exceeded`);
  process.exit(1);
}
