import { describe, expect, it } from "vitest";
import { keyCache } from "./key-cache.js";

describe("keyCache", () => {
  it("derives a key once per secret key and scope", () => {
    const cache = keyCache<string>(4);
    let derived = 0;
    const derive = () => `key${++derived}`;
    expect(cache("a", "2024-01-01/vclm", derive)).toBe("key1");
    expect(cache("a", "2024-01-01/vclm", derive)).toBe("key1");
    expect(cache("b", "2024-01-01/vclm", derive)).toBe("key2");
    expect(derived).toBe(2);
  });

  it("derives afresh when the day or the service changes", () => {
    const cache = keyCache<string>(4);
    let derived = 0;
    const derive = () => `key${++derived}`;
    cache("a", "2024-01-01/vclm", derive);
    expect(cache("a", "2024-01-02/vclm", derive)).toBe("key2");
    expect(cache("a", "2024-01-02/sts", derive)).toBe("key3");
  });

  it("never holds more than its limit of secret keys, deriving afresh once full", () => {
    const cache = keyCache<number>(3);
    let derived = 0;
    for (let round = 0; round < 2; round++) for (const id of ["a", "b", "c", "d"]) cache(id, "s", () => ++derived);
    // a, b, c fill it; d starts afresh; a, b fill it; c starts afresh; d fits: 8 derivations.
    expect(derived).toBe(8);
  });
});
