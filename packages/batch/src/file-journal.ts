import { dirname } from "node:path";
import type { Clock } from "@vclm/core";
import * as v from "valibot";
import { type Files, nodeFiles, syncFolders, writeAll } from "./files.js";
import { describeFsError } from "./fs-errors.js";
import { type Journal, JournalRecord } from "./journal.js";
import { JournalError } from "./journal-error.js";
import { lockJournal } from "./lock.js";
import type { Processes } from "./processes.js";

export { JournalError };

/**
 * How {@link fileJournal} reaches the disk.
 *
 * @example
 * ```ts
 * const options: FileJournalOptions = { files: await import("node:fs/promises") };
 * ```
 */
export interface FileJournalOptions {
  /** The file operations to use. @default node:fs/promises */
  readonly files?: Files;
  /** Who this process is, for the journal's lock. @default thisProcess */
  readonly processes?: Processes;
  /** The time, for the journal's lock (a claim is new or left by a crash by its file's time). @default systemClock */
  readonly clock?: Pick<Clock, "now">;
}

interface Contents {
  readonly records: JournalRecord[];
  /** Bytes of whole lines, each ended by its newline. */
  readonly size: number;
  /** A last line with no newline after it, if any. */
  readonly unterminated?: { readonly text: string; readonly record: JournalRecord | undefined };
}

function parse(path: string, text: string): Contents {
  const lines = text.split("\n");
  const last = lines.pop() as string;
  const records = lines.map((line, at) => {
    try {
      return v.parse(JournalRecord, JSON.parse(line));
    } catch (error) {
      throw new JournalError(
        `${path}, line ${at + 1}, is not a journal record (${(error as Error).message}): it was changed by hand, damaged (a machine that lost power can leave zeros in a file), or is not a vclm journal. Do not delete the journal: it records the jobs already paid for. Move that line out of it (or fix it), then run again`,
      );
    }
  });
  const size = Buffer.byteLength(text) - Buffer.byteLength(last);
  if (!last) return { records, size };
  let record: JournalRecord | undefined;
  try {
    record = v.parse(JournalRecord, JSON.parse(last));
  } catch {
    record = undefined;
  }
  return { records, size, unterminated: { text: last, record } };
}

async function readText(files: Files, path: string): Promise<string> {
  return files.readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
}

/**
 * Makes the file end with a whole line before anything is appended. A last line with no newline was
 * being written when its process stopped, so its append never resolved: an `intent` whose Submit
 * was therefore never sent, or a torn line, is cut; any other whole record (a JobId the service
 * answered, a saved video) is a fact, and is kept with its newline added.
 */
async function repairTail(files: Files, path: string): Promise<void> {
  const { size, unterminated } = parse(path, await readText(files, path));
  if (!unterminated) return;
  if (unterminated.record && unterminated.record.type !== "intent") {
    const file = await files.open(path, "a");
    try {
      await file.write("\n");
      await file.datasync();
    } finally {
      await file.close();
    }
  } else await files.truncate(path, size);
}

/**
 * A journal in a file (JSON lines), for Node and Deno. Every `append` is written whole and synced
 * to disk (fdatasync) before it resolves, and appends that arrive together share one sync. An append
 * that cannot be written whole (a full disk) rejects with a {@link JournalError}, and the file is cut
 * back to its last whole line: the step it was for must not be taken. One process at a time uses a
 * journal (a `.lock` folder beside it, taken over from a process that was killed). A last line cut
 * off by a crash is dropped: its step was never taken.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 * import { fileJournal, saveToDirectory } from "@vclm/batch/node";
 *
 * const client = new VclmClient({ region: "ap-singapore" });
 * const photos = ["alice.jpg", "bob.jpg"].map((name) => ({ name, photo: () => readFile(name) }));
 * const journal = await fileJournal("out/.vclm-journal.jsonl");
 * try {
 *   await animateMany(client, photos, { journal, ...(await saveToDirectory("out")) });
 * } finally {
 *   await journal.close();
 * }
 * ```
 */
export async function fileJournal(path: string, options: FileJournalOptions = {}): Promise<Journal & { close(): Promise<void> }> {
  const files = options.files ?? nodeFiles;
  const unlock = await lockJournal(path, files, options.processes, options.clock && (() => (options.clock as Pick<Clock, "now">).now()));
  let handle: Awaited<ReturnType<Files["open"]>>;
  let size: number;
  try {
    await repairTail(files, path);
    size = parse(path, await readText(files, path)).size;
    handle = await files.open(path, "a", 0o600);
    await syncFolders(files, dirname(path)); // the file's name, and its folder's, must outlive a crash too
  } catch (error) {
    await unlock();
    throw error;
  }
  /** Set when a failed write could not be cut back: appending after a torn line would glue onto it. */
  let broken: JournalError | undefined;
  let queue: { line: string; done: (error?: unknown) => void }[] = [];
  let writing = false;
  let closed = false;

  const flush = async () => {
    writing = true;
    while (queue.length) {
      const group = queue;
      queue = [];
      const bytes = Buffer.from(group.map(({ line }) => line).join(""));
      try {
        if (broken) throw broken;
        await writeAll(handle, bytes);
        await handle.datasync();
        size += bytes.length;
        for (const { done } of group) done();
      } catch (error) {
        const failure = broken ?? new JournalError(`could not write to ${path}: ${describeFsError(error)}`, { cause: error });
        if (!broken)
          try {
            await handle.truncate(size);
            await handle.datasync();
          } catch {
            broken = new JournalError(
              `could not write to ${path}: ${describeFsError(error)}, and could not cut it back to its last whole line; run the batch again once the disk has room (the torn line is dropped then)`,
              { cause: error },
            );
          }
        for (const { done } of group) done(failure);
      }
    }
    writing = false;
  };

  return {
    read: async () => {
      const { records, unterminated } = parse(path, await readText(files, path));
      return unterminated?.record && unterminated.record.type !== "intent" ? [...records, unterminated.record] : records;
    },
    append: (record) =>
      new Promise((resolve, reject) => {
        const line = `${JSON.stringify(v.parse(JournalRecord, record))}\n`;
        queue.push({ line, done: (error) => (error ? reject(error) : resolve()) });
        if (!writing) void flush();
      }),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await handle.close();
      } finally {
        await unlock();
      }
    },
  };
}
