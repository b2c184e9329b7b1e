// Each fact its own constant, so a bundle carries only the ones its code reads.
/** The API version, sent as `X-TC-Version` (see {@link VCLM_API}). */
export const VCLM_VERSION = "2024-05-23";
/** The service name in the signature's credential scope (see {@link VCLM_API}). */
export const VCLM_SERVICE = "vclm";
/** The public host of the service (see {@link VCLM_API}). */
export const VCLM_HOST = "vclm.intl.tencentcloudapi.com";

/**
 * The VCLM API's fixed facts, in one place: the service name in the signature's scope, the API
 * version, the public host and the actions. The operations and the emulator's routes read them
 * from here, so a new action is added once.
 *
 * @example
 * ```ts
 * const isVclmAction = (action: string) => (VCLM_API.actions as readonly string[]).includes(action);
 * console.log(`${VCLM_API.service} ${VCLM_API.version} at ${VCLM_API.host}`);
 * ```
 */
export const VCLM_API: {
  readonly service: "vclm";
  readonly version: "2024-05-23";
  readonly host: "vclm.intl.tencentcloudapi.com";
  readonly actions: readonly ["SubmitImageAnimateJob", "DescribeImageAnimateJob"];
} = { service: VCLM_SERVICE, version: VCLM_VERSION, host: VCLM_HOST, actions: ["SubmitImageAnimateJob", "DescribeImageAnimateJob"] };
