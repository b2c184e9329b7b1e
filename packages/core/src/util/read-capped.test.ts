import { describe, expect, it } from "vitest";
import { readCapped } from "./read-capped.js";

/** A stream of `chunks` chunks of `size` bytes, counting how many were pulled. */
function counted(chunks: number, size: number) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled === chunks) return controller.close();
        controller.enqueue(new Uint8Array(size).fill(state.pulled++ % 256));
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

describe("readCapped", () => {
  it("joins a body within the cap, byte for byte", async () => {
    const { stream } = counted(3, 4);
    expect([...((await readCapped(stream, 12)) ?? [])]).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(await readCapped(null, 0)).toEqual(new Uint8Array(0));
  });

  it("stops at the first chunk past the cap and cancels the stream", async () => {
    const { stream, state } = counted(10_000, 1024);
    expect(await readCapped(stream, 4096)).toBeUndefined();
    expect(state.pulled).toBe(5);
    expect(state.cancelled).toBe(true);
  });
});
