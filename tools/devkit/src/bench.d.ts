/** Median operations per second of each contender, measured in interleaved rounds. */
export function compare(
  contenders: { name: string; fn: () => unknown }[],
  options?: { rounds?: number; roundMs?: number; minOps?: number },
): Promise<Record<string, number>>;
/** Formats ops/s for a table. */
export function opsPerSecond(value: number): string;
