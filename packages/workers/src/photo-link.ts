// The link the service downloads a photo from: GET /photos/<key>?expires=<s>&sig=<HMAC>, served from
// R2 by this Worker to whoever holds an unexpired link, and to nobody else. The HMAC (under
// PHOTO_LINK_SECRET) covers the key and the expiry, so neither can be changed.
import { hmac, hmacMatches } from "./hmac.js";

/**
 * How long a photo link is valid: the service downloads the photo right after the Submit.
 *
 * @example
 * ```ts
 * const minutes = PHOTO_LINK_TTL_MS / 60_000; // 15
 * ```
 */
export const PHOTO_LINK_TTL_MS = 15 * 60_000;

/**
 * A link to the photo stored under `photos/<key>`, valid for {@link PHOTO_LINK_TTL_MS}: give it to
 * the service as `ImageUrl`, and serve `GET /photos/<key>` with {@link verifyPhotoLink}.
 *
 * @example
 * ```ts
 * declare const request: Request; // the visitor's POST, as the Worker's fetch gets it
 * declare const env: { BUCKET: R2BucketLike }; // the Worker's R2 binding
 * const { key } = await storePhoto(request, env.BUCKET);
 * const ImageUrl = await photoLink("https://animate.example.com", key, "PHOTO_LINK_SECRET's value");
 * ```
 */
export async function photoLink(origin: string, key: string, secret: string, now = Date.now()): Promise<string> {
  const expires = Math.floor((now + PHOTO_LINK_TTL_MS) / 1000);
  return `${origin}/photos/${key}?expires=${expires}&sig=${await hmac(`${key}\n${expires}`, secret)}`;
}

/**
 * The key a photo link grants, or undefined: forged, changed or expired.
 *
 * @example
 * ```ts
 * declare const request: Request; // the service's GET of the photo link, as the Worker's fetch gets it
 * declare const env: { BUCKET: R2BucketLike }; // the Worker's R2 binding
 * const key = await verifyPhotoLink(new URL(request.url), "PHOTO_LINK_SECRET's value");
 * const photo = key && (await env.BUCKET.get(`photos/${key}`));
 * ```
 */
export async function verifyPhotoLink(url: URL, secret: string, now = Date.now()): Promise<string | undefined> {
  const key = /^\/photos\/([\w-]+)$/.exec(url.pathname)?.[1];
  const expires = Number(url.searchParams.get("expires"));
  const sig = url.searchParams.get("sig") ?? "";
  if (!key || !Number.isInteger(expires) || expires * 1000 < now || !secret) return undefined;
  return (await hmacMatches(`${key}\n${expires}`, sig, secret)) ? key : undefined;
}
