/**
 * Wraps `load` so that its first success is kept and answered to every later call, while a failure
 * is not: the next call loads again. Calls that arrive while a load is under way share it.
 */
export function keepFirstSuccess<T>(load: () => Promise<T>): () => Promise<T> {
  let kept: Promise<T> | undefined;
  return () => {
    kept ??= load().catch((error: unknown) => {
      kept = undefined;
      throw error;
    });
    return kept;
  };
}
