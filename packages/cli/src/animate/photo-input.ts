import { VclmValidationError } from "@vclm/core";
import type { AnimateRequest } from "@vclm/poller";

/**
 * A photo to animate: its bytes (`Uint8Array`, `ArrayBuffer`, a `Blob` or `File`), or where the
 * service can fetch it (an http(s) `URL`, or a string that is one), sent as `ImageUrl`.
 *
 * @example
 * ```ts
 * import type { Photo } from "vclm";
 *
 * const photo: Photo = new URL("https://example.com/dancer.jpg");
 * ```
 */
export type Photo = Uint8Array | ArrayBuffer | Blob | URL | string;

/** The Submit's photo fields for `photo`, or a typed error naming what it is and what is taken. */
export function photoFields(
  photo: unknown,
  strings = "a file to read, use vclm/node's animate",
): Pick<AnimateRequest, "photo" | "ImageUrl"> {
  if (photo instanceof Uint8Array || photo instanceof ArrayBuffer || (typeof Blob === "function" && photo instanceof Blob))
    return { photo };
  const url = photo instanceof URL ? photo.href : typeof photo === "string" ? photo : undefined;
  if (url !== undefined && /^https?:\/\/[^/]/i.test(url)) return { ImageUrl: url };
  const what = typeof photo === "string" ? `the string "${photo.slice(0, 80)}"` : photo === null ? "null" : typeof photo;
  throw new VclmValidationError("animate", [
    {
      path: "photo",
      message: `must be the photo's bytes (Uint8Array, ArrayBuffer, Blob) or an http(s) URL the service can fetch, not ${what}${
        typeof photo === "string" ? ` (for ${strings})` : ""
      }`,
    },
  ]);
}
