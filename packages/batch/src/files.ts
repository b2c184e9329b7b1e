import * as nodeFs from "node:fs/promises";
import { dirname, resolve } from "node:path";

/**
 * The file operations the batch's Node parts use, as `node:fs/promises` has them. Tests pass one
 * that fails the way disks do (a short write, ENOSPC, a crash that keeps only what was synced);
 * everyone else gets `node:fs/promises` itself.
 *
 * @example
 * ```ts
 * import * as fs from "node:fs/promises";
 *
 * const files: Files = fs;
 * ```
 */
export type Files = Pick<
  typeof nodeFs,
  "open" | "readFile" | "writeFile" | "link" | "rename" | "unlink" | "stat" | "readdir" | "mkdir" | "rmdir" | "truncate"
>;

/** `node:fs/promises`: the files of this machine. */
export const nodeFiles: Files = nodeFs;

/** Syncs a directory, so a file's new name (a create, a link, a rename) outlives a crash too. */
export async function syncDirectory(files: Files, path: string): Promise<void> {
  const directory = await files.open(path, "r").catch(() => undefined);
  await directory?.sync().catch(() => {}); // some file systems cannot sync a directory
  await directory?.close();
}

/**
 * Syncs a folder and every folder above it, so the folder itself outlives a crash: a folder just
 * made (`--out-dir new/`) is a name in its parent like any file, and a power loss before its
 * parent is synced takes it, and all in it, away. Once per run: a few fsyncs.
 */
export async function syncFolders(files: Files, path: string): Promise<void> {
  for (let folder = resolve(path); ; folder = dirname(folder)) {
    await syncDirectory(files, folder);
    if (dirname(folder) === folder) return;
  }
}

/**
 * Writes all of `bytes` (at `position`, or at the end of a file opened to append), however many
 * writes the disk takes: a write can take fewer bytes than asked (a disk filling up), and Node
 * does not try again for the rest.
 */
export async function writeAll(file: Awaited<ReturnType<Files["open"]>>, bytes: Uint8Array, position?: number): Promise<void> {
  for (let written = 0; written < bytes.byteLength; ) {
    const at = position === undefined ? null : position + written;
    const { bytesWritten } = await file.write(bytes, written, bytes.byteLength - written, at);
    if (bytesWritten <= 0) throw Object.assign(new Error("the disk took no bytes"), { code: "EIO" });
    written += bytesWritten;
  }
}

/** Removes a file if it is there: one unlink, where `rm({ force: true })` looks first (an lstat more). */
export async function removeFile(files: Files, path: string): Promise<void> {
  await files.unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
}
