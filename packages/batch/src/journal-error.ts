import { VclmError } from "@vclm/core";

/**
 * A journal file could not be used: another live process holds its lock, a line in the middle is
 * not a journal record (the file was edited or mixed up), or a record could not be written (a full
 * disk). The step that record was for was not taken: nothing was submitted for it.
 *
 * @example
 * ```ts
 * const journal = await fileJournal("out/.vclm-journal.jsonl").catch((error) => {
 *   if (error instanceof JournalError) console.error(error.message);
 *   throw error;
 * });
 * ```
 */
export class JournalError extends VclmError {}
