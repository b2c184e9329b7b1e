// The docs' lists are whole: README.md's package table has a row for every package published from
// packages/ (every package.json there without "private": true), linking its README, and no row for
// anything else; docs/README.md links every guide in docs/guides/; every app in apps/ has a README,
// linked from apps/README.md. Fails naming what is missing.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const read = (path) => readFileSync(join(root, path), "utf8");
const problems = [];

const published = readdirSync(join(root, "packages"))
  .filter((dir) => existsSync(join(root, "packages", dir, "package.json")))
  .map((dir) => ({ dir, ...JSON.parse(read(`packages/${dir}/package.json`)) }))
  .filter((pkg) => !pkg.private);

// The table whose header's first cell is "package": each row's first cell, [`name`](its README).
const readme = read("README.md");
const table = /^\| package +\|.*\n\|[- |]+\|\n((?:\|.*\n?)*)/m.exec(readme);
if (!table) problems.push('README.md has no package table (a table whose first column is "package")');
const rows = new Map([...(table?.[1] ?? "").matchAll(/^\| \[`([^`]+)`\]\(([^)]+)\)/gm)].map(([, name, link]) => [name, link]));
for (const { name, dir } of published) {
  const link = `packages/${dir}/README.md`;
  if (!rows.has(name)) problems.push(`README.md: the package table has no row for ${name}: add | [\`${name}\`](${link}) | what it is |`);
  else if (rows.get(name) !== link) problems.push(`README.md: ${name}'s row links ${rows.get(name)}, not ${link}`);
  if (!existsSync(join(root, link))) problems.push(`${link} is missing: every published package has a README`);
}
for (const name of rows.keys())
  if (!published.some((pkg) => pkg.name === name))
    problems.push(`README.md: the package table lists ${name}, which packages/ does not publish`);

const index = read("docs/README.md");
for (const guide of readdirSync(join(root, "docs/guides")).filter((name) => name.endsWith(".md")))
  if (!index.includes(`](guides/${guide})`))
    problems.push(`docs/README.md does not link docs/guides/${guide}: add - [Its title](guides/${guide}): what it covers`);

const apps = read("apps/README.md");
for (const app of readdirSync(join(root, "apps")).filter((dir) => existsSync(join(root, "apps", dir, "package.json")))) {
  if (!existsSync(join(root, "apps", app, "README.md")))
    problems.push(`apps/${app} has no README.md: what it shows, how to run it, what it needs, how it is tested`);
  if (!apps.includes(`](${app}/README.md)`)) problems.push(`apps/README.md does not link apps/${app}/README.md`);
}

if (problems.length) {
  console.error(`the docs' lists are not whole:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(
  `check-doc-lists: README.md lists the ${published.length} published packages; docs/README.md links every guide; every app has a README`,
);
