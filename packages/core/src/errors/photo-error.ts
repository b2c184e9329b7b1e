import type { ServiceErrorCode } from "./codes.js";
import { VclmError } from "./vclm-error.js";

/** The photo codes the pre-flight check raises: the ones the service would answer with. */
export type PhotoErrorCode = Extract<
  ServiceErrorCode,
  | "FailedOperation.ImageDecodeFailed"
  | "FailedOperation.ImageSizeExceed"
  | "FailedOperation.ImageResolutionExceed"
  | "FailedOperation.ImageRadioExcceed"
>;

/**
 * The photo would be rejected by the service: not a PNG or JPEG, over 10 MB, a long edge over
 * 2056 px, or a height:width outside 1.2 to 2. Raised before submitting, with the service's own code.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * try {
 *   await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", photo: new Uint8Array([0x47, 0x49, 0x46]) }); // a GIF's first bytes
 * } catch (error) {
 *   if (error instanceof VclmPhotoError) console.error(error.code, error.message);
 * }
 * ```
 */
export class VclmPhotoError extends VclmError {
  /** The code the service would have answered with, e.g. `FailedOperation.ImageRadioExcceed`. */
  readonly code: PhotoErrorCode;

  constructor(code: PhotoErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}
