// Every code sample is compiled, so none rots: each ```ts block of docs/guides, of the READMEs, and
// each @example of the packages' sources is written to docs/.samples/ as a module and type-checked
// against the built packages. A README or guide sample is whole, as a reader pastes it: it imports
// and makes everything it uses (a value only a runtime gives, such as a Worker's `env`, may be a
// `declare const` that says where it comes from). An @example may use the packages' exports without
// importing them (they are imported for it), and nothing else it does not make or declare. Samples
// marked ```ts run are also run, in Node, as docs/run-samples.mjs says: against an in-process
// emulator that stands in for every *.tencentcloudapi.com host and knows the placeholder key
// "AKID..." / "...", so a sample that would fail against the service fails here.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const root = new URL("../", import.meta.url).pathname;
const out = join(root, "docs/.samples");
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "run"), { recursive: true });

// Each package's public names, from its src/index.ts export lists, and those of the entry points
// beside an index that have an index of their own.
// Each package's folder under packages/ and its name.
const PACKAGES = new Map([
  ...["core", "poller", "batch", "workers", "retry", "relay", "emulator", "signer", "redis", "otel"].map((name) => [name, `@vclm/${name}`]),
  ["cli", "vclm"],
]);
const ENTRIES = [
  ...[...PACKAGES].map(([dir, name]) => [name, `packages/${dir}/src/index.ts`]),
  ["vclm/node", "packages/cli/src/node.ts"],
  ["vclm/cli", "packages/cli/src/cli.ts"],
  ["@vclm/core/sts", "packages/core/src/sts/index.ts"],
  ["@vclm/core/internal", "packages/core/src/internal.ts"],
];
const exportsOf = new Map();
/** The names a module exports: its export lists, its exported declarations, and those of each `export * from`. */
function namesOf(path) {
  const text = readFileSync(join(root, path), "utf8");
  const names = [...text.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap(([, list]) =>
    list
      .split(",")
      .map((item) =>
        item
          .trim()
          .replace(/^type\s+/, "")
          .split(/\s+as\s+/)
          .pop(),
      )
      .filter(Boolean),
  );
  for (const [, declaredName] of text.matchAll(/export (?:const|function|class) (\w+)/g)) names.push(declaredName);
  for (const [, from] of text.matchAll(/export \* from "(\.[^"]+)\.js"/g)) names.push(...namesOf(join(dirname(path), `${from}.ts`)));
  return names;
}
for (const [module, path] of ENTRIES) exportsOf.set(module, new Set(namesOf(path)));
exportsOf.set("@vclm/emulator/node", new Set(["startEmulator", "RunningEmulator", "StartEmulatorOptions"]));
exportsOf.set(
  "@vclm/batch/node",
  new Set([
    "fileJournal",
    "FileJournalOptions",
    "Files",
    "JournalError",
    "downloadVideo",
    "DownloadOptions",
    "saveToDirectory",
    "SaveToDirectoryOptions",
    "VideoDirectory",
    "VideoSaveError",
  ]),
);

/** The sample's own declarations, so nothing is imported over them. */
function declared(code) {
  const names = new Set();
  for (const [, list] of code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}/g))
    for (const item of list.split(","))
      names.add(
        item
          .trim()
          .replace(/^type\s+/, "")
          .split(/\s+as\s+/)
          .pop(),
      );
  for (const [, name] of code.matchAll(/import\s+\*\s+as\s+(\w+)/g)) names.add(name);
  for (const [, name] of code.matchAll(/\b(?:const|let|var|function|class|type|interface|enum)\s+([A-Za-z_$][\w$]*)/g)) names.add(name);
  for (const [, list] of code.matchAll(/\b(?:const|let|var)\s*\{([^}]*)\}/g))
    for (const item of list.split(","))
      names.add(
        item
          .trim()
          .split(/\s*[:=]\s*/)
          .pop(),
      );
  return names;
}

