import type { PolicyStatement } from "./auth/policy.js";

/**
 * An account the emulator knows: a permanent key pair and the account it belongs to (jobs are
 * per account).
 *
 * @example
 * ```ts
 * const account: EmulatorAccount = { secretId: "AKIDtest", secretKey: "test-key", accountId: "100000000001" };
 * ```
 */
export interface EmulatorAccount {
  readonly secretId: string;
  readonly secretKey: string;
  /** @default derived from the position in the list: "100000000001", "100000000002", ... */
  readonly accountId?: string;
}

/** The account an emulator has when given none: printed by the CLI, used by demos. */
export const DEMO_ACCOUNT: Required<EmulatorAccount> = {
  secretId: "AKIDvclmEmulatorDemo0000000000000000",
  secretKey: "vclm-emulator-demo-secret-key-000000",
  accountId: "100000000001",
};

/**
 * Temporary credentials issued by the emulator's STS, with the policy they were issued under.
 *
 * @example
 * ```ts
 * const emulator = createEmulator();
 * const { temporary }: EmulatorState = emulator.snapshot();
 * ```
 */
export interface TemporaryCredential {
  readonly secretId: string;
  readonly secretKey: string;
  readonly token: string;
  readonly accountId: string;
  /** Milliseconds, emulator time. */
  readonly expiresAt: number;
  /** The statements of the policy they were issued under; undefined for none (everything the account may do). */
  readonly policy: readonly PolicyStatement[] | undefined;
  /** How they were issued: the STS action, or `"instance role"` for the metadata service's. */
  readonly issuedBy?: string | undefined;
}

/** Who is calling, once the signature checks out. */
export interface Caller {
  readonly accountId: string;
  readonly temporary: TemporaryCredential | undefined;
}
