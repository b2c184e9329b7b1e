// Runs one probe in the runtime that executes this file (Node or Deno): reads the probe's input
// from a JSON file, prints its output as one JSON line.
import { readFile } from "node:fs/promises";

const [probeUrl, inputPath] = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const { default: probe } = await import(probeUrl);
const input = JSON.parse(await readFile(inputPath, "utf8"));
console.log(JSON.stringify(await probe(input)));
