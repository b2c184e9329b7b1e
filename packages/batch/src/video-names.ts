import { createHash } from "node:crypto";

/** The longest file names file systems take, in bytes: most (ext4, XFS, APFS, NTFS), then eCryptfs, then a margin. */
export const NAME_LIMITS = [255, 143, 100] as const;

const bytes = (text: string) => Buffer.byteLength(text);

/** `text` cut to at most `max` UTF-8 bytes, never inside a character. */
function cut(text: string, max: number): string {
  let out = "";
  for (const char of text) {
    if (bytes(out + char) > max) break;
    out += char;
  }
  return out;
}

/**
 * The file name of a photo's video: `NAME-TEMPLATE.mp4` (the photo's name without its extension,
 * folders and characters no file system takes turned into `_`), then `NAME-TEMPLATE-2.mp4`... for
 * the `n`th choice. A name longer than `max` bytes keeps its start and ends in `~` and a digest of
 * the whole name, so two long names that start alike still differ.
 */
export function videoFileName(photoName: string, TemplateId: string, n: number, max: number = NAME_LIMITS[0]): string {
  const stem =
    photoName
      .replace(/\.[^./\\]*$/, "")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
      .replace(/[/\\:<>"|?*\u0000-\u001f]+/g, "_") || "video";
  const tail = `-${TemplateId}${n > 1 ? `-${n}` : ""}.mp4`;
  if (bytes(stem + tail) <= max) return stem + tail;
  const digest = `~${createHash("sha256").update(photoName).digest("hex").slice(0, 8)}`;
  return cut(stem, max - bytes(digest + tail)) + digest + tail;
}
