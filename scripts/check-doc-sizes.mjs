// Every size the docs state comes from the measurement. In README.md, packages/*/README.md,
// docs/guides/*.md and docs/architecture.md, each number with a size unit (KB, kB, KiB, B, bytes)
// must stand in one of the phrases below, `{}` marking the number. A MEASURED one must be what the
// size measurement (tools/devkit/src/size.js, the one `pnpm size` checks budgets with) gives now:
// in bytes exactly, in KB (1,000 bytes) the measured bytes rounded to the decimals written. Anything
// else fails, naming the file, the line, the number written and the number measured. Each size is a
// check counted in the test command's closing line; `--write` writes the measured numbers in.
// Needs the packages built (the measurement bundles their dist/).
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { measure, measureBudgets } from "../tools/devkit/src/size.js";
import { writeReport } from "./vitest-report.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

/** What the docs may quote, in bytes: each as `pnpm size` or the same measurement gives it. */
async function measurements() {
  const budget = async (dir, bundle) => {
    const row = (await measureBudgets(join(root, dir))).find((measured) => measured.bundle === bundle);
    if (!row) throw new Error(`${dir}/package.json has no size budget "${bundle}" any more: measure what the docs quote here`);
    return row;
  };
  const signer = await budget("packages/signer", "@vclm/signer");
  const worker = await budget("packages/core", "Worker: new VclmClient + describeImageAnimateJob");
  const animate = await budget("packages/cli", "Worker: animate(photo) with retries and waiting");
  const ky = await measure({ dir: join(root, "packages/core"), contents: 'export * from "ky";' });
  return new Map([
    ["@vclm/signer (every export)", signer.gzip],
    ["@vclm/signer's budget", signer.limit],
    ["the Worker (new VclmClient + describe)", worker.gzip],
    ["the Worker's budget", worker.limit],
    ["vclm's animate in a Worker: its budget", animate.limit],
    ["ky alone, as @vclm/core installs it", ky.gzip],
  ]);
}

// [phrase, the measurement of each `{}`, the file it is in (any file if none)]
const MEASURED = [
  ["zero dependencies, {}", ["@vclm/signer (every export)"]],
  ["`@vclm/signer` {}", ["@vclm/signer (every export)"]],
  ["**{}** (budget {}", ["@vclm/signer (every export)", "@vclm/signer's budget"], "packages/signer/README.md"],
  ["{} min+gzip in a Worker", ["the Worker (new VclmClient + describe)"]],
  ["**{}** (budget {}", ["the Worker (new VclmClient + describe)", "the Worker's budget"], "packages/core/README.md"],
  ["Worker budget below is {}", ["the Worker's budget"]],
  ["ky 1.14 is {}", ["ky alone, as @vclm/core installs it"]],
  ["That is ky {}", ["ky alone, as @vclm/core installs it"]],
  ["within a {} (min+gzip) budget", ["vclm's animate in a Worker: its budget"]],
];
// [phrase, why it is no measurement of a vclm bundle]
const NOT_MEASURED = [
  ["ky 2.1 is {}", "ky 2, not installed: measured the same way when ky was chosen"],
  ["bundles for Node to {}", "the official SDK's Node bundle, measured the same way once"],
  ["aws4fetch's whole client is {}", "another project's bundle, measured the same way once"],
  ["with its SHA-256 is {}", "@smithy/signature-v4's bundle, measured the same way once"],
  ["Describe ({} body)", "a request body"],
  ["its first {}", "the head of a photo that is checked"],
  ["its {} head", "the head of a photo that is checked"],
  ["then {} chunks", "the chunks a photo is streamed in"],
  ["at most {} of it", "a Worker's memory, measured by apps/worker/test/memory.test.ts"],
  ["({} per job)", "the emulator's memory per job"],
  ["(about {}) per job", "the poller's memory per job"],
  ["| {} |", "the poller's memory per job, in its table", "packages/poller/README.md"],
  ["at least {} smaller", "how much smaller a refused photo must be saved, in a message's example"],
];

const DIGITS = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`; // 2.1, 12,284
const NUMBER = String.raw`(${DIGITS}(?:\s?(?:KB|kB|KiB|bytes|B)\b)?)`;
const SIZE = new RegExp(String.raw`(?<![\w.,])${DIGITS}\s?(?:KB|kB|KiB|bytes|B)\b`, "g");
/** A phrase as a pattern: its spaces match any run of white space (a line break, a table's padding). */
const patternOf = (phrase) =>
  new RegExp(
    phrase
      .split("{}")
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, String.raw`\s+`))
      .join(NUMBER),
    "gid",
  );

const docs = [
  "README.md",
  "docs/architecture.md",
  ...readdirSync(join(root, "docs/guides"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/guides/${name}`),
  ...readdirSync(join(root, "packages"))
    .map((name) => `packages/${name}/README.md`)
    .filter((path) => existsSync(join(root, path))),
];

