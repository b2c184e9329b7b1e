/** What a file system error code means, for people: "the disk is full (ENOSPC)". */
const MEANINGS: Record<string, string> = {
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "the operation is not permitted",
  EIO: "an I/O error (the disk may be failing)",
  ENAMETOOLONG: "the file name is too long for this file system",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "it is a folder",
  ENOENT: "no such file or folder",
  EMFILE: "too many open files",
};

/** The error's code if it is one of a file system's (ENOSPC, EACCES...). */
export const fsCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^E[A-Z]+$/.test(code) ? code : undefined;
};

/** Errors that will not go away by trying again: the disk, not the network. */
export const isLocalFault = (error: unknown): boolean => {
  const code = fsCode(error);
  return code !== undefined && code in MEANINGS && code !== "ENOENT" && code !== "EMFILE";
};

/** An error's message, whatever was thrown. */
export const messageOf = (error: unknown): string => (error as Error)?.message ?? String(error);

/** "the disk is full (ENOSPC)", or the error's own message. */
export function describeFsError(error: unknown): string {
  const code = fsCode(error);
  const meaning = code && MEANINGS[code];
  return meaning ? `${meaning} (${code})` : messageOf(error);
}
