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
export { type DownloadOptions, downloadVideo, saveToDirectory } from "./download.js";
export { fileJournal, JournalError } from "./file-journal.js";
