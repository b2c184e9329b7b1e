/** An IPv4 address: four numbers 0 to 255, without leading zeros. */
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Whether `text` is an IPv6 address: up to eight groups of 1 to 4 hex digits, `::` once at most, an IPv4 tail allowed. */
function isIpv6(text: string): boolean {
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const groups = (half: string) => (half === "" ? [] : half.split(":"));
  const [head = [], tail = []] = halves.map(groups);
  const all = [...head, ...tail];
  const last = all.at(-1) ?? "";
  const v4 = IPV4.test(last);
  const hex = v4 ? all.slice(0, -1) : all;
  if (!hex.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return false;
  const count = hex.length + (v4 ? 2 : 0);
  return halves.length === 2 ? count < 8 : count === 8;
}

/**
 * Why `text` is not an address or CIDR range that credentials can be bound to, or undefined if it
 * is one: an IPv4 or IPv6 address, with an optional prefix (1 to 32, or 1 to 128). A prefix of 0
 * (every address) is refused: it binds nothing.
 */
export function cidrProblem(text: string): string | undefined {
  const parts = text.trim().split("/");
  if (parts.length > 2) return `"${text}" has more than one "/"`;
  const [address = "", prefix] = parts;
  const v4 = IPV4.test(address);
  if (!v4 && !isIpv6(address)) return `"${text}" is not an IPv4 or IPv6 address (with an optional /prefix)`;
  if (prefix === undefined) return undefined;
  const max = v4 ? 32 : 128;
  if (!/^(0|[1-9]\d*)$/.test(prefix) || Number(prefix) > max) return `"${text}" has a prefix that is not a whole number from 1 to ${max}`;
  if (Number(prefix) === 0) return `"${text}" is every address: it binds nothing`;
  return undefined;
}
