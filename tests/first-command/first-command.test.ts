// The README's first command, as a newcomer runs it: on a copy of this clone's tracked files (no
// node_modules, no .cache, no build), `bash scripts/animate-sample.sh` twice. The first run installs
// only what the CLI needs and says so, stage by stage; the second installs and builds nothing and
// saves the next free name. Times are printed, not asserted (the machine is shared).
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;
const copy = mkdtempSync(join(tmpdir(), "vclm-first-"));
const work = join(copy, "work"); // where the user runs it from
// The copy holds a pnpm install (thousands of files): removing it took over vitest's default 10 s
// hook limit on a loaded CI machine, which failed a run whose test had passed.
afterAll(() => rmSync(copy, { recursive: true, force: true }), 180_000);

function sample(): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  const env = {
    ...process.env,
    PATH: process.env.PATH?.split(":")
      .filter((dir) => !dir.includes(".cache/tools"))
      .join(":"),
  };
  return new Promise((resolve) => {
    execFile("bash", [join(copy, "repo/scripts/animate-sample.sh")], { cwd: work, env, timeout: 240_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr, ms: Math.round(performance.now() - started) }),
    );
  });
}

it("animates the sample from a bare copy, installing only what the CLI needs, and again at once", { timeout: 480_000 }, async () => {
  execFileSync(
    "bash",
    ["-c", `mkdir -p "${copy}/repo" "${work}" && git ls-files -z | tar --null -T - -cf - | tar -xf - -C "${copy}/repo"`],
    {
      cwd: root,
    },
  );
  const first = await sample();
  console.log(`first run: ${first.ms} ms\n${first.stderr}`);
  expect(first.code, first.stderr).toBe(0);
  for (const stage of ["installing pnpm", "installing the CLI's dependencies", "building the CLI"]) expect(first.stderr).toContain(stage);
  expect(first.stdout).toContain(`Saved ${join(work, "dancer-ke3.mp4")}`);
  expect(new TextDecoder().decode(readFileSync(join(work, "dancer-ke3.mp4")).subarray(4, 8))).toBe("ftyp");
  // Only the CLI's dependencies (and the root's tools, which pnpm always installs): none of the test runtimes.
  const installed = readdirSync(join(copy, "repo/node_modules/.pnpm")).join("\n");
  for (const heavy of ["bun@", "deno@", "workerd@", "miniflare@", "playwright-core@"]) expect(installed).not.toContain(heavy);
  expect(existsSync(join(copy, "repo/tests/runtimes/node_modules"))).toBe(false);

  const second = await sample();
  console.log(`second run: ${second.ms} ms\n${second.stderr}`);
  expect(second.code, second.stderr).toBe(0);
  expect(second.stderr).not.toMatch(/installing|building/);
  expect(second.stdout).toContain(`Saved ${join(work, "dancer-ke3-2.mp4")}`);
});
