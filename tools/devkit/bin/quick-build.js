#!/usr/bin/env node
// A quick build for running from a clone (scripts/vclm.sh): a package and the workspace packages it
// depends on, each src/**/*.ts (tests left out) transpiled by esbuild to the same dist/**/*.js the
// rollup build writes, in well under a second. No type-check and no .d.ts: `pnpm build` is the real
// build, and turbo's cache restores its whole output over this one.
//   node tools/devkit/bin/quick-build.js packages/cli
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const workspaces = new Map();
for (const parent of ["packages", "tools", "apps", "tests"])
  for (const name of readdirSync(join(root, parent), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)) {
    const dir = join(root, parent, name);
    try {
      workspaces.set(JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name, dir);
    } catch {}
  }

/** The package in `dir` and every workspace package its dependencies (not devDependencies) name. */
function closure(dir, seen = new Set()) {
  if (seen.has(dir)) return seen;
  seen.add(dir);
  const { dependencies = {}, peerDependencies = {} } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  for (const name of Object.keys({ ...dependencies, ...peerDependencies })) if (workspaces.has(name)) closure(workspaces.get(name), seen);
  return seen;
}

const sources = (dir) =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.endsWith(".d.ts"))
    .map((e) => join(e.parentPath, e.name));

const started = performance.now();
const built = [];
for (const dir of closure(resolve(process.argv[2] ?? "packages/cli"))) {
  const src = join(dir, "src");
  rmSync(join(dir, "dist"), { recursive: true, force: true });
  await build({
    entryPoints: sources(src),
    outdir: join(dir, "dist"),
    outbase: src,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    // As tsc compiles them: imports of types only are dropped, every other import kept as written.
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    logLevel: "error",
  });
  built.push(relative(root, dir));
}
console.log(`built ${built.join(", ")} (JavaScript only) in ${Math.round(performance.now() - started)} ms`);
