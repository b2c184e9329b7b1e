// A posted photo into R2 without holding it: its first 64 KB are read and checked as the service
// would (format, size from Content-Length, dimensions), then those bytes and the rest of the body
// stream into the bucket. Nothing is stored for a photo the service would refuse.
import { checkPhoto, PHOTO_LIMITS, VclmError, VclmPhotoError } from "@vclm/core";
import type { FixedLengthStream as FixedLengthStreamType, R2BucketLike } from "./workers-types.js";

declare const FixedLengthStream: typeof FixedLengthStreamType;

const HEAD = 64 * 1024;

/**
 * A problem with an upload itself (not the photo): its HTTP status (411 without a Content-Length,
 * 400 cut short) and why. A `VclmError`, recognised by brand (`isVclmError`) across copies.
 *
 * @example
 * ```ts
 * const answer = (error: unknown) => (isVclmError(error, UploadError) ? new Response(error.message, { status: error.status }) : undefined);
 * ```
 */
export class UploadError extends VclmError {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * Stores a request's photo in R2 under `photos/<uuid>` without holding it: its first 64 KB are
 * checked as the service would (format, dimensions; the size from Content-Length), then it streams
 * into the bucket. Returns the key, the size, and the most bytes held at once. Throws
 * `VclmPhotoError` for a photo the service would refuse (nothing is stored), {@link UploadError}
 * for an upload without a length or cut short.
 *
 * @example
 * ```ts
 * declare const request: Request; // the visitor's POST, as the Worker's fetch gets it
 * declare const env: { BUCKET: R2BucketLike }; // the Worker's R2 binding
 * const { key } = await storePhoto(request, env.BUCKET);
 * ```
 */
export async function storePhoto(request: Request, bucket: R2BucketLike): Promise<{ key: string; bytes: number; heldAtMost: number }> {
  const length = Number(request.headers.get("content-length") ?? Number.NaN);
  if (!request.body || !Number.isInteger(length) || length <= 0)
    throw new UploadError(411, "send the photo as the request body, with its Content-Length");
  if (length > PHOTO_LIMITS.maxBytes)
    throw new VclmPhotoError(
      "FailedOperation.ImageSizeExceed",
      `the photo is ${(length / 1024 / 1024).toFixed(1)} MB; the limit is ${PHOTO_LIMITS.maxBytes / 1024 / 1024} MB`,
    );
  const reader = request.body.getReader();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  while (headBytes < Math.min(HEAD, length)) {
    const { value, done } = await reader.read();
    if (done) break;
    head.push(value);
    headBytes += value.byteLength;
  }
  const first = new Uint8Array(headBytes);
  let at = 0;
  for (const chunk of head) {
    first.set(chunk, at);
    at += chunk.byteLength;
  }
  try {
    await checkPhoto(first); // the header's format and dimensions; the size was Content-Length
  } catch (error) {
    await reader.cancel();
    throw error;
  }
  const key = crypto.randomUUID();
  const stream = new FixedLengthStream(length);
  const writer = stream.writable.getWriter();
  let heldAtMost = headBytes;
  const pump = (async () => {
    await writer.write(first);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      heldAtMost = Math.max(heldAtMost, value.byteLength);
      await writer.write(value);
    }
    await writer.close();
  })();
  const contentType = first[0] === 0xff ? "image/jpeg" : "image/png";
  await Promise.all([bucket.put(`photos/${key}`, stream.readable, { httpMetadata: { contentType } }), pump]).catch(async (error) => {
    await bucket.delete(`photos/${key}`);
    throw new UploadError(400, `the photo did not arrive whole (${(error as Error).message}); nothing was submitted`);
  });
  return { key, bytes: length, heldAtMost };
}
