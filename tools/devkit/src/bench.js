// Runtime-neutral micro-benchmarking: contenders run in interleaved rounds (each round visits
// every contender, in a rotating order) so that noise from the machine falls on all of them alike,
// and each contender's figure is the median of its rounds. Uses only performance.now().

/**
 * @param {{ name: string, fn: () => unknown }[]} contenders  fn may return a promise; it is awaited.
 * @param {{ rounds?: number, roundMs?: number, minOps?: number }} [options]
 * @returns {Promise<Record<string, number>>} median operations per second, by contender name
 */
export async function compare(contenders, { rounds = 7, roundMs = 200, minOps = 3 } = {}) {
  const samples = Object.fromEntries(contenders.map(({ name }) => [name, []]));
  for (const { fn } of contenders) await runFor(fn, Math.min(roundMs, 100), 1); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const { name, fn } = contenders[(round + i) % contenders.length];
      samples[name].push(await runFor(fn, roundMs, minOps));
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

async function runFor(fn, ms, minOps) {
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    const result = fn();
    if (result && typeof result.then === "function") await result;
    ops++;
    elapsed = performance.now() - start;
  } while (elapsed < ms || ops < minOps);
  return (ops * 1000) / elapsed;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Formats ops/s for a table: 12,345 or 12.3. */
export const opsPerSecond = (value) => (value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1));
