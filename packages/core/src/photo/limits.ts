/**
 * What the service accepts as a photo (../shared/vclm-api.md): PNG or JPEG, at most 10 MB, a long
 * edge of at most 2056 px, and a portrait whose height:width lies between 1.2 and 2.
 *
 * @example
 * ```ts
 * declare const file: File; // what an <input type="file"> gave
 * if (file.size > PHOTO_LIMITS.maxBytes) alert("Pick a photo under 10 MB");
 * ```
 */
export const PHOTO_LIMITS: {
  readonly maxBytes: number;
  readonly maxLongEdge: number;
  readonly minHeightToWidth: number;
  readonly maxHeightToWidth: number;
} = { maxBytes: 10 * 1024 * 1024, maxLongEdge: 2056, minHeightToWidth: 1.2, maxHeightToWidth: 2 };
