import { open, readFile, rm, truncate } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { VclmError } from "@vclm/core";
import * as v from "valibot";
import { type Journal, JournalRecord } from "./journal.js";

/**
 * A journal file could not be used: another live process holds its lock, or a line in the middle is
 * not a journal record (the file was edited or mixed up). Nothing was submitted.
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

/** This machine's name; empty where the runtime does not say (Deno without --allow-sys). */
const host = () => {
  try {
    return hostname();
  } catch {
    return "";
  }
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** Takes `path.lock` for this process, taking it over from a process that no longer runs (killed). */
async function lock(path: string): Promise<() => Promise<void>> {
  const lockPath = `${path}.lock`;
  for (let tries = 0; ; tries++) {
    try {
      const file = await open(lockPath, "wx", 0o600);
      await file.writeFile(`${process.pid} ${host()}\n`);
      await file.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || tries > 2) throw error;
      const [pid, owner = ""] = (await readFile(lockPath, "utf8").catch(() => "")).trim().split(" ");
      if (Number(pid) > 0 && (owner !== host() || alive(Number(pid))))
        throw new JournalError(
          `${path} is in use by process ${pid}${owner === host() ? "" : ` on ${owner}`}: one batch at a time per journal. If that process is gone, delete ${lockPath}`,
        );
      await rm(lockPath, { force: true }); // its owner is dead (a crash or a kill): take it over
    }
  }
}

/** Reads the records, dropping a last line cut off by a crash (and cutting it from the file). */
async function readRecords(path: string): Promise<JournalRecord[]> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  const lines = text.split("\n");
  const records: JournalRecord[] = [];
  for (const [at, line] of lines.entries()) {
    if (!line) continue;
    let parsed: unknown;
    try {
      parsed = v.parse(JournalRecord, JSON.parse(line));
    } catch (error) {
      if (at === lines.length - 1) {
        // No newline after it: the process stopped while writing it, so it never counted.
        await truncate(path, Buffer.byteLength(text) - Buffer.byteLength(line));
        break;
      }
      throw new JournalError(
        `${path}, line ${at + 1}, is not a journal record (${(error as Error).message}): the file was changed by hand or is not a vclm journal`,
      );
    }
    records.push(parsed as JournalRecord);
  }
  return records;
}

/**
 * A journal in a file (JSON lines), for Node and Deno: every `append` is written and synced to disk
 * (fdatasync) before it resolves, and appends that arrive together share one sync. One process at
 * a time uses a journal (a `.lock` file beside it, taken over from a process that was killed). A
 * last line cut off by a crash is dropped: its step was never done.
 *
 * @example
 * ```ts
 * import { fileJournal, saveToDirectory } from "@vclm/batch/node";
 *
 * const journal = await fileJournal("out/.vclm-journal.jsonl");
 * try {
 *   await animateMany(client, photos, { journal, save: saveToDirectory("out") });
 * } finally {
 *   await journal.close();
 * }
 * ```
 */
export async function fileJournal(path: string): Promise<Journal & { close(): Promise<void> }> {
  const unlock = await lock(path);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    await readRecords(path); // checks it, and drops a torn last line before anything is appended
    handle = await open(path, "a", 0o600);
    // The file's name must outlive a crash too: sync the directory that holds it.
    const directory = await open(dirname(path), "r").catch(() => undefined);
    await directory?.sync().catch(() => {});
    await directory?.close();
  } catch (error) {
    await unlock();
    throw error;
  }
  let queue: { line: string; done: (error?: unknown) => void }[] = [];
  let writing = false;
  const flush = async () => {
    writing = true;
    while (queue.length) {
      const group = queue;
      queue = [];
      try {
        await handle.write(group.map(({ line }) => line).join(""));
        await handle.datasync();
        for (const { done } of group) done();
      } catch (error) {
        for (const { done } of group) done(error);
      }
    }
    writing = false;
  };
  return {
    read: () => readRecords(path),
    append: (record) =>
      new Promise((resolve, reject) => {
        const line = `${JSON.stringify(v.parse(JournalRecord, record))}\n`;
        queue.push({ line, done: (error) => (error ? reject(error) : resolve()) });
        if (!writing) void flush();
      }),
    async close() {
      await handle.close();
      await unlock();
    },
  };
}
