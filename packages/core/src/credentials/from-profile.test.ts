import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { VclmValidationError } from "../errors/validation-error.js";
import { fromProfile, lookUpProfile } from "./from-profile.js";

const root = mkdtempSync(join(tmpdir(), "vclm-profile-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
};
const failure = (promise: unknown) =>
  Promise.resolve(promise).then(
    () => undefined,
    (e: Error) => e,
  );

describe("fromProfile", () => {
  let savedHome: string | undefined;
  beforeEach(() => {
    savedHome = process.env.HOME;
  });
  afterEach(() => {
    process.env.HOME = savedHome;
  });

  it("reads ~/.tencentcloud/credentials's [default] section, with a token, once", async () => {
    const home = join(root, "home");
    mkdirSync(join(home, ".tencentcloud"), { recursive: true });
    writeFileSync(join(home, ".tencentcloud/credentials"), "[default]\nsecret_id = AKIDhome\nsecret_key = home-key\ntoken = tok\n");
    process.env.HOME = home;
    const provider = fromProfile();
    expect(await provider()).toEqual({ secretId: "AKIDhome", secretKey: "home-key", token: "tok" });
    rmSync(join(home, ".tencentcloud/credentials"));
    expect(await provider()).toEqual({ secretId: "AKIDhome", secretKey: "home-key", token: "tok" }); // kept
  });

  it("reads the named profile of the given file", async () => {
    const path = file("named", "[default]\nsecret_id = A\nsecret_key = a\n[vclm]\nsecret_id = AKIDvclm\nsecret_key = vclm-key\n");
    expect(await fromProfile({ file: path, profile: "vclm" })()).toEqual({ secretId: "AKIDvclm", secretKey: "vclm-key" });
  });

  it("without a home file, looks in /etc/tencentcloud/credentials next, and says it looked in both", async () => {
    process.env.HOME = join(root, "empty-home");
    const found = await lookUpProfile();
    // On a machine with a system file, it is read; otherwise both places are named.
    if ("absent" in found)
      expect(found.absent).toBe(`neither ${root}/empty-home/.tencentcloud/credentials nor /etc/tencentcloud/credentials exists`);
    else expect(found.file).toBe("/etc/tencentcloud/credentials");
  });

  it.each([
    [
      "a malformed line",
      "[default]\nsecret_id = AKIDx\nthis-is-the-secret-key-pasted-alone\n",
      /line 3 is neither a \[section\] nor key = value/,
    ],
    [
      "a section without secret_key",
      "[default]\nsecret_id = AKIDx\n",
      /the \[default\] section needs secret_id and secret_key \(missing: secret_key\)/,
    ],
    ["a missing section", "[other]\nsecret_id = AKIDx\nsecret_key = k\n", /has no \[default\] section/],
  ])("fails %s with a VclmValidationError naming the file, never its contents", async (_, text, message) => {
    const path = file(`bad-${text.length}`, text);
    const error = await failure(fromProfile({ file: path })());
    expect(error).toBeInstanceOf(VclmValidationError);
    expect(error?.message).toMatch(message);
    expect(error?.message).toContain(path);
    expect(error?.message).not.toMatch(/pasted-alone|AKIDx/);
  });

  it("fails a missing file, and reads it once it is there (a failure is not kept)", async () => {
    const path = join(root, "later");
    const provider = fromProfile({ file: path });
    expect((await failure(provider()))?.message).toContain(`${path} does not exist`);
    writeFileSync(path, "[default]\nsecret_id = AKIDlater\nsecret_key = later\n");
    expect(await provider()).toEqual({ secretId: "AKIDlater", secretKey: "later" });
  });

  it("fails an unreadable file with its error code", async () => {
    const error = await failure(fromProfile({ file: root })()); // a directory
    expect(error?.message).toMatch(/cannot be read \(EISDIR\)/);
  });
});
