/**
 * The signer was given something it cannot sign correctly. Thrown before anything is hashed, so a
 * bad input never becomes a wrong signature. The message names the input and never contains a
 * secret.
 *
 * @example
 * ```ts
 * try {
 *   await sign({ host: "vclm.intl.tencentcloudapi.com" }, { credentials: { secretId: "", secretKey: "..." } });
 * } catch (error) {
 *   if (error instanceof SignerError) console.error(error.field, error.message); // "credentials.secretId"
 * }
 * ```
 */
export class SignerError extends TypeError {
  /** The input at fault, as a path: `credentials.secretId`, `headers["x-tc-action"]`, `timestamp`... */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field} ${problem}`);
    this.name = "SignerError";
    this.field = field;
  }
}
