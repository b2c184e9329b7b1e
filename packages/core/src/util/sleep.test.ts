import { describe, expect, it, vi } from "vitest";
import { sleep } from "./sleep.js";

describe("sleep", () => {
  it("waits, then resolves", async () => {
    vi.useFakeTimers();
    let done = false;
    const waiting = sleep(1_000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(done).toBe(true);
    vi.useRealTimers();
  });

  it("rejects at once with the reason when aborted, already or later, leaving no timer", async () => {
    vi.useFakeTimers();
    await expect(sleep(10, AbortSignal.abort(new Error("stop")))).rejects.toThrow("stop");
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error("later"));
    await expect(waiting).rejects.toThrow("later");
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();
  });
});
