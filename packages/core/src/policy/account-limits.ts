/**
 * One account's limits, as every process that spends the account sees them: the request rate of
 * each action, and its concurrent-job slots. `@vclm/batch` and `@vclm/poller` keep to an in-process
 * one by default; give them a shared one (`redisAccountLimits` from `@vclm/redis`) and a fleet of
 * processes keeps to the account's limits together. Slots are held by a name (a photo's key, a
 * JobId): a shared implementation holds each as a lease, renewed while its job runs, so a process
 * that dies gives its slots back when their leases run out.
 *
 * @example
 * ```ts
 * const limits: AccountLimits = {
 *   pace: async () => 0, // send at once
 *   acquire: async () => true,
 *   hold: async () => {},
 *   renew: async () => {},
 *   release: async () => {},
 *   refused: async () => 10,
 * };
 * ```
 */
export interface AccountLimits {
  /** Takes a turn of `action`'s request rate: resolves to how many ms to wait before sending. */
  pace(action: string): Promise<number>;
  /** Takes a concurrent-job slot for `holder` if one is free: false when the account is full. */
  acquire(holder: string): Promise<boolean>;
  /** Holds a slot for `holder` whether or not one is free: its job exists (a job picked up). */
  hold(holder: string): Promise<void>;
  /** These holders' jobs still run: their slots are kept (a shared implementation renews their leases). */
  renew(holders: readonly string[]): Promise<void>;
  /** Gives `holder`'s slot back: its job ended, or its Submit made none. */
  release(holder: string): Promise<void>;
  /**
   * The account refused `holder`'s Submit as full (JobNumExceed): the slots held by the others are
   * the limit (at least one). Resolves to the limit now.
   */
  refused(holder: string): Promise<number>;
  /** How often `renew` must be called for a slot to be kept (a lease's third). Undefined: never. */
  readonly renewEveryMs?: number | undefined;
}
