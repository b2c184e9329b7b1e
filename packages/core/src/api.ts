// Each fact its own constant, so a bundle carries only the ones its code reads.
const service = "vclm";
const version = "2024-05-23";
const host = "vclm.intl.tencentcloudapi.com";

/** The API version, sent as `X-TC-Version` (see {@link VCLM_API}). */
export const VCLM_VERSION: typeof version = version;
/** The service name in the signature's credential scope (see {@link VCLM_API}). */
export const VCLM_SERVICE: typeof service = service;
/** The public host of the service (see {@link VCLM_API}). */
export const VCLM_HOST: typeof host = host;

/**
 * The VCLM API's fixed facts, in one place: the service name in the signature's scope, the API
 * version, the public host and the actions. The operations, the relay's allow-list and the
 * emulator's routes all read them from here, so a new action is added once.
 *
 * @example
 * ```ts
 * const relay = createRelay({ actions: VCLM_API.actions });
 * console.log(`${VCLM_API.service} ${VCLM_API.version} at ${VCLM_API.host}`);
 * ```
 */
export const VCLM_API: {
  readonly service: typeof service;
  readonly version: typeof version;
  readonly host: typeof host;
  readonly actions: readonly ["SubmitImageAnimateJob", "DescribeImageAnimateJob"];
} = { service, version, host, actions: ["SubmitImageAnimateJob", "DescribeImageAnimateJob"] };
