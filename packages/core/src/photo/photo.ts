import { VclmPhotoError } from "../errors/photo-error.js";
import { decodedLength, fromBase64, toBase64 } from "./base64.js";
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

/** The photo's size in bytes, without reading it. */
export const sizeOf = (source: PhotoSource): number => (source instanceof Blob ? source.size : source.byteLength);

// Enough for a PNG header and for most JPEG headers; more is read only when the frame header is
// further in (large EXIF or ICC segments).
const FIRST_READ = 64 * 1024;

/**
 * Reads a photo's header, and no more of the photo than that: a Blob is read in slices growing
 * from 64 KB until the header is whole, so a file picker's 10 MB photo costs a few KB to check.
 */
async function headerOf(source: PhotoSource): Promise<PhotoHeader | undefined> {
  if (!(source instanceof Blob)) return readPhotoHeader(source instanceof Uint8Array ? source : new Uint8Array(source));
  for (let bytes = FIRST_READ; ; bytes *= 4) {
    const header = readPhotoHeader(new Uint8Array(await source.slice(0, bytes).arrayBuffer()));
    if (header || bytes >= source.size) return header;
  }
}

/** Checks a photo as the service will, from its header and size; throws the service's code. */
export const checkPhotoSource = async (source: PhotoSource): Promise<PhotoHeader> =>
  checkPhotoLimits(await headerOf(source), sizeOf(source));

/**
 * Checks a photo the way the service will (PNG or JPEG, at most 10 MB, long edge at most 2056 px,
 * height:width between 1.2 and 2) and returns its header. Throws a {@link VclmPhotoError} with the
 * code the service would answer with. Reads only the header: cheap enough for a file picker.
 *
 * @example
 * ```ts
 * declare const file: File; // what an <input type="file"> gave
 * try {
 *   const { width, height } = await checkPhoto(file);
 * } catch (error) {
 *   if (error instanceof VclmPhotoError) alert(error.message);
 *   else throw error;
 * }
 * ```
 */
export function checkPhoto(source: PhotoSource): Promise<PhotoHeader> {
  return checkPhotoSource(source);
}

/**
 * The photo as base64, for `ImageBase64`, in any runtime, at its best speed (never `btoa`). Checks
 * it first unless `check` is false. To submit a photo you have as bytes or a Blob, giving it as
 * `photo` is faster and leaner still: its base64 is then written straight into the request body.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 *
 * const client = new VclmClient({ region: "ap-singapore" });
 * const ImageBase64 = await photoToBase64(await readFile("dancer.jpg"));
 * await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64 });
 * ```
 */
export async function photoToBase64(source: PhotoSource, { check = true }: { check?: boolean } = {}): Promise<string> {
  if (check) await checkPhotoSource(source);
  return toBase64(await bytesOf(source));
}

/** Checks a photo given as base64, decoding no more of it than its header needs. */
export function checkPhotoBase64(base64: string): PhotoHeader {
  if (base64.startsWith("data:"))
    throw new VclmPhotoError("FailedOperation.ImageDecodeFailed", "ImageBase64 must be bare base64, without a data: URL prefix");
  let header: PhotoHeader | undefined;
  for (let chars = FIRST_READ; ; chars *= 4) {
    const whole = chars >= base64.length;
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(whole ? base64 : base64.slice(0, chars));
    } catch {
      throw new VclmPhotoError("FailedOperation.ImageDecodeFailed", "ImageBase64 is not valid base64");
    }
    header = readPhotoHeader(bytes);
    if (header || whole) break;
  }
  return checkPhotoLimits(header, decodedLength(base64));
}
