// Each fact its own constant, so a bundle carries only the ones its code reads.
/** The API version, sent as `X-TC-Version` (see {@link VCLM_API}). */
export const VCLM_VERSION = "2024-05-23";
/** The service name in the signature's credential scope (see {@link VCLM_API}). */
export const VCLM_SERVICE = "vclm";
/** The public host of the service (see {@link VCLM_API}). */
export const VCLM_HOST = "vclm.intl.tencentcloudapi.com";
