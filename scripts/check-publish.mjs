// Proves the publish path: what `npm install @vclm/core` and `npx vclm` will give a user, before
// anything is published. Each step is a check, named for the step and the package:
//
// 1. pack: `pnpm pack` of every publishable package (packages/*, not private), built first (turbo,
//    cached), into a temporary folder. workspace: and catalog: ranges become versions; each tarball
//    holds every file its exports, imports and bin name, and no sources or tests.
// 2. install: a fresh project installs the tarballs with plain npm (no pnpm, no workspace); their
//    dependencies (ky, valibot, jose...) come from the registry, npm's cache first.
// 3. Node: check-publish/node-user.mjs animates samples/dancer.jpg against an emulator (with core,
//    retry and poller; with vclm; with vclm/node) and runs vclm/cli, then `npx vclm --version` and
//    `npx vclm animate <photo> --emulator --out x.mp4` run in that project.
// 4. Deno: check-publish/deno-user.mjs animates it again (with core, retry and poller; with vclm)
//    through npm: specifiers that resolve to the project's node_modules.
// 5. release: on a scratch copy of the repo (the files git does not ignore, and the built dist/),
//    `changeset version`, then `pnpm publish -r --dry-run`: every package is published, at the
//    version its changesets ask for, with its dist/ and no tests.
//
// Steps 3-4 and 5 run side by side. Writes .reports/vitest/check-publish.json (vitest-report.mjs), so
// scripts/summarize-tests.mjs counts every check in its closing line. Exits 1 if one failed, and
// then keeps the temporary folder (its path is printed) to look into.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mp4Problem } from "./check-publish/mp4.mjs";
import { writeReport } from "./vitest-report.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const photo = join(root, "samples/dancer.jpg");
const userScripts = ["node-user.mjs", "deno-user.mjs", "mp4.mjs"].map((name) => join(root, "scripts/check-publish", name));
const deno = join(root, "tests/runtimes/node_modules/.bin/deno");
const npmQuiet = ["--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];
/** A path no tarball may hold: sources and tests are not published. */
const sourceOrTest = /(^|\/)(src|test)\/|\.test(-d)?\.[cm]?[jt]sx?$/;

const checks = [];
const started = performance.now();
const work = await mkdtemp(join(tmpdir(), "vclm-publish-"));
const [tarballs, project, scratch] = ["tarballs", "project", "scratch"].map((name) => join(work, name));

const packages = await publishablePackages();
try {
  await checkAll();
} catch (error) {
  checks.push({ name: "check-publish itself", status: "failed", duration: 0, message: error.stack });
  console.log(`  ✗ check-publish itself: ${error.stack}`);
} finally {
  await writeReport("check-publish", import.meta.url, checks);
}
const failed = checks.filter((each) => each.status === "failed");
console.log(
  `check-publish: ${checks.length - failed.length} of ${checks.length} checks passed in ${seconds(performance.now() - started)}` +
    (failed.length ? `; kept ${work} to look into` : ""),
);
if (failed.length) process.exitCode = 1;
else await rm(work, { recursive: true, force: true });

async function checkAll() {
  const filters = packages.map(({ name }) => `--filter=${name}`);
  await check("build: turbo run build of the published packages", () =>
    run("pnpm", ["exec", "turbo", "run", "build", ...filters, "--output-logs=errors-only"], { cwd: root }),
  );
  await mkdir(tarballs);
  const packedAll = await check("pack: pnpm -r pack", async () =>
    JSON.parse((await run("pnpm", ["-r", ...filters, "pack", "--json", "--pack-destination", tarballs], { cwd: root })).stdout),
  );
  const packed = await Promise.all(
    packages.map(({ name }) =>
      check(`pack: ${name}'s tarball has real ranges, every file package.json names, no sources or tests`, () =>
        checkTarball(name, packedAll),
      ),
    ),
  );
  if (!packed.every(Boolean)) return skip("install, Node, Deno and the release dry run", "a package did not pack");
  await Promise.all([useFromNpm(packed), releaseDryRun()]);
}

/** The packages npm will get: every packages/* folder whose package.json is not private. */
async function publishablePackages() {
  const found = [];
  for (const folder of (await readdir(join(root, "packages"))).sort()) {
    const dir = join(root, "packages", folder);
    const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8").catch(() => "{}"));
    if (manifest.name && !manifest.private) found.push({ name: manifest.name, dir, manifest });
  }
  return found;
}

/** Checks one package's tarball: real ranges, every file the manifest names, no sources or tests. */
async function checkTarball(name, packedAll) {
  const { filename, files } = packedAll?.find((each) => each.name === name) ?? {};
  if (!filename) throw new Error("pnpm packed no tarball for it");
  const paths = new Set(files.map((file) => file.path));
  const manifest = JSON.parse((await run("tar", ["-xzOf", filename, "package/package.json"])).stdout);
  const problems = [];
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"])
    for (const [dependency, range] of Object.entries(manifest[field] ?? {}))
      if (/^(workspace|catalog):/.test(range)) problems.push(`${field}.${dependency} is still "${range}"`);
  for (const target of namedFiles(manifest)) if (!paths.has(target)) problems.push(`${target} is named in package.json but not packed`);
  for (const path of paths) if (sourceOrTest.test(path)) problems.push(`${path} is packed (sources and tests are not published)`);
  if (problems.length) throw new Error(`its tarball is wrong:\n  ${problems.join("\n  ")}`);
  return { name, tarball: filename, files: paths.size };
}

/** The files a manifest points at for code that runs: exports (every condition), bin, and imports (except types, which the build reads). */
function namedFiles(manifest) {
  const targets = new Set();
  const walk = (entry, skipTypes) => {
    if (typeof entry === "string") {
      if (entry.startsWith("./") && !entry.includes("*")) targets.add(entry.slice(2));
    } else if (entry) {
      for (const [key, value] of Object.entries(entry)) if (!(skipTypes && key === "types")) walk(value, skipTypes);
    }
  };
  walk(manifest.exports, false);
  walk(manifest.bin, false);
  walk(manifest.imports, true);
  return targets;
}

/** Steps 2-4: a fresh npm project installs the tarballs; Node and Deno use them. */
async function useFromNpm(packed) {
  await mkdir(project);
  await writeFile(join(project, "package.json"), `${JSON.stringify({ name: "vclm-user", private: true, type: "module" }, null, 2)}\n`);
  await writeFile(join(project, "deno.json"), `${JSON.stringify({ nodeModulesDir: "manual" }, null, 2)}\n`);
  for (const script of userScripts) await cp(script, join(project, script.split("/").at(-1)));
  const installed = await check("install: npm install of the tarballs in a fresh project", () =>
    run("npm", ["install", ...npmQuiet, ...packed.map(({ tarball }) => tarball)], { cwd: project }),
  );
  if (!installed) return skip("Node and Deno", "npm install failed");
  // npx runs the installed bin; were it missing, npx must fail rather than fetch a `vclm` from the registry.
  const inProject = { cwd: project, env: { ...process.env, npm_config_yes: "false" } };
  await Promise.all([
    check("node: @vclm/core, retry, poller, emulator, vclm, vclm/node and vclm/cli animate samples/dancer.jpg", async () => {
      const { stdout } = await run("node", ["node-user.mjs", photo], inProject);
      return stdout.trim();
    }),
    check("npx vclm --version", async () => {
      const { stdout } = await run("npx", ["vclm", "--version"], inProject);
      const { version } = JSON.parse(await readFile(join(project, "node_modules/vclm/package.json"), "utf8"));
      if (stdout.trim() !== version) throw new Error(`it printed "${stdout.trim()}", not the package's version ${version}`);
      return version;
    }),
    check("npx vclm animate samples/dancer.jpg --emulator --out x.mp4", async () => {
      await run("npx", ["vclm", "animate", photo, "--emulator", "--out", "x.mp4"], inProject);
      const video = new Uint8Array(await readFile(join(project, "x.mp4")));
      const problem = mp4Problem(video);
      if (problem) throw new Error(`x.mp4 is ${problem}`);
      return `x.mp4, ${video.length} bytes`;
    }),
    check("deno: npm:@vclm/core, retry, poller, emulator and vclm animate samples/dancer.jpg", async () => {
      const { stdout } = await run(deno, ["run", "--cached-only", "--allow-read", "--allow-env", "deno-user.mjs", photo], {
        cwd: project,
        env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
      });
      return stdout.trim();
    }),
  ]);
}

/** Step 5: `changeset version` and `pnpm publish -r --dry-run` on a scratch copy of the repo. */
async function releaseDryRun() {
  const copied = await check("release: a scratch copy of the repo, its dependencies linked from pnpm's store", async () => {
    const { stdout } = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root });
    const files = stdout.split("\0").filter(Boolean);
    await Promise.all(files.map((file) => cp(join(root, file), join(scratch, file)).catch(ignoreDeleted)));
    await Promise.all(packages.map(({ dir }) => cp(join(dir, "dist"), join(scratch, dir.slice(root.length), "dist"), { recursive: true })));
    // Offline: the store already holds the locked versions. The root brings @changesets/cli.
    await run(
      "pnpm",
      ["install", "--offline", "--frozen-lockfile", "--ignore-scripts", "--reporter=silent", "--filter=.", "--filter=./packages/*"],
      {
        cwd: scratch,
      },
    );
  });
  if (!copied) return skip("the release dry run", "the scratch copy failed");
  const wanted = await check("release: changeset version", async () => {
    const wanted = await wantedVersions();
    await run("pnpm", ["exec", "changeset", "version"], { cwd: scratch });
    return wanted;
  });
  if (!wanted) return skip("pnpm publish --dry-run", "changeset version failed");
  const published = await check("release: pnpm publish -r --dry-run --no-git-checks", async () => {
    const { stdout, stderr } = await run("pnpm", ["publish", "-r", "--dry-run", "--no-git-checks", "--report-summary"], { cwd: scratch });
    const summary = JSON.parse(await readFile(join(scratch, "pnpm-publish-summary.json"), "utf8"));
    return { summary: summary.publishedPackages, log: stdout + stderr };
  });
  if (!published) return;
  for (const { name, manifest } of packages)
    await check(`release: ${name} is published, at its changesets' version, with dist/ and no tests`, () =>
      publishedRight(manifest, wanted, published),
    );
}

