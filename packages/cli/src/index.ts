/**
 * `vclm`: animate a photo of a person with a dance template in one call, in any runtime (Node,
 * Deno, Bun, Cloudflare Workers, browsers through a relay). Retries are on, the region defaults to
 * the API's one, and `VCLM_ENDPOINT` / `VCLM_REGION` switch in an emulator without code changes.
 * The `@vclm/*` packages are the composable layer under it. Node's `vclm/node` also reads photo
 * files and saves videos; `vclm/cli` is the command line as a function.
 *
 * @example
 * ```ts run
 * import { animate } from "vclm";
 *
 * // The photo: its bytes (a Uint8Array, a Blob, a File from an <input>), or a URL the service fetches.
 * const video = await animate(new URL("https://example.com/dancer.jpg"), { template: "tuziwu" });
 * const mp4 = await video.download(); // a Uint8Array; video.stream() for a ReadableStream
 * console.log(video.jobId, mp4.byteLength, video.expiresAt);
 * ```
 *
 * @packageDocumentation
 */
// The errors animate() and resume() reject with, so one import is enough to tell them apart.
export {
  isVclmError,
  TEMPLATE_IDS,
  TEMPLATES,
  type TemplateId,
  VclmError,
  VclmNetworkError,
  VclmPhotoError,
  VclmResponseError,
  VclmServiceError,
  VclmTimeoutError,
  VclmValidationError,
  VideoDownloadError,
} from "@vclm/core";
export type { JobProgress } from "@vclm/poller";
export { JobFailedError, WaitInterruptedError, WaitTimeoutError } from "@vclm/poller";
export { animate, resume } from "./animate/animate.js";
export type { AnimateOptions } from "./animate/options.js";
export type { Photo } from "./animate/photo-input.js";
export type { Video } from "./animate/video.js";
