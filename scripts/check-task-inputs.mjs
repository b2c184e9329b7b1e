// Fails when a test task reads a file that no turbo hash covers. Such a task can pass stale: change
// the file, and turbo replays the cached "passed" without running a test.
//
// For every test and test:runtimes task that runs (turbo --dry=json), this follows what its tests
// read: every test file and vitest config in the workspace and every file under test/, then, from
// each of those, what they import, open with new URL(..., import.meta.url), or name as a file in a
// string (a test that spawns `deno run animate.ts`), transitively. Each file read must be one of
// the task's hashed inputs, or of a task it depends on (a workspace package's sources, hashed by
// its build). Files in node_modules are hashed by the lockfile; a package's dist/ by its build;
// files git ignores cannot be hashed (a test's own reports, say) and are left out.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const testTasks = ["test", "test:runtimes"];

const dry = JSON.parse(
  execFileSync("pnpm", ["exec", "turbo", "run", ...testTasks, "--dry=json"], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 }),
);
const tasks = new Map(dry.tasks.map((task) => [task.taskId, task]));
/** Workspace package name -> its folder, relative to the repo root. */
const packageDirs = new Map(dry.tasks.map((task) => [task.package, task.directory]));

// A package without the script has the task in the graph, but nothing runs.
const running = dry.tasks.filter((task) => testTasks.includes(task.task) && task.command !== "<NONEXISTENT>");
let failed = 0;
for (const task of running) {
  const hashed = hashedFiles(task);
  const unhashed = [...filesRead(task.directory)].filter(([file]) => !hashed.has(file) && !builtByDependency(file, task));
  const ignored = ignoredByGit(unhashed.map(([file]) => file));
  const missing = unhashed.filter(([file]) => !ignored.has(file));
  if (missing.length === 0) continue;
  failed++;
  console.error(`\n${task.taskId} reads ${missing.length} file(s) that none of its hashed inputs cover:`);
  for (const [file, why] of missing) console.error(`  ${file}  (${why})`);
}
if (failed > 0) {
  console.error(
    `\n${failed} test task(s) can pass stale: turbo would replay a cached result after one of these files changed.` +
      "\nDeclare each file in the task's inputs (the workspace's own turbo.json, $TURBO_ROOT$/... for a file outside it)," +
      "\nor move a fixture shared between workspaces into @vclm/tools and import it by package name.",
  );
  process.exit(1);
}
console.log(`check-task-inputs: every file the test tasks read is hashed (${running.length} tasks checked)`);

/** The ids of `task` and of every task it depends on, directly or not: a task's hash includes theirs. */
function withDependencies(task) {
  const ids = new Set();
  const visit = (id) => {
    if (ids.has(id)) return;
    ids.add(id);
    for (const dependency of tasks.get(id).dependencies) visit(dependency);
  };
  visit(task.taskId);
  return ids;
}

/** Files (relative to the repo root) in the hash of `task`: its own inputs and those of every task it depends on. */
function hashedFiles(task) {
  const files = new Set();
  for (const id of withDependencies(task)) {
    const each = tasks.get(id);
    for (const input of Object.keys(each.inputs)) files.add(relative(root, resolve(root, each.directory, input)));
  }
  return files;
}

/** A file in a workspace's dist/ is the output of that workspace's build, which the task must depend on. */
function builtByDependency(file, task) {
  for (const [name, dir] of packageDirs) {
    if (file.startsWith(`${dir}/dist/`)) return withDependencies(task).has(`${name}#build`);
  }
  return false;
}

