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
    await new Promise((resolve) => setTimeout(resolve, 0)); // let the cache take the refreshed answer
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

  it("near expiry, makes calls wait for fresh credentials: a request signed now must not arrive after they expired", async () => {
    const clock = { now: 0 };
    const provider = fakeProvider(clock);
    const cached = cacheCredentials(provider, { now: () => clock.now, refreshBefore: 5 * MINUTE });
    await cached();
    provider.failNext = true;
    clock.now = 56 * MINUTE; // 4 minutes left: served, refreshed behind (that refresh fails)
    expect((await cached()).secretId).toBe("id-1");
    await provider.last?.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 0));
    clock.now = 59 * MINUTE + 1; // under a minute left: valid, yet not handed out
    expect((await cached()).secretId).toBe("id-3");
  });

  it("keeps a quarter of a short lifetime as the margin (3-second credentials: 750 ms)", async () => {
    const clock = { now: 0 };
    const provider = fakeProvider(clock, 3_000);
    const cached = cacheCredentials(provider, { now: () => clock.now, refreshBefore: 2_000 });
    await cached();
    provider.failNext = true;
    clock.now = 1_600; // refreshed from 1.5 s on, behind the valid ones
    expect((await cached()).secretId).toBe("id-1");
    await provider.last?.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 0));
    clock.now = 2_249;
    expect((await cached()).secretId).toBe("id-1");
    clock.now = 2_250;
    expect((await cached()).secretId).toBe("id-3");
  });

  it("asks every time for credentials without an expiry", async () => {
    let calls = 0;
    const cached = cacheCredentials(() => ({ secretId: `id-${++calls}`, secretKey: "k" }));
    await cached();
    expect((await cached()).secretId).toBe("id-2");
  });
});

describe("cacheCredentials, defects", () => {
  it("does not keep a provider that throws synchronously: the next call asks again", async () => {
    let calls = 0;
    const cached = cacheCredentials(() => {
      if (++calls === 1) throw new Error("no credentials yet");
      return { secretId: "AKID", secretKey: "k", expiresAt: new Date(Date.now() + 3_600_000) };
    });
    await expect(cached()).rejects.toThrow("no credentials yet");
    expect((await cached()).secretId).toBe("AKID");
    expect(calls).toBe(2);
  });

  it("drops a refresh that stalls past its timeout, so the next call starts a new one", async () => {
    let calls = 0;
    const cached = cacheCredentials(
      () =>
        ++calls === 1
          ? new Promise<never>(() => {}) // never answers
          : { secretId: `id-${calls}`, secretKey: "k", expiresAt: new Date(Date.now() + 3_600_000) },
      { timeout: 50 },
    );
    await expect(cached()).rejects.toThrow(/refresh credentials: no credentials within 50 ms; nothing was sent/);
    expect((await cached()).secretId).toBe("id-2");
  });

  it("bounds refreshBefore by the credentials' lifetime: short-lived credentials are not fetched per call", async () => {
    const clock = { now: 0 };
    const provider = fakeProvider(clock, 2 * MINUTE); // lives 2 minutes, under the 5-minute refreshBefore
    const cached = cacheCredentials(provider, { now: () => clock.now });
    for (let i = 0; i < 50; i++) await cached();
    expect(provider.calls).toBe(1);
    clock.now = 61_000; // past half its life: refreshed once, behind the still-valid credentials
    await cached();
    await provider.last;
    expect(provider.calls).toBe(2);
  });
});

/** A provider whose refreshes answer only when told to; it keeps the signal each refresh was given. */
function heldProvider(now = Date.now, lifetime = 60 * MINUTE) {
  const refreshes: { signal: AbortSignal; answer: () => void }[] = [];
  const provider = ({ signal }: { signal: AbortSignal }) =>
    new Promise<ExpiringCredentials>((resolve) => {
      const id = `id-${refreshes.length + 1}`;
      refreshes.push({ signal, answer: () => resolve({ secretId: id, secretKey: "k", expiresAt: new Date(now() + lifetime) }) });
    });
  return { provider, refreshes };
}

