// The Deno script, run by the deno binary (from npm) with the least permissions it needs, against
// @vclm/emulator: it animates the sample photo and saves a playable MP4. With a permission fewer, it
// is refused: the list is the least, not a guess. As the service's videos come from a storage host,
// not the API's, the emulator here serves its videos as "localhost" and its API as 127.0.0.1: the
// download needs a permission of its own, and without it the script names the host to allow.
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { freePort } from "@vclm/tools/free-port";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = new URL("..", import.meta.url).pathname;
const deno = join(here, "node_modules/.bin/deno");
const dir = mkdtempSync(join(tmpdir(), "vclm-deno-"));
const photo = join(dir, "dancer.jpg");
copyFileSync(new URL("../../../samples/dancer.jpg", import.meta.url), photo);
let emulator: RunningEmulator;
let videoHost: string;

beforeAll(async () => {
  const port = await freePort();
  videoHost = `localhost:${port}`;
  emulator = await startEmulator({ port, publicUrl: `http://${videoHost}`, schedule: { waitMs: 500, runMs: 1_500 } });
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (permissions: string[]) =>
  promisify(execFile)(
    deno,
    ["run", "--no-lock", ...permissions, join(here, "animate.ts"), photo, "--template", "tuziwu", "--endpoint", emulator.url],
    {
      cwd: here,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TENCENTCLOUD_SECRET_ID: DEMO_ACCOUNT.secretId,
        TENCENTCLOUD_SECRET_KEY: DEMO_ACCOUNT.secretKey,
        NO_COLOR: "1",
      },
    },
  ).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error) => ({ code: error.code as number, stdout: error.stdout as string, stderr: error.stderr as string }),
  );

const least = [
  `--allow-read=${here},${photo}`,
  `--allow-write=${dir}`,
  "--allow-net=127.0.0.1,localhost", // the API's host, the videos' host
  "--allow-env=TENCENTCLOUD_SECRET_ID,TENCENTCLOUD_SECRET_KEY,TENCENTCLOUD_SESSION_TOKEN",
];

describe("apps/deno", () => {
  it("animates the sample photo with the least permissions and saves a playable MP4", async () => {
    const { code, stdout, stderr } = await run(least);
    expect(stderr).toMatch(/job: WAIT\njob: RUN\njob: DONE/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Saved .*dancer-tuziwu\.mp4 \(job \d+\)\n$/);
    expect(readFileSync(join(dir, "dancer-tuziwu.mp4")).subarray(4, 8).toString()).toBe("ftyp");
  }, 60_000);

  it("without the video's host, stops before the download, naming the host to allow and the video's URL", async () => {
    const { code, stderr } = await run(least.map((p) => (p.startsWith("--allow-net") ? "--allow-net=127.0.0.1" : p)));
    expect(code).toBe(3);
    expect(stderr).toContain(`this script may not reach ${videoHost}, where its video is.`);
    expect(stderr).toMatch(new RegExp(`Download it within 24 hours \\(until [^)]*\\) from http://${videoHost}/videos/\\d+\\.mp4\\?`));
    expect(stderr).toContain(`--allow-net=127.0.0.1,${videoHost}`);
  }, 60_000);

  it.each([
    ["network", (p: string) => p.startsWith("--allow-net")],
    ["writing", (p: string) => p.startsWith("--allow-write")],
  ])(
    "is refused without the %s permission",
    async (_, drop) => {
      const { code, stderr } = await run(least.filter((p) => !drop(p)));
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/NotCapable|Requires (net|write) access/);
    },
    60_000,
  );
});
