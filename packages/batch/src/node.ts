/**
 * The Node and Deno parts of `@vclm/batch`: a journal in a file, and videos saved to files.
 *
 * @example
 * ```ts
 * import { downloadVideo, fileJournal, saveToDirectory } from "@vclm/batch/node";
 * ```
 *
 * @packageDocumentation
 */
export { type DownloadOptions, downloadVideo } from "./download.js";
export { type FileJournalOptions, fileJournal, JournalError } from "./file-journal.js";
export type { Files } from "./files.js";
export { VideoSaveError } from "./part-download.js";
export { type Processes, thisProcess } from "./processes.js";
export { type SaveToDirectoryOptions, saveToDirectory, type VideoDirectory } from "./save-to-directory.js";
