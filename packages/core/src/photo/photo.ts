import { VclmPhotoError } from "../errors/photo-error.js";
import { decodeBase64, decodedLength, encodeBase64 } from "./base64.js";
import { checkPhotoLimits } from "./check-photo.js";
import { type PhotoHeader, readPhotoHeader } from "./read-header.js";

/**
 * A photo as the runtime hands it over: bytes from a file or `fetch`, or a browser `Blob`/`File`.
 *
 * @example
 * ```ts
 * const photo: PhotoSource = new Uint8Array(await (await fetch("/dancer.jpg")).arrayBuffer()); // or a Blob, a File
 * ```
 */
export type PhotoSource = Uint8Array | ArrayBuffer | Blob;

const bytesOf = async (source: PhotoSource): Promise<Uint8Array> =>
  source instanceof Uint8Array ? source : new Uint8Array(source instanceof ArrayBuffer ? source : await source.arrayBuffer());

/**
 * Checks a photo the way the service will (PNG or JPEG, at most 10 MB, long edge at most 2056 px,
 * height:width between 1.2 and 2) and returns its header. Throws a {@link VclmPhotoError} with the
 * code the service would answer with. Reads only the header: cheap enough for a file picker.
 *
 * @example
 * ```ts
 * try {
 *   const { width, height } = await checkPhoto(file);
 * } catch (error) {
 *   if (error instanceof VclmPhotoError) showProblem(error.message);
 * }
 * ```
 */
export async function checkPhoto(source: PhotoSource): Promise<PhotoHeader> {
  const bytes = await bytesOf(source);
  return checkPhotoLimits(readPhotoHeader(bytes), bytes.byteLength);
}

/**
 * The photo as base64, for `ImageBase64`, in any runtime. Checks it first unless `check` is false.
 *
 * @example
 * ```ts
 * const ImageBase64 = await photoToBase64(await readFile("dancer.jpg"));
 * await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64 });
 * ```
 */
export async function photoToBase64(source: PhotoSource, { check = true }: { check?: boolean } = {}): Promise<string> {
  const bytes = await bytesOf(source);
  if (check) checkPhotoLimits(readPhotoHeader(bytes), bytes.byteLength);
  return encodeBase64(bytes);
}

// Enough for a PNG header and for most JPEG headers; more is decoded only when the frame header is
// further in (large EXIF or ICC segments).
const FIRST_READ = 64 * 1024;

/** Checks a photo given as base64, decoding no more of it than its header needs. */
export function checkPhotoBase64(base64: string): PhotoHeader {
  if (base64.startsWith("data:"))
    throw new VclmPhotoError("FailedOperation.ImageDecodeFailed", "ImageBase64 must be bare base64, without a data: URL prefix");
  let header: PhotoHeader | undefined;
  for (let chars = FIRST_READ; ; chars *= 4) {
    const whole = chars >= base64.length;
    let bytes: Uint8Array;
    try {
      bytes = decodeBase64(whole ? base64 : base64.slice(0, chars));
    } catch {
      throw new VclmPhotoError("FailedOperation.ImageDecodeFailed", "ImageBase64 is not valid base64");
    }
    header = readPhotoHeader(bytes);
    if (header || whole) break;
  }
  return checkPhotoLimits(header, decodedLength(base64));
}
