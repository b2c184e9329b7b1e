// The parts of the photo clean-up that workerd does not make happen on its own, in Node with
// stand-ins for R2, a Durable Object's storage and the Queue: an R2 delete that fails (noted, tried
// again, never thrown at the coordinator), and a submission the Queue would not take.
import { readFileSync } from "node:fs";
import { RelayStoreObject } from "@vclm/workers";
import { describe, expect, it } from "vitest";
import { signToken } from "../src/token.js";
import { deletingUnusedPhotos, sweepUnusedPhotos } from "../src/unused-photos.js";
import worker from "../src/worker.js";

/** A Durable Object's storage, in memory. */
function memoryStorage() {
  const data = new Map<string, unknown>();
  let alarm: number | null = null;
  return {
    data,
    get: async <T>(key: string) => data.get(key) as T | undefined,
    put: async (key: string, value: unknown) => void data.set(key, structuredClone(value)),
    delete: async (key: string) => data.delete(key),
    list: async <T>(options: { prefix?: string; limit?: number } = {}) =>
      new Map([...data].filter(([key]) => key.startsWith(options.prefix ?? ""))) as Map<string, T>,
    getAlarm: async () => alarm,
    setAlarm: async (at: number) => {
      alarm = at;
    },
  };
}

/** An R2 bucket in memory, whose deletes fail while `failing` is set. */
function memoryBucket() {
  const objects = new Map<string, Uint8Array>();
  const bucket = {
    objects,
    failing: false,
    async put(key: string, value: ReadableStream | Uint8Array) {
      objects.set(key, value instanceof Uint8Array ? value : new Uint8Array(await new Response(value).arrayBuffer()));
    },
    get: async () => null,
    head: async (key: string) => (objects.has(key) ? { size: objects.get(key)?.byteLength ?? 0 } : null),
    async delete(key: string) {
      if (bucket.failing) throw new Error("R2 is unavailable");
      objects.delete(key);
    },
  };
  return bucket;
}

const entry = (state: string) => ({ id: "job-1", owner: "alice", photo: "photos/p1", template: "ke3", origin: "https://w", state, seq: 0 });

describe("deletingUnusedPhotos: the coordinator's storage", () => {
  it("deletes the photo before a refused or maybe-submitted state is stored, and leaves it for any other state", async () => {
    const storage = memoryStorage();
    const bucket = memoryBucket();
    const seen: string[] = [];
    const watched = deletingUnusedPhotos(
      {
        ...storage,
        put: async (key) => void seen.push(`${key} stored, photo ${bucket.objects.has("photos/p1") ? "kept" : "gone"}`),
      },
      bucket,
    );
    for (const state of ["queued", "submitting", "submitted"]) {
      bucket.objects.set("photos/p1", new Uint8Array(1));
      await watched.put("job:job-1", entry(state));
    }
    for (const state of ["refused", "maybe-submitted"]) {
      bucket.objects.set("photos/p1", new Uint8Array(1));
      await watched.put("job:job-1", entry(state));
    }
    expect(seen).toEqual([
      "job:job-1 stored, photo kept",
      "job:job-1 stored, photo kept",
      "job:job-1 stored, photo kept",
      "job:job-1 stored, photo gone",
      "job:job-1 stored, photo gone",
    ]);
  });

  it("notes a delete R2 refused instead of throwing, stores the state, and deletes the photo on a later sweep, with an alarm to come back", async () => {
    const storage = memoryStorage();
    const bucket = memoryBucket();
    bucket.objects.set("photos/p1", new Uint8Array(1));
    bucket.failing = true;
    await deletingUnusedPhotos(storage, bucket).put("job:job-1", entry("maybe-submitted"));
    expect((storage.data.get("job:job-1") as { state: string }).state).toBe("maybe-submitted");
    expect(storage.data.get("unused-photo:job-1")).toBe("photos/p1");
    await sweepUnusedPhotos(storage, bucket); // R2 still refuses: tried again within a minute
    expect(await storage.getAlarm()).toBeGreaterThan(Date.now());
    expect(await storage.getAlarm()).toBeLessThanOrEqual(Date.now() + 60_000);
    bucket.failing = false;
    await sweepUnusedPhotos(storage, bucket);
    expect(bucket.objects.has("photos/p1")).toBe(false);
    expect(storage.data.has("unused-photo:job-1")).toBe(false);
  });
});

describe("POST /jobs when the Queue does not take the submission", () => {
  it("answers 503, deletes the stored photo and gives the quota's unit back", async () => {
    // R2's stream of known length, as workerd has it.
    (globalThis as { FixedLengthStream?: unknown }).FixedLengthStream ??= class extends TransformStream {
      constructor(_length: number) {
        super();
      }
    };
    const relayStore = new RelayStoreObject({ storage: memoryStorage() });
    const RELAY_STORE = {
      idFromName: (name: string) => name,
      get: () => ({ fetch: (input: string, init?: RequestInit) => relayStore.fetch(new Request(input, init)) }),
    };
    const bucket = memoryBucket();
    const env = {
      AUTH_SECRET: "unit-test-auth-secret-000000000000000000",
      PHOTO_LINK_SECRET: "unit-test-photo-link-secret-0000000000",
      TENCENTCLOUD_SECRET_ID: "",
      TENCENTCLOUD_SECRET_KEY: "",
      SUBMITS_PER_DAY: "1",
      RELAY_STORE,
      BUCKET: bucket,
      COORDINATOR: { idFromName: () => "", get: () => ({ fetch: async () => new Response(null, { status: 500 }) }) },
      SUBMISSIONS: {
        send: async () => {
          throw new Error("the Queue is unavailable");
        },
      },
    };
    const photo = readFileSync(new URL("../../../samples/dancer.jpg", import.meta.url));
    const post = async () =>
      worker.fetch(
        new Request("https://w/jobs", {
          method: "POST",
          body: photo,
          headers: {
            Authorization: `Bearer ${await signToken("alice", Date.now() + 60_000, env.AUTH_SECRET)}`,
            "Content-Length": String(photo.length),
          },
        }),
        env,
      );
    const answer = await post();
    expect(answer.status).toBe(503);
    expect([...bucket.objects.keys()]).toEqual([]);
    // The unit came back: with a quota of 1, the next try is taken (and refused by the Queue again, not by the quota).
    expect((await post()).status).toBe(503);
  });
});
