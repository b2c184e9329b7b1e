// The checks every relay store passes (memoryStore, @vclm/workers' Durable Object, @vclm/redis'
// Redis store): each check-and-update one atomic step under concurrent calls. Each test file gives
// its own `it` and `expect` (this package does not depend on vitest).

/** A relay store, as @vclm/relay's RelayStore declares it. */
interface Store {
  take(key: string, limit: number, windowMs: number, now: number): Promise<boolean>;
  giveBack(key: string, windowMs: number, takenAt: number, now: number): Promise<void>;
  count(key: string, windowMs: number, now: number): Promise<number>;
  claim(key: string, value: string, expiresAt: number, now: number): Promise<boolean>;
  get(key: string, now: number): Promise<string | undefined>;
}

interface Vitest {
  it(name: string, test: () => Promise<void>): void;
  // biome-ignore lint/suspicious/noExplicitAny: vitest's expect, as the test file passes it
  expect: any;
}

const DAY = 86_400_000;

/** Declares the checks, on a fresh store from `make` each. */
export function relayStoreChecks(make: () => Store, { it, expect }: Vitest): void {
  it("150 takes at once of an allowance of 20: exactly 20 taken, one step each", async () => {
    const store = make();
    const key = `quota-${crypto.randomUUID()}`;
    const taken = await Promise.all(Array.from({ length: 150 }, () => store.take(key, 20, DAY, 1_000)));
    expect(taken.filter(Boolean)).toHaveLength(20);
    expect(await store.count(key, DAY, 1_000)).toBe(20);
  });

  it("a unit given back can be taken again; never below none; a new window starts afresh", async () => {
    const store = make();
    const key = `back-${crypto.randomUUID()}`;
    expect(await store.take(key, 1, DAY, 1_000)).toBe(true);
    expect(await store.take(key, 1, DAY, 2_000)).toBe(false);
    await store.giveBack(key, DAY, 1_000, 3_000);
    await store.giveBack(key, DAY, 1_000, 3_000);
    expect(await store.count(key, DAY, 3_000)).toBe(0);
    expect(await store.take(key, 1, DAY, 4_000)).toBe(true);
    expect(await store.take(key, 1, DAY, DAY + 1)).toBe(true);
  });

  it("50 claims of one key at once: one is kept, until it expires", async () => {
    const store = make();
    const key = `signature-${crypto.randomUUID()}`;
    const kept = await Promise.all(Array.from({ length: 50 }, (_, i) => store.claim(key, `v${i}`, 10_000, 1_000)));
    expect(kept.filter(Boolean)).toHaveLength(1);
    expect(await store.get(key, 9_999)).toMatch(/^v\d+$/);
    expect(await store.get(key, 10_000)).toBeUndefined();
    expect(await store.claim(key, "again", 20_000, 10_000)).toBe(true);
    expect(await store.get(key, 10_001)).toBe("again");
  });
}
