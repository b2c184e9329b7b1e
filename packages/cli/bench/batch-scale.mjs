#!/usr/bin/env node
// What `vclm animate DIR --out-dir OUT` costs at scale, run the way a user runs it.
//
// 1. Makes N distinct valid portrait JPEGs (a few KB each; sizes and widths differ, height:width
//    1.5) in a temporary folder.
// 2. Starts a fast emulator (fast-emulator.mjs) in its own process, so its CPU and memory are not
//    the CLI's: jobs take 250 ms, the service's limits (10 jobs at once, 20 requests/s per action).
// 3. Runs the built CLI (../bin/vclm.js, or --cli's: `pnpm build` it first) under `/usr/bin/time -v`,
//    stderr a pipe (not a terminal: one log line per event), HOME a temporary folder, credentials
//    from the environment and no metadata service reachable, so nothing leaves the machine.
// 4. Prints a markdown table: exit code, videos saved, wall time, CPU, peak RSS, journal size,
//    stderr lines and MaxListenersExceededWarning lines, and, from the emulator's admin API, the
//    jobs made and the photos with more than one job (must be 0). Then a sample of stderr.
//
// Run from anywhere (needs /usr/bin/time: `apt-get install -y time` on Debian):
//   node packages/cli/bench/batch-scale.mjs                      # 2000 photos
//   node packages/cli/bench/batch-scale.mjs --photos 200 --keep  # keep the temp folders to look at
//   node packages/cli/bench/batch-scale.mjs -- --quiet           # args after -- go to the CLI
//   node packages/cli/bench/batch-scale.mjs --cli /tmp/old/packages/cli/bin/vclm.js  # another build
//
// At the end, also on failure or Ctrl-C, the emulator is stopped and the temporary folders are
// removed (unless --keep).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { largeJpeg } from "@vclm/tools/large-jpeg";

const DEFAULT_CLI = fileURLToPath(new URL("../bin/vclm.js", import.meta.url));
const EMULATOR = fileURLToPath(new URL("./fast-emulator.mjs", import.meta.url));
const TIME = "/usr/bin/time";
const USAGE = "usage: node packages/cli/bench/batch-scale.mjs [--photos N] [--keep] [--cli BIN] [-- CLI-ARGS...]";

/** `--photos N`, `--keep`, `--cli BIN` (another build's bin/vclm.js), and whatever follows `--` (passed to the CLI). */
function parseOptions(argv) {
  const split = argv.indexOf("--");
  const own = split < 0 ? argv : argv.slice(0, split);
  const options = { photos: 2000, keep: false, cli: DEFAULT_CLI, cliArgs: split < 0 ? [] : argv.slice(split + 1) };
  for (let i = 0; i < own.length; i++) {
    if (own[i] === "--keep") options.keep = true;
    else if (own[i] === "--photos") options.photos = Number(own[++i]);
    else if (own[i] === "--cli") options.cli = resolve(own[++i] ?? "");
    else if (own[i].startsWith("--photos=")) options.photos = Number(own[i].slice("--photos=".length));
    else throw new Error(`unknown option ${own[i]}\n${USAGE}`);
  }
  if (!Number.isInteger(options.photos) || options.photos < 1) throw new Error(`--photos takes a whole number above 0\n${USAGE}`);
  return options;
}

/** N JPEGs that differ in bytes: sizes 3000 + i bytes, widths 500..1299, height 1.5 x width. */
async function makePhotos(dir, count, signal) {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    signal.throwIfAborted();
    const width = 500 + (i % 800);
    const height = Math.round(width * 1.5);
    await writeFile(join(dir, `photo-${String(i).padStart(5, "0")}.jpg`), largeJpeg(3000 + i, width, height));
  }
}

