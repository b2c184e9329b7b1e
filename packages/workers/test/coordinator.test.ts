// The coordinator between two lines: a Queue that delivers a batch twice, and a process that died
// after storing a Submit's intent but before its answer. Its storage is a Map here (the real Durable
// Object storage, and a real restart of workerd, are in apps/worker's scale test); the service is
// the emulator, in-process.
import { observe, VclmClient } from "@vclm/core";
import { createEmulator, DEMO_ACCOUNT } from "@vclm/emulator";
import { recordingLogger, recordingTracer } from "@vclm/tools/recording";
import { describe, expect, it } from "vitest";
import { Coordinator, type DurableStorageLike, type R2BucketLike, type Submission } from "../src/index.js";

function world() {
  const emulator = createEmulator({ clock: "manual" });
  const submits: string[] = [];
  const client = new VclmClient({
    region: "ap-singapore",
    endpoint: "http://vclm.emulator.test/",
    credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
    fetch: async (input, init) => {
      const request = new Request(input, init);
      if (request.headers.get("x-tc-action") === "SubmitImageAnimateJob") submits.push(await request.clone().text());
      return emulator.fetch(request);
    },
  });
  const data = new Map<string, unknown>();
  let alarm: number | null = null;
  const storage: DurableStorageLike = {
    get: async <T>(key: string) => data.get(key) as T | undefined,
    put: async (key, value) => void data.set(key, structuredClone(value)),
    delete: async (key) => data.delete(key),
    list: async <T>({ prefix }: { prefix: string }) => new Map([...data].filter(([key]) => key.startsWith(prefix))) as Map<string, T>,
    setAlarm: async (at) => {
      alarm = at;
    },
    getAlarm: async () => alarm,
  };
  const env = { BUCKET: {} as R2BucketLike, PHOTO_LINK_SECRET: "coordinator-test-secret" };
  /** A coordinator as a fresh Durable Object instance would be: nothing in memory, the same storage. */
  const fresh = () => new Coordinator(storage, env, client);
  return { emulator, submits, data, fresh, client };
}

const submission = (id: string): Submission => ({
  id,
  owner: "alice",
  photo: `photos/${id}`,
  template: "ke3",
  origin: "https://animate.example.com",
});

describe("Coordinator", () => {
  it("takes a Queue batch delivered twice once: one entry, one Submit", async () => {
    const { submits, fresh } = world();
    const coordinator = fresh();
    await coordinator.enqueue([submission("a"), submission("b")]);
    await coordinator.enqueue([submission("a"), submission("b")]); // at-least-once delivery
    await coordinator.alarm();
    expect(submits).toHaveLength(2);
    // Redelivered again after the jobs exist, to a restarted coordinator: still nothing new.
    const restarted = fresh();
    await restarted.enqueue([submission("a")]);
    await restarted.alarm();
    expect(submits).toHaveLength(2);
    expect(await restarted.state("a", "alice")).toMatchObject({ state: "submitted", JobId: expect.stringMatching(/^\d+$/) });
  });

  it("a Submit whose answer never came (the process died after storing its intent) is 'maybe submitted' after a restart, and never sent again", async () => {
    const { submits, data, fresh, emulator } = world();
    const coordinator = fresh();
    await coordinator.enqueue([submission("c"), submission("d")]);
    // As storage looks when the process died after writing "submitting" for c and before the answer.
    data.set("job:c", { ...(data.get("job:c") as object), state: "submitting" });
    const restarted = fresh();
    await restarted.alarm();
    expect(await restarted.state("c", "alice")).toMatchObject({
      state: "maybe-submitted",
      error: expect.stringMatching(/may exist.*not sent again/),
    });
    expect(await restarted.state("d", "alice")).toMatchObject({ state: "submitted" });
    expect(submits).toHaveLength(1); // d only
    expect(emulator.jobs.size).toBe(1);
  });

  it("shows a submission to its owner only, and nothing to anyone else", async () => {
    const { fresh } = world();
    const coordinator = fresh();
    await coordinator.enqueue([submission("e")]);
    expect(await coordinator.state("e", "alice")).toMatchObject({ state: "queued" });
    expect(await coordinator.state("e", "mallory")).toBeUndefined();
    expect(await coordinator.state("nope", "alice")).toBeUndefined();
  });

  it("learns the account's limit from JobNumExceed: no visitor sees it, the rest wait their turn", async () => {
    const { fresh, emulator, submits } = world();
    const coordinator = fresh();
    await coordinator.enqueue(Array.from({ length: 12 }, (_, i) => submission(`f${i}`)));
    await coordinator.alarm();
    // The emulator's default limit is 10 jobs: the 11th Submit was refused and put back in the queue.
    expect(emulator.jobs.size).toBe(10);
    expect(submits).toHaveLength(11);
    expect(await coordinator.state("f10", "alice")).toMatchObject({ state: "queued" });
    expect((await coordinator.state("f10", "alice"))?.error).toBeUndefined();
  });

  it("with observe: an account found full is an event and an info line, a Submit whose answer was lost a warning, the limit learnt on the span", async () => {
    const { fresh, emulator, client } = world();
    const { tracer, spans } = recordingTracer();
    const { logger, lines } = recordingLogger();
    client.use(observe({ tracer, logger }));
    emulator.scenarios.loseAnswer({ count: 1, actions: ["SubmitImageAnimateJob"] });
    const coordinator = fresh();
    await coordinator.enqueue(Array.from({ length: 12 }, (_, i) => submission(`g${i}`)));
    await coordinator.alarm();
    const [alarm, ...more] = spans.filter((span) => span.name === "vclm.coordinator.alarm");
    expect(more).toEqual([]);
    // g0's answer was lost (its job exists: maybe submitted); g1..g10 made the 10 jobs the account takes; g11 found it full.
    expect(alarm?.events.map((event) => event.name)).toEqual(["maybe-submitted", ...Array(9).fill("submitted"), "full"]);
    expect(alarm?.events.at(-1)?.attributes).toEqual({ "vclm.submission": "g10", "error.type": "RequestLimitExceeded.JobNumExceed" });
    expect(alarm?.attributes).toMatchObject({
      "vclm.coordinator.admitted": 9,
      "vclm.coordinator.problems": 1,
      "vclm.coordinator.queued": 2,
      "vclm.coordinator.running": 9,
      "vclm.coordinator.limit": 9,
    });
    expect(spans.filter((span) => span.parentId === alarm?.spanId).map((span) => span.name)).toEqual(
      Array(11).fill("vclm.SubmitImageAnimateJob"),
    );
    const said = lines.filter((line) => line.event === "vclm.coordinator").map((line) => [line.level, line.id, line.code]);
    expect(said).toEqual([
      ["warn", "g0", "VclmNetworkError"],
      ["info", "g10", "RequestLimitExceeded.JobNumExceed"],
      ["debug", undefined, undefined],
    ]);
  });
});
