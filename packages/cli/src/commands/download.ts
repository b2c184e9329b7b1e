import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";

/** Saves a video URL to a file; returns the absolute path and the size. */
export async function download(url: string, out: string): Promise<{ path: string; bytes: number }> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the video could not be downloaded: HTTP ${response.status} from ${new URL(url).host}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const path = resolve(out);
  await writeFile(path, bytes);
  return { path, bytes: bytes.length };
}
