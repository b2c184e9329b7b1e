// The size measurement: a bundle as an app would make it, esbuild-minified for a browser, gzipped at
// level 9; the gzip size is what counts. `pnpm size` (bin/size.js) checks each package's budgets
// with it, and scripts/check-doc-sizes.mjs checks every size the docs state against it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/**
 * Bundles `contents` (a module's source) or `entry` (a file) from `dir`, as an app there would.
 * @param {{ dir: string, contents?: string, entry?: string, conditions?: string[] }} what
 * @returns {Promise<{ min: number, gzip: number }>} bytes, minified and minified + gzipped
 */
export async function measure({ dir, contents, entry, conditions = [] }) {
  const result = await build({
    ...(entry ? { entryPoints: [entry] } : { stdin: { contents, resolveDir: dir, loader: "js" } }),
    absWorkingDir: dir,
    conditions,
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
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

/**
 * Measures the size budgets of the package in `dir`, from its package.json "size":
 *   "./subpath": maxBytes                          every export of that entry point, bundled for a browser
 *   "label": { "entry": "file.js", "limit": maxBytes, "conditions": [...] }   a fixture file, as an app would bundle it
 * @param {string} dir
 * @returns {Promise<{ bundle: string, min: number, gzip: number, limit: number }[]>}
 */
export async function measureBudgets(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const rows = [];
  for (const [label, budget] of Object.entries(pkg.size ?? {})) {
    if (typeof budget === "object") {
      const { entry, conditions, limit } = budget;
      rows.push({ bundle: label, ...(await measure({ dir, entry, conditions })), limit });
    } else {
      const specifier = label === "." ? pkg.name : `${pkg.name}/${label.replace(/^\.\//, "")}`;
      rows.push({ bundle: specifier, ...(await measure({ dir, contents: `export * from ${JSON.stringify(specifier)};` })), limit: budget });
    }
  }
  return rows;
}
