import { describe, expect, it } from "vitest";
import { cacheCredentials, type ExpiringCredentials } from "./cache.js";

const MINUTE = 60_000;

/** A provider on a fake clock that counts its calls, answers after a tick, and can be told to fail. */
function fakeProvider(clock: { now: number }, lifetime = 60 * MINUTE) {
  const provider = async (): Promise<ExpiringCredentials> => {
    provider.calls++;
    const call = answer();
    provider.last = call;
    return call;
  };
  const answer = async (): Promise<ExpiringCredentials> => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (provider.failNext) {
      provider.failNext = false;
      throw new Error("credentials endpoint down");
    }
    return { secretId: `id-${provider.calls}`, secretKey: "k", token: "t", expiresAt: new Date(clock.now + lifetime) };
  };
  provider.calls = 0;
  provider.failNext = false;
  provider.last = undefined as Promise<ExpiringCredentials> | undefined;
  return provider;
}

describe("cacheCredentials", () => {
  it("keeps credentials until shortly before they expire", async () => {
    const clock = { now: 0 };
    const provider = fakeProvider(clock);
    const cached = cacheCredentials(provider, { now: () => clock.now });
    expect((await cached()).secretId).toBe("id-1");
    clock.now = 54 * MINUTE;
    expect((await cached()).secretId).toBe("id-1");
    expect(provider.calls).toBe(1);
  });

  it("refreshes once however many calls wait at the same moment", async () => {
    const clock = { now: 0 };
    const provider = fakeProvider(clock);
    const cached = cacheCredentials(provider, { now: () => clock.now });
    const all = await Promise.all(Array.from({ length: 50 }, () => cached()));
    expect(new Set(all.map((c) => c.secretId))).toEqual(new Set(["id-1"]));
    expect(provider.calls).toBe(1);
  });

  it("inside the refresh window, serves the valid credentials and refreshes behind them", async () => {
    const clock = { now: 0 };
    const provider = fakeProvider(clock);
    const cached = cacheCredentials(provider, { now: () => clock.now, refreshBefore: 5 * MINUTE });
    await cached();
    clock.now = 56 * MINUTE; // 4 minutes left
    expect((await cached()).secretId).toBe("id-1"); // not kept waiting
    expect(provider.calls).toBe(2); // the refresh behind it has started
    await provider.last;
    await Promise.resolve(); // let the cache take the refreshed answer
    expect((await cached()).secretId).toBe("id-2");
    expect(provider.calls).toBe(2);
  });

  it("does not keep a failed refresh: the next call tries again", async () => {
    const clock = { now: 0 };
    const provider = fakeProvider(clock);
    const cached = cacheCredentials(provider, { now: () => clock.now });
    provider.failNext = true;
    await expect(cached()).rejects.toThrow("credentials endpoint down");
    expect((await cached()).secretId).toBe("id-2");
  });

  it("once expired, makes calls wait for fresh credentials instead of using stale ones", async () => {
    const clock = { now: 0 };
    const provider = fakeProvider(clock);
    const cached = cacheCredentials(provider, { now: () => clock.now });
    await cached();
    clock.now = 61 * MINUTE;
    provider.failNext = true;
    await expect(cached()).rejects.toThrow("credentials endpoint down");
    expect((await cached()).secretId).toBe("id-3");
  });

  it("asks every time for credentials without an expiry", async () => {
    let calls = 0;
    const cached = cacheCredentials(() => ({ secretId: `id-${++calls}`, secretKey: "k" }));
    await cached();
    expect((await cached()).secretId).toBe("id-2");
  });
});
