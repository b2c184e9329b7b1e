// A Worker whose Durable Object runs a batch with its journal in the object's storage (workerd,
// through miniflare). POST /run?stop=3 runs it and stops it after three Submits; POST /run runs it
// again from what the storage kept. The emulator lives in the isolate, as the account would.
import { animateMany } from "@vclm/batch";
import { openVideo } from "@vclm/core";
import { durableObjectJournal } from "@vclm/workers";
import { batchWorld } from "./batch-world.js";

let world;

export class BatchObject {
  constructor(state) {
    this.storage = state.storage;
  }

  async fetch(request) {
    world ??= batchWorld();
    const { photosBase64 } = await request.json();
    const photos = photosBase64.map((b64, i) => ({ name: `p${i}.png`, photo: Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)) }));
    const stopAfter = Number(new URL(request.url).searchParams.get("stop") ?? 0);
    const stop = new AbortController();
    let submitted = 0;
    const report = await animateMany(world.client, photos, {
      journal: await durableObjectJournal(this.storage),
      save: async ({ url, JobId }) => {
        const { body } = await openVideo(url, { fetch: world.fetch });
        return { location: `r2://videos/${JobId}.mp4`, bytes: (await new Response(body).arrayBuffer()).byteLength };
      },
      clock: world.clock,
      signal: stop.signal,
      onEvent: (event) => event.type === "submitted" && ++submitted === stopAfter && stop.abort(new Error("stopped")),
    }).catch((error) => ({ stopped: error.cause?.message ?? error.message })); // a BatchInterruptedError: its cause is the signal's reason
    const records = (await this.storage.list({ prefix: "journal:" })).size;
    return Response.json({
      ...("stopped" in report ? report : { saved: report.counts.saved, submitted: report.submitted }),
      records,
      ...world.counts(),
    });
  }
}

export default {
  fetch: (request, env) => env.BATCH.get(env.BATCH.idFromName("campaign")).fetch(request),
};
