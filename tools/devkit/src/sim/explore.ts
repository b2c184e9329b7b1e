// How the explorers run many seeds: CI runs a fixed number, a command runs as many as asked
// (VCLM_SIM_SEEDS=100000), and one failing seed replays alone (VCLM_SIM_SEED=1234). A failure
// is thrown again with the command that replays it.

/** The seeds to run: `VCLM_SIM_SEED` alone, else `VCLM_SIM_SEEDS` of them (a wider run), else `count`, from `first`. */
export function seeds(count: number, first = 1): number[] {
  const one = process.env.VCLM_SIM_SEED;
  if (one) return [Number(one)];
  const wanted = Number(process.env.VCLM_SIM_SEEDS || count);
  return Array.from({ length: wanted }, (_, i) => first + i);
}

/** A failure of one seed, with the command that replays it. */
export class SeedFailure extends Error {
  override name = "SeedFailure";
}

/**
 * Runs `check` for each seed in turn. The first that throws stops the run: it is thrown again as a
 * {@link SeedFailure} whose message starts with `replay(seed)`, the command that replays it.
 */
export async function explore(
  seedList: readonly number[],
  check: (seed: number) => Promise<void>,
  replay: (seed: number) => string,
): Promise<{ runs: number; ms: number }> {
  const started = performance.now();
  for (const seed of seedList) {
    try {
      await check(seed);
    } catch (error) {
      throw new SeedFailure(`seed ${seed} failed; replay it with:\n  ${replay(seed)}\n${(error as Error).stack ?? error}`, {
        cause: error,
      });
    }
  }
  return { runs: seedList.length, ms: Math.round(performance.now() - started) };
}
