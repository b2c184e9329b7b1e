// Every code sample is compiled, so none rots: each ```ts block of docs/guides, of the READMEs, and
// each @example of the packages' sources is written to docs/.samples/ as a module and type-checked
// against the built packages. A sample may use the packages' exports without importing them (they
// are imported for it) and the few names examples take as given (`client`, `JobId`, `photo`...:
// see globals.d.ts below); anything else it declares itself. Samples marked ```ts run are also run,
// in Node, against an in-process emulator that stands in for every *.tencentcloudapi.com host and
// knows the placeholder key "AKID..." / "...": a sample that would fail against the service fails here.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const root = new URL("../", import.meta.url).pathname;
const out = join(root, "docs/.samples");
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "run"), { recursive: true });

// Each package's public names, from its src/index.ts export lists, and those of the entry points
// beside an index that have an index of their own.
const PACKAGES = ["core", "poller", "batch", "workers", "retry", "relay", "emulator", "signer"];
const ENTRIES = [
  ...PACKAGES.map((name) => [`@vclm/${name}`, `packages/${name}/src/index.ts`]),
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

const samples = []; // { file, code, home, run }
const fence = /```ts( run)?\n([\s\S]*?)```/g;
const addMarkdown = (path, home) => {
  let n = 0;
  for (const [, run, code] of readFileSync(path, "utf8").matchAll(fence))
    samples.push({ from: `${relative(root, path)} #${++n}`, code, home, run: Boolean(run) });
};
for (const guide of readdirSync(join(root, "docs/guides")).filter((name) => name.endsWith(".md")))
  addMarkdown(join(root, "docs/guides", guide));
addMarkdown(join(root, "README.md"));
addMarkdown(join(root, "docs/architecture.md"));
for (const name of PACKAGES) addMarkdown(join(root, `packages/${name}/README.md`), `@vclm/${name}`);

const sourcesOf = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourcesOf(join(dir, entry.name)) : /(?<!\.test)\.ts$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
for (const name of PACKAGES)
  for (const path of sourcesOf(join(root, `packages/${name}/src`))) {
    let n = 0;
    for (const [, run, body] of readFileSync(path, "utf8").matchAll(/\* ```ts( run)?\n((?:[ \t]*\*(?: .*)?\n)*?)[ \t]*\* ```/g))
      samples.push({
        from: `${relative(root, path)} @example #${++n}`,
        code: body.replace(/^[ \t]*\* ?/gm, ""),
        home: `@vclm/${name}`,
        run: Boolean(run),
      });
  }

const index = [];
for (const [i, { from, code, home, run }] of samples.entries()) {
  const file = `${run ? "run/" : ""}sample-${String(i + 1).padStart(3, "0")}.ts`;
  index.push(`${file}\t${from}`);
  writeFileSync(join(out, file), `// ${from}\n${importsFor(code, home)}\n${code}\nexport {};\n`);
}
writeFileSync(join(out, "index.tsv"), `${index.join("\n")}\n`);

// What examples take as given. Declared globally, so a sample's own declaration shadows it.
writeFileSync(
  join(out, "globals.d.ts"),
  `type Core = typeof import("@vclm/core");
declare var client: import("@vclm/core").VclmClient;
declare var JobId: string;
declare var jobIds: string[];
declare var photo: Uint8Array;
declare var photoBytes: Uint8Array;
declare var bytes: Uint8Array;
declare var file: Blob;
declare var ImageBase64: string;
declare var ImageUrl: string;
declare var body: string;
declare var secretId: string;
declare var secretKey: string;
declare var token: string;
declare var signal: AbortSignal;
declare var error: unknown;
declare var request: import("@vclm/signer").SignRequest;
declare var signedRequest: Request;
declare var credentials: import("@vclm/signer").Credentials;
declare var preflightPhoto: import("@vclm/core").Middleware;
declare var logger: import("@vclm/core").Middleware;
declare var formValues: unknown;
declare var socket: { destroy(): void };
declare function handle(request: Request, credentials: import("@vclm/signer").CredentialsProvider): Promise<Response>;
declare function showProblem(message: string): void;
declare var env: Record<string, string | undefined>;
declare var tmp: { TmpSecretId: string; TmpSecretKey: string; Token: string };
declare var ExpiredTime: number;
declare var traceId: import("@vclm/core").Middleware;
declare var traceIds: import("@vclm/core").Plugin;
declare var app: (request: Request) => Response | Promise<Response>;
declare var emulator: import("@vclm/emulator").Emulator;
declare var authorize: import("@vclm/relay").Authorize;
declare var store: import("@vclm/relay").RelayStore;
declare var user: import("@vclm/relay").RelayUser;
declare var sts: import("@vclm/core").VclmClient;
declare var options: import("@vclm/signer").SignOptions;
declare function readFile(path: string): Promise<Uint8Array>;
declare var Deno: {
  serve(options: { port?: number }, handler: (request: Request) => Response | Promise<Response>): unknown;
  serve(handler: (request: Request) => Response | Promise<Response>): unknown;
  env: { get(name: string): string | undefined; toObject(): Record<string, string> };
};
declare function show(status: string): void;
declare function keep(JobId: string): void;
declare function saveForLater(JobId: string): void;
declare function waitForASlot(): Promise<void>;
declare var photos: import("@vclm/batch").BatchPhoto[];
declare var alice: Uint8Array;
declare var bob: Uint8Array;
declare var url: string;
declare var ResultVideoUrl: string;
declare var save: import("@vclm/batch").AnimateManyOptions["save"];
declare var bucket: import("@vclm/workers").R2BucketLike;
declare var key: string;
`,
);
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
