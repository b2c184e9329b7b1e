import type { BatchReport, PhotoOutcome } from "@vclm/batch";
import { formatBytes } from "./download.js";

function photoLine(photo: PhotoOutcome): string {
  const job = photo.JobId ? ` (job ${photo.JobId})` : "";
  const same = photo.sameAs ? `, the same photo as ${photo.sameAs}` : "";
  const note = photo.message ? `: ${photo.message}` : "";
  if (photo.outcome === "saved") return `  ${photo.name}: ${photo.location}${job}${same}${note}`;
  return `  ${photo.name}: ${photo.outcome}${job}${same}${note}`;
}

/**
 * The report a batch prints on stdout: what became of the photos, then each photo and the file
 * that holds its video (or why none does), then what to do next.
 */
export function summary(report: BatchReport, outDir: string, heading?: string): string {
  const { counts, photos } = report;
  const distinct = photos.filter((photo) => !photo.sameAs).length;
  const same = photos.length - distinct;
  const parts = [
    `${counts.saved} ${counts.saved === 1 ? "video" : "videos"} saved in ${outDir}`,
    counts.failed && `${counts.failed} failed`,
    counts.refused && `${counts.refused} refused`,
    counts.lost && `${counts.lost} lost`,
    counts.error && `${counts.error} unfinished`,
    counts["maybe-submitted"] && `${counts["maybe-submitted"]} may have been submitted`,
  ].filter(Boolean);
  const lines = [
    ...(heading ? [heading] : []),
    `${photos.length} photos${same ? ` (${distinct} distinct: ${same} with the same bytes as another share its video)` : ""}: ${parts.join(", ")}.`,
    ...photos.map(photoLine),
  ];
  const bytes = photos.reduce((sum, photo) => sum + (photo.sameAs ? 0 : (photo.bytes ?? 0)), 0);
  if (counts.saved) lines.push(`Videos: ${formatBytes(bytes)} in all.`);
  if (report.stopped) lines.push(`Submitting stopped early: ${report.stopped}.`);
  if (counts.error) lines.push("Run the same command again to finish the unfinished ones: jobs already submitted are not submitted again.");
  if (counts["maybe-submitted"] || photos.some((photo) => photo.unrecorded))
    lines.push(
      "Check the account for jobs of the photos that may have been submitted. Run the same command again with --adopt NAME=JOBID for each that has a job (its video is saved), and --resubmit-unsure to submit the others again.",
    );
  return lines.join("\n");
}
