// STS's fixed facts, in one place: the operations, the STS client and the relay's docs read them
// from here (the emulator, a separate implementation of the service, keeps its own).

/**
 * STS, where temporary credentials come from: the service name in the signature's scope, its API
 * version, its global endpoint (the one the official SDKs use), its international endpoint, and
 * the region the official SDKs send to the global one.
 *
 * @example
 * ```ts
 * const sts = new VclmClient({ region: "ap-singapore", endpoint: STS.intlEndpoint }); // for a credentials handler
 * console.log(`${STS.service} ${STS.version} at ${STS.endpoint}`);
 * ```
 */
export const STS = {
  service: "sts",
  version: "2018-08-13",
  endpoint: "https://sts.tencentcloudapi.com/",
  intlEndpoint: "https://sts.intl.tencentcloudapi.com/",
  region: "ap-guangzhou",
} as const;
