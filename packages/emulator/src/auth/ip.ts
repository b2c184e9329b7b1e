// IP addresses and CIDR ranges, IPv4 and IPv6, as numbers: what CAM's ip_equal compares.

/** An address as a 128-bit number (IPv4 mapped into ::ffff:0:0/96), or undefined if it is not one. */
export function ipNumber(address: string): bigint | undefined {
  const text = address
    .trim()
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "");
  // No leading zeros: 010 is 8 to inet_aton and 10 to others, so it is neither.
  const v4 = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/.exec(text);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((part) => part > 255)) return undefined;
    const [a, b, c, d] = parts as [number, number, number, number];
    return 0xffff00000000n | BigInt(a * 2 ** 24 + b * 2 ** 16 + c * 2 ** 8 + d);
  }
  if (!text.includes(":")) return undefined;
  // IPv6, with a trailing dotted IPv4 part allowed (::ffff:127.0.0.1).
  const dotted = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  let head = text;
  let tail: bigint | undefined;
  if (dotted) {
    tail = ipNumber(dotted[2] as string);
    if (tail === undefined) return undefined;
    tail &= 0xffffffffn;
    head = `${dotted[1]}0:0`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined) => (part ? part.split(":") : []);
  const left = groups(halves[0]);
  const right = groups(halves[1]);
  const missing = 8 - left.length - right.length;
  // :: stands for at least one group of zeros: eight groups and a :: are nine.
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array(missing).fill("0"), ...right];
  let value = 0n;
  for (const group of all) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  }
  return tail === undefined ? value : value | tail;
}

/**
 * A CIDR range (or a bare address, a range of one) as a matcher, or undefined if it is not one:
 * exactly an address, or an address, one slash and a prefix length of 0 to 32 (IPv4) or 0 to 128
 * (IPv6), written plainly (no brackets, zone, spaces, sign or leading zero). A policy is refused
 * for what it cannot mean exactly, never read as the nearest range.
 */
export function ipRange(range: string): ((address: string) => boolean) | undefined {
  const [, base = "", bits] = /^([\da-f:.]+)(?:\/(0|[1-9]\d{0,2}))?$/i.exec(range) ?? [];
  const start = ipNumber(base);
  if (start === undefined) return undefined;
  const v4 = !base.includes(":");
  const prefix = bits === undefined ? (v4 ? 32 : 128) : Number(bits);
  if (prefix > (v4 ? 32 : 128)) return undefined;
  const length = prefix + (v4 ? 96 : 0); // IPv4 lives in the last 32 of the 128 bits
  const mask = length === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - length)) - 1n);
  return (address) => {
    const value = ipNumber(address);
    return value !== undefined && (value & mask) === (start & mask);
  };
}
