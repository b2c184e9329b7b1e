import { VCLM_API } from "@vclm/core";

/**
 * A CAM policy (URL-encoded JSON, as GetFederationToken takes it) that allows the VCLM actions and
 * nothing else; with `ip`, only from those addresses or CIDR ranges (`qcs:ip`), so credentials
 * taken elsewhere are useless.
 *
 * @example
 * ```ts
 * const Policy = vclmPolicy({ ip: "203.0.113.7/32" }); // the relay's outbound address
 * ```
 */
export function vclmPolicy({
  actions = VCLM_API.actions,
  ip,
}: {
  actions?: readonly string[];
  ip?: string | readonly string[] | undefined;
} = {}): string {
  const ranges = ip === undefined ? [] : typeof ip === "string" ? [ip] : [...ip];
  const statement = {
    effect: "allow",
    action: actions.map((action) => `${VCLM_API.service}:${action}`),
    resource: "*",
    ...(ranges.length > 0 && { condition: { ip_equal: { "qcs:ip": ranges } } }),
  };
  return encodeURIComponent(JSON.stringify({ version: "2.0", statement: [statement] }));
}
