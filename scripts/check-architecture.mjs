// The dependency direction docs/architecture.md draws, checked: each package's declared
// dependencies and peerDependencies, and every vclm package its source imports, must be on a lower
// layer of the doc's table. A new package must be given a layer there first.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const doc = readFileSync(join(root, "docs/architecture.md"), "utf8");
const layers = new Map();
for (const [, layer, name] of doc.matchAll(/^\|\s*(\d+)\s*\|\s*`([@\w/.-]+)`\s*\|/gm)) layers.set(name, Number(layer));
if (layers.size === 0) throw new Error("docs/architecture.md has no layer table (| layer | `package` | idea |)");

/** Every .ts/.js file under `dir`, tests and benchmarks left out (they may use anything). */
const sources = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|js|mjs)$/.test(entry.name) && !/\.test\.|\.d\.ts$/.test(entry.name) ? [path] : [];
  });

const problems = [];
let checked = 0;
for (const dir of readdirSync(join(root, "packages"))) {
  const manifest = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8"));
  const layer = layers.get(manifest.name);
  if (layer === undefined) {
    problems.push(`${manifest.name} has no layer in docs/architecture.md's table`);
    continue;
  }
  const isVclm = (name) => layers.has(name);
  const declared = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})].filter(isVclm);
  for (const name of declared)
    if (layers.get(name) >= layer) problems.push(`${manifest.name} (layer ${layer}) depends on ${name} (layer ${layers.get(name)})`);
  for (const file of sources(join(root, "packages", dir, "src"))) {
    for (const [, specifier] of readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"((?:@vclm\/[\w-]+|vclm))(?:\/[\w/-]+)?"/g)) {
      if (specifier === manifest.name) continue;
      if (!declared.includes(specifier))
        problems.push(`${file.slice(root.length)} imports ${specifier}, which ${manifest.name} does not declare as a dependency or peer`);
      else if (layers.get(specifier) >= layer)
        problems.push(`${file.slice(root.length)} imports ${specifier} (layer ${layers.get(specifier)}) from layer ${layer}`);
    }
  }
  checked++;
}
if (problems.length) {
  console.error(`the dependency direction of docs/architecture.md is broken:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`${checked} packages depend only downwards, as docs/architecture.md draws`);
