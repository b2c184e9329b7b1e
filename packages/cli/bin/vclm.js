#!/usr/bin/env node
import { setFlagsFromString } from "node:v8";

// A batch of thousands of photos is a steady stream of short-lived objects (requests, answers,
// streams). V8 then grows its young generation to two 16 MB halves, and keeps them: measured on
// 2,000 photos, peak memory 123 to 147 MB. Kept at its first size, 100 to 102 MB, with no more CPU
// (packages/cli/bench/batch-scale.mjs). The flag is read each time the young generation would
// grow; it is set only on the V8 versions it was measured on (Node 20 to 24).
if (/^1[1-3]\./.test(process.versions.v8)) setFlagsFromString("--semi-space-growth-factor=1");

const { main } = await import("../dist/cli.js");
process.exitCode = await main(process.argv.slice(2));
