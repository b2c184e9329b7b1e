import { readCapped } from "@vclm/core/internal";
import { type Answer, serviceError } from "../wire/envelope.js";
import { MAX_PHOTO_BYTES } from "./photo-rules.js";

const MB = 1024 * 1024;

const downloadError = (why: string): Answer =>
  serviceError("FailedOperation.ImageDownloadError", `The photo could not be downloaded from ImageUrl: ${why}.`);
const tooLarge = (): Answer =>
  serviceError("FailedOperation.ImageSizeExceed", `The photo at ImageUrl is larger than ${MAX_PHOTO_BYTES / MB} MB.`);

/**
 * Downloads the photo an ImageUrl names, as the service does, within two bounds: no more than the
 * photo limit (10 MB) is read, whatever the server sends or its Content-Length claims (past it,
 * FailedOperation.ImageSizeExceed, and the download is cancelled); and the whole download, from
 * the request to the last byte, must end within `timeoutMs` (else FailedOperation.ImageDownloadError,
 * as for a server that cannot be reached or answers an error status).
 */
export async function downloadPhoto(url: string, fetch: typeof globalThis.fetch, timeoutMs: number): Promise<Uint8Array | Answer> {
  // Aborting the request also errors a body still arriving, so a server that sends its headers and
  // then trickles (or never ends) its body is cut off at the same deadline.
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { signal });
    if (!response.ok) {
      await response.body?.cancel();
      return downloadError(`the server answered ${response.status}`);
    }
    if (Number(response.headers.get("content-length") ?? 0) > MAX_PHOTO_BYTES) {
      await response.body?.cancel();
      return tooLarge();
    }
    return (await readCapped(response.body, MAX_PHOTO_BYTES)) ?? tooLarge();
  } catch (error) {
    return downloadError(signal.aborted ? `no answer within ${timeoutMs} ms` : String((error as Error)?.message ?? error));
  }
}
