// Defect: with two copies of @vclm/core installed (an app's and a library's), errors made by one
// copy were not recognised by the other, so nothing was classified and nothing retried. Here a real
// second copy of core's built files, loaded as separate modules, throws the errors.
import { cpSync, realpathSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as core from "@vclm/core";
import { afterAll, describe, expect, it } from "vitest";
import { classify } from "../src/classify.js";

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
    expect(classify(throttled, false, {})).toBe("throttled");
    expect(classify(dropped, true, {})).toBe("transient");
    expect(classify(gateway, true, {})).toBe("transient");
    expect(classify(new other.VclmTimeoutError("A", 10), true, {})).toBe("transient");
  });
});
