// The service's rules for a photo, as the API documents them (SubmitImageAnimateJob, ImageUrl):
// "PNG/JPG/JPEG, long edge <= 2056 px, <= 10 MB, height:width between 1.2 and 2 (portrait)".
// Written here from the documentation, not taken from @vclm/core: the emulator is the independent
// check of the SDK's own preflight, so a mistake in one shows up as a disagreement with the other.

/** The largest photo, in bytes: 10 MB (binary megabytes, the larger reading of "10 MB"). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/** The longest edge, in pixels. */
export const MAX_LONG_EDGE = 2056;

/**
 * Whether height:width is within 1.2 to 2, both ends included, compared in integers
 * (5h >= 6w and h <= 2w), so no rounding decides a photo at the boundary.
 */
export const portraitRatioHolds = (width: number, height: number): boolean => 5 * height >= 6 * width && height <= 2 * width;
