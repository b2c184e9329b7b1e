// @vclm/batch/node where files are (Node, Deno, Bun): the same stopped-and-resumed batch with its
// journal in a file and its videos saved to a folder, reopened from disk for the second run.

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { animateMany } from "@vclm/batch";
import { fileJournal, saveToDirectory } from "@vclm/batch/node";
import { batchWorld, stopAndResume } from "./batch-world.js";

export default async function probe({ photosBase64, directory }) {
  const world = batchWorld();
  const photos = photosBase64.map((b64, i) => ({ name: `p${i}.png`, photo: Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)) }));
  const path = join(directory, "journal.jsonl");
  const videos = await saveToDirectory(directory, { fetch: world.fetch });
  const result = await stopAndResume({ animateMany, photos, open: () => fileJournal(path), ...videos, world });
  const files = await readdir(directory);
  const lines = (await readFile(path, "utf8")).trim().split("\n").length;
  return { ...result, videos: files.filter((file) => file.endsWith(".mp4")).length, journalLines: lines };
}
