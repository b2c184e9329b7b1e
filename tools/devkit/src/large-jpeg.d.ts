/** A JPEG of exactly `totalBytes` bytes, `width` x `height` (portrait by default), the same bytes on every call. */
export function largeJpeg(totalBytes?: number, width?: number, height?: number): Uint8Array<ArrayBuffer>;
