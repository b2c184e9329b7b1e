import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { animateMany, type BatchCounts, type BatchEvent, type BatchPhoto, type BatchReport } from "@vclm/batch";
import { fileJournal, saveToDirectory } from "@vclm/batch/node";
import type { VclmClient } from "@vclm/core";
import type { Args } from "../args.js";
import { progress } from "../progress.js";
import { UsageError } from "../usage.js";
import { formatBytes } from "./download.js";
import type { Output } from "./jobs.js";

const PHOTO = /\.(jpe?g|png)$/i;
/** The journal's name in the output folder: running the same command again resumes from it. */
export const JOURNAL = ".vclm-journal.jsonl";

/** The photo files named: files as given, folders as the photos directly in them (sorted). */
async function listPhotos(operands: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const operand of operands) {
    const info = await stat(operand).catch(() => {
      throw new UsageError(`no such file or folder: ${operand}`);
    });
    if (!info.isDirectory()) files.push(operand);
    else {
      const names = (await readdir(operand)).filter((name) => PHOTO.test(name)).sort();
      if (!names.length) throw new UsageError(`${operand} has no .jpg, .jpeg or .png files`);
      files.push(...names.map((name) => join(operand, name)));
    }
  }
  return [...new Set(files)];
}

/** Names for reports and video files: the file's name, or its path where two share a name. */
function namesOf(files: string[]): BatchPhoto[] {
  const seen = new Map<string, number>();
  for (const file of files) seen.set(basename(file), (seen.get(basename(file)) ?? 0) + 1);
  return files.map((file) => ({
    name: (seen.get(basename(file)) ?? 0) > 1 ? file : basename(file),
    photo: async () => new Uint8Array(await readFile(file)),
  }));
}

const seconds = (ms: number) => (ms < 90_000 ? `${Math.round(ms / 1000)}s` : `${Math.round(ms / 60_000)}m`);

function countsLine(counts: BatchCounts, started: number, finishedThisRun: number): string {
  const left = counts.pending + counts.waiting + counts.running + counts.saving;
  const elapsed = Date.now() - started;
  const eta = finishedThisRun && left ? ` · about ${seconds((elapsed / finishedThisRun) * left)} left` : "";
  const problems = counts.failed + counts.refused + counts.error + counts.lost + counts["maybe-submitted"];
  return `${counts.saved} saved · ${counts.saving} saving · ${counts.running} running · ${counts.waiting} waiting · ${counts.pending} to submit${problems ? ` · ${problems} not saved` : ""}${eta}`;
}

function eventLine(event: BatchEvent): string {
  if (event.type === "limit") return `the account runs at most ${event.limit} jobs at once: keeping to that`;
  const job = event.JobId ? ` (job ${event.JobId})` : "";
  if (event.type === "saved") return `${event.name}: saved ${event.location}, ${formatBytes(event.bytes ?? 0)}${job}`;
  return `${event.name}: ${event.type}${job}${event.message ? `: ${event.message}` : ""}`;
}

/** What the exit code says: 0 all saved; 3 some photos may have been submitted (check first); 1 otherwise. */
const exitCodeOf = (report: BatchReport) => (report.counts["maybe-submitted"] ? 3 : report.counts.saved === report.photos.length ? 0 : 1);

function summary(report: BatchReport, outDir: string): string {
  const { counts, photos } = report;
  const lines = [
    `${photos.length} photos: ${counts.saved} saved in ${outDir}${counts.failed ? `, ${counts.failed} failed` : ""}${counts.refused ? `, ${counts.refused} refused` : ""}${counts.lost ? `, ${counts.lost} lost` : ""}${counts.error ? `, ${counts.error} unfinished` : ""}${counts["maybe-submitted"] ? `, ${counts["maybe-submitted"]} may have been submitted` : ""}.`,
  ];
  for (const photo of photos)
    if (photo.outcome !== "saved")
      lines.push(
        `  ${photo.name}: ${photo.outcome}${photo.JobId ? ` (job ${photo.JobId})` : ""}${photo.message ? `: ${photo.message}` : ""}`,
      );
  const bytes = photos.reduce((sum, photo) => sum + (photo.bytes ?? 0), 0);
  if (counts.saved) lines.push(`Videos: ${formatBytes(bytes)} in all.`);
  if (counts.error) lines.push("Run the same command again to finish the unfinished ones.");
  if (counts["maybe-submitted"])
    lines.push(
      "Check the account for jobs of the photos that may have been submitted. Run the same command again with --adopt NAME=JOBID for each that has a job (its video is saved), and --resubmit-unsure to submit the others again.",
    );
  return lines.join("\n");
}

/** `vclm animate PHOTO... | DIR --out-dir OUT`: many photos, resumable from the journal in OUT. */
export async function batchCommand(client: VclmClient, args: Args): Promise<Output> {
  if (!args.outDir) throw new UsageError("give --out-dir for many photos: vclm animate photos/ --out-dir videos/");
  if (args.out) throw new UsageError("--out names one video; for many photos give --out-dir");
  if (args.imageUrl) throw new UsageError("--image-url takes one photo; for many photos give files or folders");
  const files = await listPhotos(args.operands);
  for (const file of files) if (!PHOTO.test(extname(file))) throw new UsageError(`${file} is not a .jpg, .jpeg or .png file`);
  await mkdir(args.outDir, { recursive: true });
  const journal = await fileJournal(join(args.outDir, JOURNAL));
  const line = progress(!args.json);
  const tty = process.stderr.isTTY;
  const started = Date.now();
  let finishedThisRun = 0;
  const followed = new Set<string>();
  let last: BatchCounts | undefined;
  const ticker = tty ? setInterval(() => last && line.update(countsLine(last, started, finishedThisRun)), 1000) : undefined;
  const stop = new AbortController();
  const interrupt = () => stop.abort(new UsageError("interrupted"));
  process.once("SIGINT", interrupt);
  try {
    const report = await animateMany(client, namesOf(files), {
      journal,
      save: saveToDirectory(args.outDir),
      TemplateId: args.template,
      resubmitUnsure: args.resubmitUnsure,
      adopt: args.adopt,
      signal: stop.signal,
      onEvent: (event) => {
        last = event.counts;
        // The time left comes from jobs this run followed to their end, not those done before it.
        if (event.JobId && (event.type === "submitted" || event.type === "waiting" || event.type === "running")) followed.add(event.JobId);
        if ((event.type === "saved" || event.type === "failed") && event.JobId && followed.has(event.JobId)) finishedThisRun++;
        line.update(tty ? countsLine(event.counts, started, finishedThisRun) : eventLine(event));
      },
    });
    return { text: summary(report, args.outDir), json: { ...report, outDir: args.outDir }, exitCode: exitCodeOf(report) };
  } catch (error) {
    if (stop.signal.aborted)
      throw new UsageError(`interrupted: what was done is in ${join(args.outDir, JOURNAL)}; run the same command again to go on`);
    throw error;
  } finally {
    process.off("SIGINT", interrupt);
    clearInterval(ticker);
    line.done();
    await journal.close();
  }
}
