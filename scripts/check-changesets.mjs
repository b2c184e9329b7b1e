// Every changeset must parse as changesets reads it: a front matter of `"package": bump` lines
// between two `---` lines. A reformatted one (a heading in place of the front matter) makes
// `changeset version` fail at release time, long after the change; here it fails the test run.
import { readdirSync, readFileSync } from "node:fs";

const dir = new URL("../.changeset/", import.meta.url);
const bad = [];
let count = 0;
for (const name of readdirSync(dir).filter((file) => file.endsWith(".md") && file !== "README.md")) {
  const match = /^---\n((?:"[@\w/.-]+": (?:patch|minor|major)\n)+)---\n\n\S/.exec(readFileSync(new URL(name, dir), "utf8"));
  if (match) count++;
  else bad.push(name);
}
if (bad.length) {
  console.error(`malformed changesets (want ---, "package": patch|minor|major lines, ---, a blank line, text): ${bad.join(", ")}`);
  process.exit(1);
}
console.log(`${count} changesets parse`);
