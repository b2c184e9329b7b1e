// @vclm/batch as this runtime resolves it: six photos through an account of two concurrent jobs,
// stopped after three Submits and resumed from the same (in-memory) journal.
import { animateMany, memoryJournal } from "@vclm/batch";
import { openVideo } from "@vclm/core";
import { batchWorld, stopAndResume } from "./batch-world.js";

export default async function probe({ photosBase64 }) {
  const world = batchWorld();
  const photos = photosBase64.map((b64, i) => ({
    name: `p${i}.png`,
    photo: new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]),
  }));
  const save = async ({ url, JobId, signal }) => {
    const { body } = await openVideo(url, { fetch: world.fetch, signal });
    return { location: JobId, bytes: (await new Response(body).arrayBuffer()).byteLength };
  };
  const journal = await memoryJournal();
  return stopAndResume({ animateMany, photos, open: async () => journal, save, world });
}