const write = process.argv.includes("--write");
// One check per size the docs state, and one per phrase left in no doc: each counts in the test
// command's closing line (.reports/vitest/check-doc-sizes.json).
const checks = [];
const pass = (name) => checks.push({ name, status: "passed", duration: 0 });
const fail = (name, message) => checks.push({ name, status: "failed", duration: 0, message });
let rewritten = 0;
try {
  const measured = await measurements();
  const unused = new Set([...MEASURED, ...NOT_MEASURED]);
  for (const file of docs) {
    const text = readFileSync(join(root, file), "utf8");
    const where = (index, written) => `${file}:${text.slice(0, index).split("\n").length}: "${written}"`;
    const isMeasured = new Set(); // where each size number a phrase accounts for starts
    const isNotMeasured = new Map(); // ... and why it is no measurement
    const edits = []; // [start, end, the measurement as written]
    const phrasesHere = (list) => list.filter((entry) => entry[2] === undefined || entry[2] === file);
    for (const entry of phrasesHere(MEASURED)) {
      for (const match of text.matchAll(patternOf(entry[0]))) {
        unused.delete(entry);
        entry[1].forEach((name, i) => {
          const [start, end] = match.indices[i + 1];
          const written = match[i + 1];
          const bytes = measured.get(name);
          const should = asWritten(written, bytes);
          const check = `${where(start, written)} is ${name}`;
          isMeasured.add(start);
          if (should !== written) edits.push([start, end, should]);
          if (should === written || write) pass(check);
          else fail(check, `measured ${bytes.toLocaleString("en-US")} bytes: write "${should}"`);
        });
      }
    }
    for (const entry of phrasesHere(NOT_MEASURED)) {
      for (const match of text.matchAll(patternOf(entry[0]))) {
        unused.delete(entry);
        isNotMeasured.set(match.indices[1][0], entry[1]);
      }
    }
    for (const match of text.matchAll(SIZE)) {
      if (isMeasured.has(match.index)) continue;
      if (isNotMeasured.has(match.index)) pass(`${where(match.index, match[0])} is no vclm bundle's: ${isNotMeasured.get(match.index)}`);
      else
        fail(
          `${where(match.index, match[0])} is accounted for`,
          "this check does not know it. A vclm bundle's size: add its phrase to MEASURED in scripts/check-doc-sizes.mjs (it is then checked against" +
            " the measurement); anything else: to NOT_MEASURED.",
        );
    }
    if (write && edits.length) {
      let updated = text;
      for (const [start, end, should] of edits.reverse()) updated = updated.slice(0, start) + should + updated.slice(end);
      writeFileSync(join(root, file), updated);
      rewritten += edits.length;
    }
  }
  for (const [phrase] of unused) fail(`"${phrase}" is in a doc`, "it is in none any more: take it out of scripts/check-doc-sizes.mjs");
} catch (error) {
  fail("check-doc-sizes itself", error.stack);
}
await writeReport("check-doc-sizes", import.meta.url, checks);

if (rewritten) console.log(`check-doc-sizes: wrote ${rewritten} measured size(s) into the docs`);
const failed = checks.filter((check) => check.status === "failed");
if (failed.length) {
  console.error("sizes in the docs that are not the measurement's (`node scripts/check-doc-sizes.mjs --write` writes the measured ones):");
  for (const { name, message } of failed) console.error(`  ${name}: ${message}`);
  process.exit(1);
}
console.log(`check-doc-sizes: the ${checks.length} sizes the docs state are the measurement's, or no vclm bundle's`);

/** `bytes` as `written` states a size: in bytes exactly (with or without the unit), or in KB (KiB) rounded to its decimals. */
function asWritten(written, bytes) {
  const [, number, space, unit] = /^([\d,.]+)(\s?)(\w*)$/.exec(written);
  const perUnit = { KB: 1000, kB: 1000, KiB: 1024 }[unit];
  const decimals = number.split(".")[1]?.length ?? 0;
  const value = perUnit ? (bytes / perUnit).toFixed(decimals) : number.includes(",") ? bytes.toLocaleString("en-US") : String(bytes);
  return `${value}${space}${unit}`;
}
