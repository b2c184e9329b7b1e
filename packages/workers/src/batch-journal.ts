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
 * export class Batch {
 *   constructor(private state: { storage: DurableStorageLike }) {}
 *   async fetch() {
 *     const report = await animateMany(client, photos, { journal: await durableObjectJournal(this.state.storage), save });
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
