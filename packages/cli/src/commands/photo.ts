import { readFile } from "node:fs/promises";
import { checkPhoto } from "@vclm/core";
import { UsageError } from "../usage.js";

/** Reads and checks a photo file; returns its bytes (submitted as `photo`: no base64 string is made) and header. */
export async function readPhoto(path: string | undefined): Promise<{ photo: Uint8Array; width: number; height: number }> {
  if (!path) throw new UsageError("give the photo: vclm animate <photo.jpg>");
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(error.code === "ENOENT" ? `no such file: ${path}` : `cannot read ${path}: ${error.message}`);
  });
  const photo = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { width, height } = await checkPhoto(photo);
  return { photo, width, height };
}
