import { anyCase, sign3Case } from "@vclm/tools/signing-arbitraries";
import { reference, sign3 } from "@vclm/tools/signing-oracle";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { builds, requestOf } from "./builds.js";
import { published } from "./published.js";

const RUNS = Number(process.env.CONFORMANCE_RUNS ?? 2000);
// Thousands of signatures: generous on a loaded CI machine; correctness, not speed, is asserted.
const SLOW = 120_000;

describe("the reference oracle", () => {
  it("reproduces the published signatures", () => {
    for (const vector of published) expect(reference(vector), vector.name).toBe(vector.authorization);
  });

  it(
    "agrees with the official SDK's sign3 wherever sign3 can sign",
    () => {
      fc.assert(
        fc.property(sign3Case, (c) => {
          expect(reference(c)).toBe(sign3(c));
        }),
        { numRuns: 500 },
      );
    },
    SLOW,
  );
});

describe.each(builds)("the $build build", ({ sign }) => {
  it(
    `matches the official SDK's sign3 byte for byte on ${RUNS} random requests`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          sign3Case,
          fc.constantFrom("string", "bytes", "buffer") as fc.Arbitrary<"string" | "bytes" | "buffer">,
          async (c, as) => {
            const headers = await sign(requestOf(c, as), c.options);
            expect(headers.Authorization).toBe(sign3(c));
            expect(headers["X-TC-Timestamp"]).toBe(String(c.options.timestamp));
            expect(headers["X-TC-Token"]).toBe(c.options.credentials.token);
          },
        ),
        { numRuns: RUNS },
      );
    },
    SLOW,
  );

  it(
    `matches the reference with extra signed headers, services and unsigned payloads on ${RUNS} random requests`,
    async () => {
      await fc.assert(
        fc.asyncProperty(anyCase, async (c) => {
          const headers = await sign(requestOf(c, "bytes"), c.options);
          expect(headers.Authorization).toBe(reference(c));
          expect(headers["X-TC-Content-SHA256"]).toBe(c.options.unsignedPayload ? "UNSIGNED-PAYLOAD" : undefined);
        }),
        { numRuns: RUNS },
      );
    },
    SLOW,
  );
});
