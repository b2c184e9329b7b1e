import { DEMO_ACCOUNT, type EmulatorAccount, type TemporaryCredential } from "./accounts.js";
import type { KeyLookup } from "./auth/verify.js";
import type { EmulatorClock } from "./clock.js";
import type { EmulatorInstanceRole } from "./metadata.js";

/** What is given to {@link CredentialIssuer.issue}: everything but the secrets, which it makes. */
export type CredentialFields = Omit<TemporaryCredential, "secretId" | "secretKey" | "token">;

const random = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(36).padStart(2, "0"))
    .join("")
    .slice(0, bytes * 2);

/**
 * The keys the emulator accepts: its accounts' permanent ones, and the temporary credentials it
 * issues (STS, the instance role), kept until they expire.
 */
export class CredentialIssuer {
  /** Finds the secret key of an id, permanent or temporary: what the signature check needs. */
  readonly keys: KeyLookup;
  readonly #clock: EmulatorClock;
  readonly #accounts: Map<string, { secretKey: string; accountId: string }>;
  readonly #temporary = new Map<string, TemporaryCredential>();
  readonly #onInstanceIssued: () => void;
  #instance: TemporaryCredential | undefined;

  /** `onInstanceIssued` is called when the instance role gets new credentials (worth saving). */
  constructor(accounts: readonly EmulatorAccount[] | undefined, clock: EmulatorClock, onInstanceIssued: () => void) {
    this.#clock = clock;
    this.#onInstanceIssued = onInstanceIssued;
    this.#accounts = new Map(
      (accounts ?? [DEMO_ACCOUNT]).map((account, i) => [
        account.secretId,
        { secretKey: account.secretKey, accountId: account.accountId ?? String(100_000_000_001 + i) },
      ]),
    );
    this.keys = { permanent: (id) => this.#accounts.get(id), temporary: (id) => this.#temporary.get(id) };
  }

  /** The first account's id: whose the instance role and OIDC providers are, unless they say. */
  firstAccountId(): string {
    return [...this.#accounts.values()][0]?.accountId ?? DEMO_ACCOUNT.accountId;
  }

  /** New temporary credentials (expired ones are forgotten on the way). */
  issue(fields: CredentialFields): TemporaryCredential {
    const now = this.#clock.now();
    for (const [id, credential] of this.#temporary) if (credential.expiresAt <= now) this.#temporary.delete(id);
    const credential: TemporaryCredential = { ...fields, secretId: `AKIDtmp${random(16)}`, secretKey: random(16), token: random(48) };
    this.#temporary.set(credential.secretId, credential);
    return credential;
  }

  /**
   * The instance role's credentials. They stay the same until half their life is left, then new
   * ones are issued, as the metadata service rotates them ahead of expiry.
   */
  forInstance(role: EmulatorInstanceRole): TemporaryCredential {
    const now = this.#clock.now();
    const lifetime = (role.durationSeconds ?? 7200) * 1000;
    if (this.#instance && now < this.#instance.expiresAt - lifetime / 2) return this.#instance;
    const accountId = role.accountId ?? this.firstAccountId();
    this.#instance = this.issue({ accountId, expiresAt: now + lifetime, policy: undefined, issuedBy: "instance role" });
    this.#onInstanceIssued();
    return this.#instance;
  }

  /** The temporary credentials that have not expired: what a snapshot keeps. */
  live(): TemporaryCredential[] {
    const now = this.#clock.now();
    return [...this.#temporary.values()].filter((credential) => credential.expiresAt > now);
  }

  /** Forgets every temporary credential and takes these instead (a restore). */
  replace(credentials: readonly TemporaryCredential[]): void {
    this.#temporary.clear();
    for (const credential of credentials) this.#temporary.set(credential.secretId, credential);
  }
}