/** Every file a workspace's tests read, relative to the repo root, each with the reason it is read. */
function filesRead(workspace) {
  const read = new Map();
  const queue = [];
  const add = (file, why) => {
    if (read.has(file) || file.split("/").includes("node_modules")) return;
    read.set(file, why);
    if (/\.[cm]?[jt]sx?$/.test(file) && !/(^|\/)dist\//.test(file)) queue.push(file);
  };
  for (const file of listFiles(workspace)) {
    const inWorkspace = relative(workspace, file);
    if (/(^|\/)[^/]+\.test\.[cm]?[jt]sx?$/.test(inWorkspace)) add(file, "a test file");
    else if (/^vitest\.config\.[cm]?[jt]s$/.test(inWorkspace)) add(file, "the vitest config");
    else if (inWorkspace.startsWith("test/")) add(file, "in test/");
  }
  while (queue.length > 0) {
    const file = queue.shift();
    for (const target of references(file, workspace)) add(target, `read by ${file}`);
  }
  return read;
}

/** Files (relative to the repo root) that the code in `file` imports, opens by URL, or names. */
function references(file, workspace) {
  const source = readFileSync(join(root, file), "utf8");
  const found = new Set();
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*["']([^"']+)["']/g, // import x from "y", export { x } from "y"
    /\bimport\s*["']([^"']+)["']/g, // import "y"
    /\bimport\(\s*["']([^"']+)["']\s*\)/g, // import("y")
    /\bnew URL\(\s*["'`]([^"'`$]+)["'`]\s*,\s*import\.meta\.url/g, // new URL("y", import.meta.url)
  ];
  for (const pattern of patterns) {
    for (const [, specifier] of source.matchAll(pattern)) {
      const target = resolveSpecifier(specifier, file);
      if (target) found.add(target);
    }
  }
  // A file named in a string ("animate.ts", passed to a spawned deno), relative to the file or the workspace.
  for (const [, name] of source.matchAll(/["'`]([\w@./-]+\.(?:[cm]?[jt]sx?|json|jpe?g|png|html|toml))["'`]/g)) {
    for (const base of [dirname(file), workspace]) {
      const target = relative(root, resolve(root, base, name));
      if (isFile(target)) found.add(target);
    }
  }
  return found;
}

/** The file an import specifier or URL in `from` names, relative to the repo root; undefined for outside packages. */
function resolveSpecifier(specifier, from) {
  if (specifier.startsWith(".")) {
    const path = relative(root, resolve(root, dirname(from), specifier));
    const candidates = [path, path.replace(/\.([cm]?)js$/, ".$1ts"), `${path}.ts`, `${path}.js`, `${path}/index.ts`, `${path}/index.js`];
    return candidates.find(isFile);
  }
  const [scopeOrName, maybeName] = specifier.split("/");
  const name = scopeOrName.startsWith("@") ? `${scopeOrName}/${maybeName}` : scopeOrName;
  const dir = packageDirs.get(name);
  if (!dir) return undefined; // node:, an npm dependency (hashed by the lockfile), or a #subpath import
  const subpath = `.${specifier.slice(name.length)}`;
  const manifest = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));
  const target = pick(manifest.exports?.[subpath] ?? (subpath === "." ? manifest.main : undefined));
  return target ? relative(root, resolve(root, dir, target)) : undefined;
}

/** The file an exports entry gives Node (or a bundler) for an import: conditions before defaults, types ignored. */
function pick(entry) {
  if (typeof entry === "string" || entry === undefined) return entry;
  for (const condition of ["node", "import", "default"]) {
    const chosen = pick(entry[condition]);
    if (chosen) return chosen;
  }
  return undefined;
}

/** Those of `files` that git ignores, which turbo cannot hash: what a test writes (its reports), or a build makes. */
function ignoredByGit(files) {
  if (files.length === 0) return new Set();
  try {
    const output = execFileSync("git", ["check-ignore", "-z", "--stdin"], { cwd: root, encoding: "utf8", input: files.join("\0") });
    return new Set(output.split("\0").filter(Boolean));
  } catch (error) {
    if (error.status === 1) return new Set(); // none of them is ignored
    throw error;
  }
}

/** The workspace's files that git does not ignore: the ones turbo can hash. */
function listFiles(dir) {
  const output = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", dir], {
    cwd: root,
    encoding: "utf8",
  });
  return output.split("\0").filter((file) => file && isFile(file));
}

function isFile(path) {
  return existsSync(join(root, path)) && statSync(join(root, path)).isFile();
}