describe("cacheCredentials, calls that stop waiting", () => {
  it("drops a refresh once every call waiting for it has given up: the next call starts a new one", async () => {
    const { provider, refreshes } = heldProvider();
    const cached = cacheCredentials(provider);
    const [a, b] = [new AbortController(), new AbortController()];
    const first = cached({ signal: a.signal });
    const second = cached({ signal: b.signal });
    await Promise.resolve();
    expect(refreshes).toHaveLength(1); // shared
    a.abort(new Error("a gave up"));
    await expect(first).rejects.toThrow("a gave up"); // at once, though the refresh goes on
    expect(refreshes[0]?.signal.aborted).toBe(false); // b still waits
    b.abort(new Error("b gave up"));
    await expect(second).rejects.toThrow("b gave up");
    expect(refreshes[0]?.signal.aborted).toBe(true); // nobody waits: dropped, its fetch aborted

    const third = cached();
    await Promise.resolve();
    expect(refreshes).toHaveLength(2); // a new refresh, not the dropped one
    refreshes[1]?.answer();
    expect((await third).secretId).toBe("id-2");
    refreshes[0]?.answer(); // the dropped refresh answering late is not kept
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect((await cached()).secretId).toBe("id-2");
  });

  it("drops it as soon as the last waiter stops, before that waiter's caller hears of it", async () => {
    const { provider, refreshes } = heldProvider();
    const cached = cacheCredentials(provider);
    const stop = new AbortController();
    const waiting = cached({ signal: stop.signal });
    await Promise.resolve();
    stop.abort();
    // Synchronously: a call made the moment the last waiter gives up starts a new refresh.
    expect(refreshes[0]?.signal.aborted).toBe(true);
    const next = cached({ signal: AbortSignal.timeout(1_000) });
    await Promise.resolve();
    expect(refreshes).toHaveLength(2);
    refreshes[1]?.answer();
    expect((await next).secretId).toBe("id-2");
    await expect(waiting).rejects.toThrow();
  });

  it("is not dropped by a waiter's signal that aborts after it was served", async () => {
    const { provider, refreshes } = heldProvider();
    const cached = cacheCredentials(provider);
    const stop = new AbortController();
    const served = cached({ signal: stop.signal });
    await Promise.resolve();
    refreshes[0]?.answer();
    expect((await served).secretId).toBe("id-1");
    stop.abort(); // as VclmClient does once a call has its credentials
    expect(refreshes[0]?.signal.aborted).toBe(false);
  });

  it("keeps the refresh for a caller that says nothing: it waits to the end", async () => {
    const { provider, refreshes } = heldProvider();
    const cached = cacheCredentials(provider);
    const patient = cached();
    const impatient = new AbortController();
    const gaveUp = cached({ signal: impatient.signal });
    impatient.abort();
    await expect(gaveUp).rejects.toThrow();
    expect(refreshes[0]?.signal.aborted).toBe(false);
    refreshes[0]?.answer();
    expect((await patient).secretId).toBe("id-1");
    expect(refreshes).toHaveLength(1);
  });

  it("starts nothing for a caller that has already given up", async () => {
    const { provider, refreshes } = heldProvider();
    const cached = cacheCredentials(provider);
    await expect(cached({ signal: AbortSignal.abort(new Error("too late")) })).rejects.toThrow("too late");
    expect(refreshes).toHaveLength(0);
  });

  it("does not drop a background refresh, which no call waits for", async () => {
    const clock = { now: 0 };
    const { provider, refreshes } = heldProvider(() => clock.now);
    const cached = cacheCredentials(provider, { now: () => clock.now });
    const first = cached({ signal: new AbortController().signal });
    await Promise.resolve();
    refreshes[0]?.answer();
    await first;
    clock.now = 56 * MINUTE; // inside the refresh window: served at once, refreshed behind
    expect((await cached({ signal: AbortSignal.timeout(10) })).secretId).toBe("id-1");
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(refreshes).toHaveLength(2);
    expect(refreshes[1]?.signal.aborted).toBe(false);
  });

  it("aborts the provider's signal when the refresh stalls past its own timeout", async () => {
    const { provider, refreshes } = heldProvider();
    const cached = cacheCredentials(provider, { timeout: 20 });
    await expect(cached()).rejects.toThrow(/refresh credentials: no credentials within 20 ms/);
    expect(refreshes[0]?.signal.aborted).toBe(true);
  });
});
