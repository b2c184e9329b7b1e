import { VCLM_HOST, VCLM_SERVICE, VCLM_VERSION } from "./api.js";
import { OPERATIONS } from "./operations/operations.js";

/**
 * The VCLM API's fixed facts, in one place: the service name in the signature's scope, the API
 * version, the public host, and the actions (those of {@link OPERATIONS}, so a new action is
 * added once). The emulator answers each of these actions (a test checks it).
 *
 * @example
 * ```ts
 * const isVclmAction = (action: string) => VCLM_API.actions.includes(action);
 * console.log(`${VCLM_API.service} ${VCLM_API.version} at ${VCLM_API.host}`);
 * ```
 */
export const VCLM_API: {
  readonly service: "vclm";
  readonly version: "2024-05-23";
  readonly host: "vclm.intl.tencentcloudapi.com";
  readonly actions: readonly string[];
} = { service: VCLM_SERVICE, version: VCLM_VERSION, host: VCLM_HOST, actions: OPERATIONS.map(({ action }) => action) };
