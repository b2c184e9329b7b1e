/**
 * Animating many photos: a resumable batch that submits each photo once, keeps to the account's
 * limits, waits for every job under one request rate, saves each video as it finishes, and records
 * every step in a journal first, so a crash never pays twice and never loses a paid video.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 * import { openVideo, VclmClient } from "@vclm/core";
 * import { animateMany, memoryJournal } from "@vclm/batch";
 *
 * const client = new VclmClient({ region: "ap-singapore" });
 * const report = await animateMany(client, [{ name: "alice.jpg", photo: await readFile("alice.jpg") }], {
 *   journal: await memoryJournal(),
 *   save: async ({ url, JobId }) => {
 *     const { body } = await openVideo(url);
 *     return { location: JobId, bytes: (await new Response(body).arrayBuffer()).byteLength };
 *   },
 * });
 * ```
 *
 * @packageDocumentation
 */
export { animateMany } from "./animate-many.js";

export { type Journal, JournalRecord, memoryJournal, type SharedJournal, type SharedPhoto } from "./journal.js";
export {
  type AnimateManyOptions,
  type BatchCounts,
  type BatchEvent,
  BatchInterruptedError,
  type BatchPhoto,
  type BatchReport,
  type Outcome,
  type PhotoOutcome,
  type SavedVideo,
  type VideoToSave,
} from "./types.js";
