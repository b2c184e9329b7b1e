import { readFile } from "node:fs/promises";
import { checkPhoto, photoToBase64 } from "@vclm/core";
import { UsageError } from "../usage.js";

/** Reads and checks a photo file; returns its base64 and header. */
export async function readPhoto(path: string | undefined): Promise<{ ImageBase64: string; width: number; height: number }> {
  if (!path) throw new UsageError("give the photo: vclm animate <photo.jpg>");
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(error.code === "ENOENT" ? `no such file: ${path}` : `cannot read ${path}: ${error.message}`);
  });
  const { width, height } = await checkPhoto(bytes);
  return { ImageBase64: await photoToBase64(bytes, { check: false }), width, height };
}
