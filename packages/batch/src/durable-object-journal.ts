import * as v from "valibot";
import { type Journal, JournalRecord } from "./journal.js";

/**
 * The part of a Durable Object's storage {@link durableObjectJournal} uses (see
 * @cloudflare/workers-types for the whole of it).
 *
 * @example
 * ```ts
 * declare const state: { storage: JournalStorage };
 * const journal = durableObjectJournal(state.storage);
 * ```
 */
export interface JournalStorage {
  put(key: string, value: unknown): Promise<void>;
  list<T>(options: { prefix: string }): Promise<Map<string, T>>;
}

/**
 * A journal in a Durable Object's storage, for a batch run by that object: one key per record,
 * in order. A Durable Object holds back its outgoing requests until its writes are durable (its
 * output gate), so the Submit that follows an `intent` leaves only once the intent is stored.
 *
 * @example
 * ```ts
 * export class Batch {
 *   constructor(private state: { storage: JournalStorage }) {}
 *   async fetch() {
 *     const report = await animateMany(client, photos, { journal: durableObjectJournal(this.state.storage), save });
 *     return Response.json(report.counts);
 *   }
 * }
 * ```
 */
export function durableObjectJournal(storage: JournalStorage, prefix = "journal:"): Journal {
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
