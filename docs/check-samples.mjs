// Every ```ts sample in docs/guides is compiled, so none rots: each is written to
// docs/.samples/<guide>-<n>.ts as a module and type-checked against the built packages.
// A sample stands alone; what it takes as given it declares (`declare const photo: Uint8Array;`).
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const guides = new URL("./guides/", import.meta.url);
const out = new URL("./.samples/", import.meta.url);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
let count = 0;
for (const guide of readdirSync(guides).filter((name) => name.endsWith(".md"))) {
  const text = readFileSync(new URL(guide, guides), "utf8");
  let n = 0;
  for (const [, code] of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
    writeFileSync(new URL(`${guide.replace(/\.md$/, "")}-${++n}.ts`, out), `${code}\nexport {};\n`);
    count++;
  }
}
writeFileSync(
  new URL("tsconfig.json", out),
  JSON.stringify({
    extends: "../../tsconfig.base.json",
    compilerOptions: {
      types: ["node"],
      isolatedDeclarations: false,
      declaration: false,
      lib: ["ES2022", "DOM", "DOM.Iterable"],
      module: "ESNext",
      moduleResolution: "Bundler",
    },
    include: ["*.ts"],
  }),
);
try {
  execFileSync(
    process.execPath,
    [new URL("../node_modules/typescript/bin/tsc", import.meta.url).pathname, "-p", new URL("tsconfig.json", out).pathname],
    { stdio: "inherit" },
  );
} catch {
  console.error("a guide's code sample does not compile (see above: docs/.samples/<guide>-<n>.ts)");
  process.exit(1);
}
console.log(`${count} code samples in docs/guides compile`);