/** Starts fast-emulator.mjs and waits for the URL it prints. */
async function startFastEmulator() {
  const child = spawn(process.execPath, [EMULATOR], { stdio: ["pipe", "pipe", "inherit"] });
  let output = "";
  const url = await new Promise((resolve, reject) => {
    child.stdout.on("data", (data) => {
      output += data;
      if (output.includes("\n")) resolve(output.trim());
    });
    child.once("exit", (code) => reject(new Error(`the emulator exited (code ${code}) before printing its URL`)));
    child.once("error", reject);
  });
  return { url, child };
}

const running = (child) => child && child.exitCode === null && child.signalCode === null;

/** Signals a child started `detached` and everything in its process group (time(1) and node under it). */
function killGroup(child, signal) {
  if (!running(child)) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** SIGTERM, then SIGKILL after 5 s; waits for the exit. */
async function stopProcess(child, { group = false } = {}) {
  if (!running(child)) return;
  const exited = once(child, "exit");
  const kill = (signal) => (group ? killGroup(child, signal) : child.kill(signal));
  kill("SIGTERM");
  const timer = setTimeout(() => kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** The CLI's environment: demo credentials, a private HOME, no metadata service; nothing else inherited. */
const cliEnv = (home) => ({
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: home,
  TENCENTCLOUD_SECRET_ID: DEMO_ACCOUNT.secretId,
  TENCENTCLOUD_SECRET_KEY: DEMO_ACCOUNT.secretKey,
  VCLM_METADATA_ENDPOINT: "http://127.0.0.1:9/latest/meta-data/",
});

/**
 * Runs the CLI under /usr/bin/time -v, stdout and stderr piped into files; resolves when it exits.
 * In its own process group, so a signal reaches node and not only time(1), which would leave it.
 */
async function runCli({ cli, args, env, files, onSpawn }) {
  const command = [TIME, "-v", "-o", files.time, process.execPath, cli, ...args];
  const started = performance.now();
  const child = spawn(command[0], command.slice(1), { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  onSpawn(child);
  const copied = Promise.all([
    pipeline(child.stdout, createWriteStream(files.stdout)),
    pipeline(child.stderr, createWriteStream(files.stderr)),
  ]);
  const [code, signal] = await once(child, "exit");
  const wallSeconds = (performance.now() - started) / 1000;
  await copied;
  return { command, exitCode: code ?? signal, wallSeconds };
}

/** User + system CPU seconds and peak RSS (KB) from `time -v`'s report. */
function parseTimeReport(text) {
  const field = (name) => Number(new RegExp(`${name}: ([\\d.]+)`).exec(text)?.[1] ?? Number.NaN);
  return {
    cpuSeconds: field("User time \\(seconds\\)") + field("System time \\(seconds\\)"),
    maxRssKb: field("Maximum resident set size \\(kbytes\\)"),
  };
}

/** The emulator's jobs (admin API) and how many photos got more than one. */
async function emulatorJobs(url) {
  const jobs = await (await fetch(new URL("_emulator/jobs", url))).json();
  const perPhoto = new Map();
  for (const job of jobs) perPhoto.set(job.Photo, (perPhoto.get(job.Photo) ?? 0) + 1);
  return { jobs: jobs.length, photosWithManyJobs: [...perPhoto.values()].filter((n) => n > 1).length };
}

async function countVideos(dir) {
  return (await readdir(dir).catch(() => [])).filter((name) => name.endsWith(".mp4")).length;
}

async function fileKb(path) {
  return ((await stat(path).catch(() => ({ size: 0 }))).size / 1024).toFixed(0);
}

const linesOf = (text) => text.split("\n").filter((line) => line !== "");

function printTable(rows) {
  console.log("| measure | value |\n| --- | ---: |");
  for (const [measure, value] of rows) console.log(`| ${measure} | ${value} |`);
}

/** A sample of the log: its first lines and as many from the middle. */
function printSample(lines, count = 10) {
  const half = Math.ceil(count / 2);
  const middle = Math.max(half, Math.floor(lines.length / 2));
  console.log(`\nstderr sample (lines 1-${half} and ${middle + 1}-${middle + count - half} of ${lines.length}):\n\`\`\``);
  console.log([...lines.slice(0, half), "...", ...lines.slice(middle, middle + count - half)].join("\n"));
  console.log("```");
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync(TIME)) {
    console.error(`${TIME} is missing: install it (Debian: apt-get install -y time) and run again`);
    return 2;
  }
  const work = await mkdtemp(join(tmpdir(), "vclm-batch-scale-"));
  const dirs = { photos: join(work, "photos"), out: join(work, "out"), home: join(work, "home") };
  const files = { stdout: join(work, "cli.stdout"), stderr: join(work, "cli.stderr"), time: join(work, "time.txt") };
  let emulator;
  let cli;
  // Ctrl-C or a kill: stop where we are; the finally below stops the children and removes the folders.
  const interrupted = new AbortController();
  const onSignal = (signal) => {
    console.error(`\n${signal}: stopping`);
    interrupted.abort(new Error(`interrupted by ${signal}`));
    killGroup(cli, "SIGTERM");
  };
  process.on("SIGINT", onSignal).on("SIGTERM", onSignal);
  try {
    await mkdir(dirs.home);
    console.error(`making ${options.photos} photos in ${dirs.photos}`);
    await makePhotos(dirs.photos, options.photos, interrupted.signal);
    emulator = await startFastEmulator();
    interrupted.signal.throwIfAborted();
    console.error(`emulator at ${emulator.url}`);
    const args = ["animate", dirs.photos, "--out-dir", dirs.out, "--endpoint", emulator.url, ...options.cliArgs];
    console.error(`running: ${[TIME, "-v", process.execPath, options.cli, ...args].join(" ")}`);
    const run = await runCli({ cli: options.cli, args, env: cliEnv(dirs.home), files, onSpawn: (child) => (cli = child) });
    interrupted.signal.throwIfAborted();
    const time = parseTimeReport(await readFile(files.time, "utf8").catch(() => ""));
    const stderr = linesOf(await readFile(files.stderr, "utf8"));
    const jobs = await emulatorJobs(emulator.url);
    const n = options.photos;
    printTable([
      ["photos", n],
      ["CLI args", `\`animate DIR --out-dir OUT --endpoint URL${options.cliArgs.length ? ` ${options.cliArgs.join(" ")}` : ""}\``],
      ["exit code", run.exitCode],
      ["videos saved (.mp4 in OUT)", await countVideos(dirs.out)],
      ["wall time (s)", run.wallSeconds.toFixed(2)],
      ["CPU user+sys (s)", time.cpuSeconds.toFixed(2)],
      ["CPU per photo (ms)", ((time.cpuSeconds * 1000) / n).toFixed(2)],
      ["peak RSS (MB)", (time.maxRssKb / 1024).toFixed(1)],
      ["journal size (KB)", await fileKb(join(dirs.out, ".vclm-journal.jsonl"))],
      ["stderr lines", stderr.length],
      ["stderr lines per photo", (stderr.length / n).toFixed(2)],
      ["MaxListenersExceededWarning lines", stderr.filter((line) => line.includes("MaxListenersExceededWarning")).length],
      ["emulator jobs", jobs.jobs],
      ["photos with more than one job (must be 0)", jobs.photosWithManyJobs],
    ]);
    printSample(stderr);
    const stdout = linesOf(await readFile(files.stdout, "utf8"));
    console.log(`\nstdout (${stdout.length} lines), first 3:\n\`\`\`\n${stdout.slice(0, 3).join("\n")}\n\`\`\``);
    return run.exitCode === 0 && jobs.photosWithManyJobs === 0 ? 0 : 1;
  } finally {
    await stopProcess(cli, { group: true });
    await stopProcess(emulator?.child);
    if (options.keep) console.error(`kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

// A reader that stops early (`| head`) must not stop the cleanup.
process.stdout.on("error", (error) => {
  if (error.code !== "EPIPE") throw error;
});
process.exitCode = await main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  return 2;
});
