#!/usr/bin/env node
// Checks the package's size budgets, from package.json "size":
//   "./subpath": maxBytes                          every export of that entry point, bundled for a browser
//   "label": { "entry": "file.js", "limit": maxBytes, "conditions": [...] }   a fixture file, as an app would bundle it
// Each is bundled with esbuild, minified, and gzipped at level 9; the gzip size is what counts.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
let over = 0;
const rows = [];
for (const [label, budget] of Object.entries(pkg.size ?? {})) {
  const fixture = typeof budget === "object";
  const specifier = label === "." ? pkg.name : `${pkg.name}/${label.replace(/^\.\//, "")}`;
  const result = await build({
    ...(fixture
      ? { entryPoints: [budget.entry], conditions: budget.conditions ?? [] }
      : { stdin: { contents: `export * from ${JSON.stringify(specifier)};`, resolveDir: process.cwd(), loader: "js" } }),
    bundle: true,
    minify: true,
    // As an app bundles the package from node_modules: the package's own tsconfig (its "paths" for
    // type-checking) plays no part.
    tsconfigRaw: "{}",
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "error",
  });
  const code = result.outputFiles[0].contents;
  const gzip = gzipSync(code, { level: 9 }).length;
  const limit = fixture ? budget.limit : budget;
  if (gzip > limit) over++;
  rows.push({
    bundle: fixture ? label : specifier,
    "min (B)": code.length,
    "min+gzip (B)": gzip,
    "budget (B)": limit,
    ok: gzip <= limit ? "yes" : "OVER",
  });
}
console.table(rows);
if (over) {
  console.error(`${over} size budget(s) exceeded`);
  process.exit(1);
}
