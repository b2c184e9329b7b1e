// The relay's store over a network: the real RelayStoreObject, reached through the real
// durableObjectStore, each call an operation of the relay process that sends it (simFetch: refused,
// cut before it arrived, processed with its answer lost, or answered). The object runs each call
// alone, as its input gate does, on storage that outlives every relay. It keeps nothing but that
// storage, so its own crash is one of those faults: a call not processed, or processed and unanswered.
import type { RelayStore } from "@vclm/relay";
import { type NetworkFaults, type SimProcess, simFetch } from "@vclm/tools/sim";
import { durableObjectStore, type RelayStoreObject } from "../../../src/index.js";
import type { Notes } from "./service.js";

/** Each call the object processes, logged with its answer. */
export function loggedObject(object: RelayStoreObject, notes: Notes): (request: Request) => Promise<Response> {
  return async (request) => {
    const { op, key } = (await request.clone().json()) as { op: string; key: string };
    const answer = await object.fetch(request);
    notes.log.push(`store: ${op} ${key}: ${JSON.stringify(((await answer.clone().json()) as { result: unknown }).result)}`);
    return answer;
  };
}

/** The store as `process` reaches it; a call with no answer is logged from the relay's side. */
export function storeLink(
  process: SimProcess,
  object: (request: Request) => Promise<Response>,
  faults: () => NetworkFaults,
  notes: Notes,
): RelayStore {
  const send = simFetch(process, object, faults);
  return durableObjectStore({
    idFromName: (name) => name,
    get: () => ({
      fetch: async (_, init) => {
        const { op, key } = JSON.parse(String(init?.body)) as { op: string; key: string };
        return send(`https://relay-store/${op}`, init).catch((error: Error) => {
          notes.log.push(`relay ${process.pid}: ${op} ${key}: no answer (${(error.cause as Error).message})`);
          throw error;
        });
      },
    }),
  });
}
