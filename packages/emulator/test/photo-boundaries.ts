// Photos just inside and just outside each of the API's photo rules, with the code the service
// answers ("accepted" for none): shared by the unit test of the emulator's check and the test
// over HTTP that sets it beside @vclm/core's.
import { jpegHeader, pngHeader } from "./header-photos.js";

const MB = 1024 * 1024;

/** One photo at a boundary: what it is, its bytes, and the service's answer. */
export interface Boundary {
  readonly what: string;
  readonly photo: Uint8Array;
  readonly code: string;
}

/** Each rule's boundary, from both sides. */
export const BOUNDARIES: readonly Boundary[] = [
  { what: "10 MB", photo: pngHeader(1000, 1500, { size: 10 * MB }), code: "accepted" },
  { what: "10 MB and one byte", photo: pngHeader(1000, 1500, { size: 10 * MB + 1 }), code: "FailedOperation.ImageSizeExceed" },
  { what: "a long edge of 2056 px", photo: jpegHeader(1028, 2056), code: "accepted" },
  { what: "a long edge of 2057 px", photo: jpegHeader(1029, 2057), code: "FailedOperation.ImageResolutionExceed" },
  { what: "height:width 1.2", photo: pngHeader(1000, 1200), code: "accepted" },
  { what: "height:width 1.199", photo: pngHeader(1000, 1199), code: "FailedOperation.ImageRadioExcceed" },
  { what: "height:width 2", photo: jpegHeader(1000, 2000), code: "accepted" },
  { what: "height:width 2.001", photo: jpegHeader(1000, 2001), code: "FailedOperation.ImageRadioExcceed" },
  { what: "a GIF", photo: new TextEncoder().encode("GIF89a, not a photo the service takes"), code: "FailedOperation.ImageDecodeFailed" },
];
