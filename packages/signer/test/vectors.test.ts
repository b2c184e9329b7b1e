// vectors.json: the published known answers plus a fixed-seed sample of random cases, each with
// the Authorization its oracle computed. Every runtime replays this file against the built
// package (tests/runtimes); this test keeps it honest: each entry is re-derived from its oracle.
// Regenerate with UPDATE_VECTORS=1.
import { readFileSync, writeFileSync } from "node:fs";
import { anyCase, sign3Case } from "@vclm/tools/signing-arbitraries";
import { reference, sign3, sign3Can, type Vector } from "@vclm/tools/signing-oracle";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { published } from "./published.js";

const file = new URL("./vectors.json", import.meta.url);

function generate(): Vector[] {
  const sample = (arbitrary: typeof sign3Case, seed: number, count: number) => fc.sample(arbitrary, { seed, numRuns: count });
  const cases = [...sample(sign3Case, 1, 60), ...sample(anyCase, 2, 60)];
  return [
    ...published,
    ...cases.map((c, i): Vector => {
      const oracle = sign3Can(c) ? "sign3" : "reference";
      const name = `${oracle} #${i} ${c.request.method}${c.options.signedHeaders ? " +signed headers" : ""}${c.options.unsignedPayload ? " unsigned" : ""}`;
      return { name, ...c, authorization: oracle === "sign3" ? sign3(c) : reference(c), oracle };
    }),
  ];
}

if (process.env.UPDATE_VECTORS) writeFileSync(file, `${JSON.stringify(generate(), null, 1)}\n`);
const vectors: Vector[] = JSON.parse(readFileSync(file, "utf8"));

describe("vectors.json", () => {
  it("holds the published vectors and both kinds of generated case", () => {
    const count = (oracle: string) => vectors.filter((v) => v.oracle === oracle).length;
    expect(count("published")).toBe(published.length);
    expect(count("sign3")).toBeGreaterThan(50);
    expect(count("reference")).toBeGreaterThan(30);
  });

  it.each(vectors.map((v) => [v.name, v] as const))("%s: its Authorization is what its oracle computes", (_, vector) => {
    const expected = { published: vector.authorization, sign3: sign3(vector), reference: reference(vector) }[vector.oracle];
    expect(vector.authorization).toBe(expected);
    if (vector.oracle !== "reference" && sign3Can(vector)) expect(sign3(vector)).toBe(vector.authorization);
  });
});
