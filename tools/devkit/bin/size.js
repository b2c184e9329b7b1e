#!/usr/bin/env node
// Checks the package's size budgets, from package.json "size" (see measureBudgets in src/size.js):
// each is bundled with esbuild, minified, and gzipped at level 9; the gzip size is what counts.
import { measureBudgets } from "../src/size.js";

const rows = await measureBudgets(process.cwd());
const over = rows.filter(({ gzip, limit }) => gzip > limit).length;
console.table(
  rows.map(({ bundle, min, gzip, limit }) => ({
    bundle,
    "min (B)": min,
    "min+gzip (B)": gzip,
    "budget (B)": limit,
    ok: gzip <= limit ? "yes" : "OVER",
  })),
);
if (over) {
  console.error(`${over} size budget(s) exceeded`);
  process.exit(1);
}