/** Imports for the package names a sample uses but neither imports nor declares; its own package first. */
function importsFor(code, home) {
  const own = declared(code);
  const used = new Set(code.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, "").match(/\b[A-Za-z_$][\w$]*\b/g) ?? []);
  const byModule = new Map();
  for (const name of used) {
    if (own.has(name)) continue;
    const from = [home, ...exportsOf.keys()].find((module) => module && exportsOf.get(module)?.has(name));
    if (from) byModule.set(from, [...(byModule.get(from) ?? []), name]);
  }
  const lines = [...byModule].map(([module, names]) => `import { ${names.join(", ")} } from "${module}";`);
  if (/\bv\./.test(code) && !own.has("v")) lines.push('import * as v from "valibot";');
  return lines.join("\n");
}

const samples = []; // { from, code, whole, home, run }
const fence = /```ts( run)?\n([\s\S]*?)```/g;
const addMarkdown = (path) => {
  let n = 0;
  for (const [, run, code] of readFileSync(path, "utf8").matchAll(fence))
    samples.push({ from: `${relative(root, path)} #${++n}`, code, whole: true, run: Boolean(run) });
};
for (const guide of readdirSync(join(root, "docs/guides")).filter((name) => name.endsWith(".md")))
  addMarkdown(join(root, "docs/guides", guide));
addMarkdown(join(root, "README.md"));
addMarkdown(join(root, "docs/architecture.md"));
for (const dir of PACKAGES.keys()) addMarkdown(join(root, `packages/${dir}/README.md`));

const sourcesOf = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourcesOf(join(dir, entry.name)) : /(?<!\.test)\.ts$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
for (const [dir, name] of PACKAGES)
  for (const path of sourcesOf(join(root, `packages/${dir}/src`))) {
    let n = 0;
    for (const [, run, body] of readFileSync(path, "utf8").matchAll(/\* ```ts( run)?\n((?:[ \t]*\*(?: .*)?\n)*?)[ \t]*\* ```/g))
      samples.push({
        from: `${relative(root, path)} @example #${++n}`,
        code: body.replace(/^[ \t]*\* ?/gm, ""),
        home: name,
        run: Boolean(run),
      });
  }

const index = [];
for (const [i, { from, code, whole, home, run }] of samples.entries()) {
  const file = `${run ? "run/" : ""}sample-${String(i + 1).padStart(3, "0")}.ts`;
  index.push(`${file}\t${from}`);
  writeFileSync(join(out, file), `// ${from}\n${whole ? "" : importsFor(code, home)}\n${code}\nexport {};\n`);
}
writeFileSync(join(out, "index.tsv"), `${index.join("\n")}\n`);

writeFileSync(
  join(out, "tsconfig.json"),
  JSON.stringify({
    extends: "../../tsconfig.base.json",
    compilerOptions: {
      types: ["node"],
      isolatedDeclarations: false,
      declaration: false,
      noUnusedLocals: false,
      verbatimModuleSyntax: false,
      lib: ["ES2022", "DOM", "DOM.Iterable"],
      module: "ESNext",
      moduleResolution: "Bundler",
      outDir: "js",
      noEmit: false,
      noEmitOnError: true,
      rootDir: ".",
    },
    include: ["*.ts", "run/*.ts"],
  }),
);
const tsc = join(root, "node_modules/typescript/bin/tsc");
try {
  execFileSync(process.execPath, [tsc, "-p", join(out, "tsconfig.json")], { stdio: "inherit" });
} catch {
  console.error("a code sample does not compile (see above; docs/.samples/index.tsv says where each sample comes from)");
  process.exit(1);
}
console.log(`${samples.length} code samples compile (guides, READMEs, @example blocks)`);

// Run the marked samples against the emulator, each in its own process.
const runs = samples.filter((sample) => sample.run).length;
try {
  execFileSync(process.execPath, [join(root, "docs/run-samples.mjs"), join(out, "js/run")], { stdio: "inherit" });
} catch {
  console.error("a sample marked `ts run` failed against the emulator (see above)");
  process.exit(1);
}
console.log(`${runs} of them ran against the emulator`);
