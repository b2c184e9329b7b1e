// The emulator checks photos with its own code, written from the API's documentation, not with
// @vclm/core's checkPhoto: it is the independent check of the SDK's preflight. Shown three ways:
// photos at every boundary sent straight to its HTTP API (no client in the way) get the service's
// codes; a client whose preflight lets a bad photo through (as a bug in core's check would) still
// gets the service's refusal; and the two checks agree at every boundary.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkPhoto, isServiceError, SubmitImageAnimateJob, VclmClient, VclmPhotoError } from "@vclm/core";
import { toBase64 } from "@vclm/core/internal";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../src/node.js";
import { BOUNDARIES } from "./photo-boundaries.js";
import { answerOf, demo, signedRequest } from "./signed.js";

let running: RunningEmulator;
beforeAll(async () => {
  running = await startEmulator({ limits: { concurrentJobs: 100, requestsPerSecond: 100 } });
});
afterAll(() => running.close());

async function submitRaw(ImageBase64: string): Promise<string> {
  const body = JSON.stringify({ TemplateId: "ke3", ImageBase64 });
  const answer = await answerOf(await fetch(await signedRequest(running.url, { action: "SubmitImageAnimateJob", body })));
  return answer.Error?.Code ?? (typeof answer.JobId === "string" ? "accepted" : JSON.stringify(answer));
}

async function coreSays(photo: Uint8Array): Promise<string> {
  try {
    await checkPhoto(photo);
    return "accepted";
  } catch (error) {
    if (error instanceof VclmPhotoError) return error.code;
    throw error;
  }
}

describe("the emulator's photo checks are its own", () => {
  it.each(BOUNDARIES)("$what, sent straight to the HTTP API, bypassing any client: $code", async ({ photo, code }) => {
    expect(await submitRaw(toBase64(photo))).toBe(code);
  });

  it("refuses what a client with a broken preflight lets through (preflight off stands in for the bug)", async () => {
    const trusting = new VclmClient({ region: "ap-singapore", endpoint: running.url, credentials: demo, preflight: false });
    for (const { what, photo, code } of BOUNDARIES.filter(({ code }) => code !== "accepted")) {
      const error = await trusting.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64: toBase64(photo) }).catch((e) => e);
      expect(isServiceError(error, code as Parameters<typeof isServiceError>[1]), `${what}: ${error}`).toBe(true);
    }
  });

  it("agrees with @vclm/core's checkPhoto at every boundary: two separate readings of the same rules", async () => {
    for (const { what, photo } of BOUNDARIES) expect(await submitRaw(toBase64(photo)), what).toBe(await coreSays(photo));
  });

  it("imports no photo code from @vclm/core: only the API's names and a capped body reader", () => {
    const src = new URL("../src/", import.meta.url).pathname;
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? sources(join(dir, entry.name)) : /(?<!\.test)\.ts$/.test(entry.name) ? [join(dir, entry.name)] : [],
      );
    const imported = new Set<string>();
    // The module's own imports, at the start of a line: a TSDoc example's (" * import ...") is a user's.
    for (const file of sources(src))
      for (const [, names] of readFileSync(file, "utf8").matchAll(
        /^import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*"@vclm\/core(?:\/[a-z]+)?"/gm,
      ))
        for (const name of (names as string).split(",")) if (name.trim()) imported.add(name.trim());
    expect([...imported].sort()).toEqual(["VCLM_API", "readCapped"]);
  });
});
