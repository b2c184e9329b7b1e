// Defect: with two copies of @vclm/core installed (an app's and a library's), errors made by one
// copy were not recognised by the other, so nothing was classified and nothing retried. Here a real
// second copy of core's built files, loaded as separate modules, throws the errors.
import { cpSync, realpathSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as core from "@vclm/core";
import { afterAll, describe, expect, it } from "vitest";

const coreDir = realpathSync(join(import.meta.dirname, "../node_modules/@vclm/core"));
// Inside core's own node_modules, so the copy resolves valibot and the signer as core does; with
// its package.json, whose "imports" its files use.
const copyDir = join(coreDir, "node_modules/.second-copy-of-core");
rmSync(copyDir, { recursive: true, force: true });
cpSync(join(coreDir, "dist"), join(copyDir, "dist"), { recursive: true });
cpSync(join(coreDir, "package.json"), join(copyDir, "package.json"));
afterAll(() => rmSync(copyDir, { recursive: true, force: true }));

const other = (await import(pathToFileURL(join(copyDir, "dist/index.js")).href)) as typeof core;

describe("errors from another copy of @vclm/core", () => {
  it("are separate classes, which instanceof cannot see through, but isVclmError and isServiceError can", () => {
    expect(other.VclmServiceError).not.toBe(core.VclmServiceError);
    const error = new other.VclmServiceError({ code: "InternalError", message: "m", action: "DescribeImageAnimateJob", status: 200 });
    expect(error instanceof core.VclmServiceError).toBe(false); // why the brand is needed
    expect(core.isVclmError(error, core.VclmServiceError)).toBe(true);
    expect(core.isVclmError(error)).toBe(true);
    expect(core.isVclmError(error, core.VclmNetworkError)).toBe(false);
    expect(core.isServiceError(error, "InternalError")).toBe(true);
    expect(core.isVclmError(new Error("plain"))).toBe(false);
    expect(core.isVclmError(Object.assign(new Error("look-alike"), { name: "VclmServiceError" }))).toBe(false);
  });

  it("are classified for retries like our own", () => {
    const throttled = new other.VclmServiceError({ code: "RequestLimitExceeded", message: "m", action: "A", status: 200 });
    const dropped = new other.VclmNetworkError("https://x/", "A", new Error("socket hang up"));
    const gateway = new other.VclmResponseError("gateway", { action: "A", status: 502, body: "" });
    // The one failure table retry() follows: core's classifyFailure, then mayRetry for the call.
    const retried = (error: unknown, idempotent: boolean) => core.mayRetry(core.classifyFailure(error), { idempotent });
    expect(core.classifyFailure(throttled)).toBe("throttled");
    expect(retried(throttled, false)).toBe(true);
    expect(core.classifyFailure(dropped)).toBe("may-have-arrived");
    expect(retried(dropped, true)).toBe(true);
    expect(retried(dropped, false)).toBe(false);
    expect(core.classifyFailure(gateway)).toBe("may-have-arrived");
    expect(retried(gateway, true)).toBe(true);
    expect(retried(new other.VclmTimeoutError("A", 10), true)).toBe(true);
  });
});