/** What each package's version should become: its version bumped by the largest bump its changesets name (a patch when none does). */
async function wantedVersions() {
  const order = ["patch", "minor", "major"];
  const bumps = new Map();
  const dir = join(scratch, ".changeset");
  for (const file of (await readdir(dir)).filter((name) => name.endsWith(".md") && name !== "README.md")) {
    const front = /^---\n([\s\S]*?)\n---/.exec(await readFile(join(dir, file), "utf8"))?.[1] ?? "";
    for (const [, name, bump] of front.matchAll(/^"([^"]+)": (patch|minor|major)$/gm))
      if (order.indexOf(bump) > order.indexOf(bumps.get(name) ?? "")) bumps.set(name, bump);
  }
  return new Map(
    packages.map(({ name, manifest }) => [name, { bump: bumps.get(name), to: bumped(manifest.version, bumps.get(name) ?? "patch") }]),
  );
}

function bumped(version, bump) {
  const [major, minor, patch] = version.split(".").map(Number);
  if (bump === "major") return `${major + 1}.0.0`;
  if (bump === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/**
 * Checks one package in the dry run's summary and log: its version, and its tarball's files. A
 * package no changeset names may be left out (pnpm skips a version the registry has), or published
 * as it is (never published yet) or with a patch (a dependency's release).
 */
function publishedRight({ name, version: from, peerDependencies = {} }, wanted, { summary, log }) {
  const { bump, to } = wanted.get(name);
  const entry = summary.find((each) => each.name === name);
  if (!entry && !bump) return "no changeset names it: not released";
  if (!entry)
    throw new Error(`its changesets ask for a ${bump}, but pnpm would not publish it (${summary.map((each) => each.name).join(", ")})`);
  const problems = [];
  if (entry.version !== to && !(bump === undefined && entry.version === from)) {
    const peers = Object.entries(peerDependencies).filter(([peer]) => ["minor", "major"].includes(wanted.get(peer)?.bump));
    problems.push(
      `it would be published as ${entry.version}, though ${bump ? `its changesets ask for a ${bump}` : "no changeset names it"} (${from} -> ${to})` +
        (peers.length
          ? `. Changesets 2.x releases a package as a major when a peer dependency of it gets a minor or major release` +
            ` (here ${peers.map(([peer, range]) => `${peer}, "${range}"`).join("; ")}); with onlyUpdatePeerDependentsWhenOutOfRange` +
            " in .changeset/config.json, only a release that leaves the peer range. Say so in a changeset, or give the peer a range its releases stay in."
          : "."),
    );
  }
  // npm's notice lists the tarball's files, between its name and "Tarball Details".
  const block = log.split(`📦  ${name}@${entry.version}`)[1]?.split("Tarball Details")[0] ?? "";
  const files = [...block.matchAll(/^npm notice [\d.]+[kMG]?B (\S+)$/gm)].map(([, path]) => path);
  if (!files.some((path) => path.startsWith("dist/")))
    problems.push(`its tarball has no dist/ (files: ${files.join(", ") || "none listed"})`);
  const tests = files.filter((path) => sourceOrTest.test(path));
  if (tests.length) problems.push(`its tarball has sources or tests: ${tests.join(", ")}`);
  if (problems.length) throw new Error(problems.join("\n"));
  return `${entry.version}, ${files.length} files`;
}

/** Runs one check: prints it with its time, and keeps its result for the report. Resolves to what `body` returns, or undefined if it threw. */
async function check(name, body) {
  const start = performance.now();
  try {
    const result = await body();
    const duration = performance.now() - start;
    checks.push({ name, status: "passed", duration });
    const detail = typeof result === "string" ? `: ${result.replaceAll("\n", "; ")}` : "";
    console.log(`  ✓ ${name} (${seconds(duration)})${detail}`);
    return result ?? true;
  } catch (error) {
    const duration = performance.now() - start;
    checks.push({ name, status: "failed", duration, message: error.message });
    console.log(`  ✗ ${name} (${seconds(duration)}): ${error.message}`);
    return undefined;
  }
}

function skip(what, why) {
  checks.push({ name: what, status: "skipped", duration: 0 });
  console.log(`  - ${what}: skipped, ${why}`);
}

/** Runs a command; rejects with the command, its exit code and the end of its output. */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 64 << 20, ...options }, (error, stdout, stderr) => {
      if (!error) return resolve({ stdout, stderr });
      const tail = `${stdout}\n${stderr}`.trim().split("\n").slice(-15).join("\n    ");
      reject(
        new Error(`\`${[command, ...args].join(" ")}\` failed (${error.code ?? error.signal}) in ${options.cwd ?? root}:\n    ${tail}`),
      );
    });
  });
}

/** A file git still tracks but the working tree deleted is not copied. */
function ignoreDeleted(error) {
  if (error.code !== "ENOENT") throw error;
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
