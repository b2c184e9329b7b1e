// A batch's journal kept by the Durable Object that runs the batch, in the object's own storage.

import { type Journal, JournalRecord } from "@vclm/batch";
import * as v from "valibot";
import type { DurableStorageLike } from "./workers-types.js";

/**
 * A journal in a Durable Object's storage, for a batch run by that object: one key per record,
 * in order. A Durable Object holds back its outgoing requests until its writes are durable (its
 * output gate), so the Submit that follows an `intent` leaves only once the intent is stored.
 *
 * @example
 * ```ts
 * interface Env {
 *   BUCKET: R2BucketLike;
 *   TENCENTCLOUD_SECRET_ID: string;
 *   TENCENTCLOUD_SECRET_KEY: string;
 * }
 *
 * // A Durable Object: workerd makes it with its state and the Worker's env.
 * export class Batch {
 *   constructor(
 *     private state: { storage: DurableStorageLike },
 *     private env: Env,
 *   ) {}
 *   async fetch(request: Request) {
 *     const client = new VclmClient({ region: "ap-singapore", credentials: fromEnv(this.env) });
 *     const photos = [...(await request.formData()).entries()].map(([name, photo]) => ({ name, photo: photo as File }));
 *     const report = await animateMany(client, photos, {
 *       journal: await durableObjectJournal(this.state.storage),
 *       save: async ({ JobId, url }) => {
 *         const location = `videos/${JobId}.mp4`;
 *         await this.env.BUCKET.put(location, (await openVideo(url)).body);
 *         const saved = await this.env.BUCKET.head(location);
 *         if (!saved) throw new Error(`${location} is not in R2`);
 *         return { location, bytes: saved.size };
 *       },
 *     });
 *     return Response.json(report.counts);
 *   }
 * }
 * ```
 */
export async function durableObjectJournal(storage: DurableStorageLike, prefix = "journal:"): Promise<Journal> {
  let next: Promise<number> | undefined;
  const read = async () => [...(await storage.list<JournalRecord>({ prefix })).values()];
  return {
    read,
    async append(record) {
      const checked = v.parse(JournalRecord, record);
      // Numbered in call order (taken before any await), so records keep their order.
      next = (next ?? read().then((records) => records.length)).then((n) => n + 1);
      const seq = (await next) - 1;
      await storage.put(`${prefix}${String(seq).padStart(12, "0")}`, checked);
    },
  };
}
