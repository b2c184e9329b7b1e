// CIDR ranges as a policy's qcs:ip condition gives them: exactly an address, or an address, one
// slash and a prefix length within the family's bits, written plainly. Anything else is no range.
import { describe, expect, it } from "vitest";
import { ipRange } from "./ip.js";

describe("ipRange", () => {
  it.each([
    ["0.0.0.0/0", "203.0.113.7", true],
    ["127.0.0.1", "127.0.0.1", true],
    ["127.0.0.1/32", "127.0.0.2", false],
    ["10.0.0.0/8", "10.255.0.1", true],
    ["10.0.0.0/8", "11.0.0.1", false],
    ["::/0", "2001:db8::1", true],
    ["::1/128", "::1", true],
    ["2001:db8::/32", "2001:db8:ffff::1", true],
    ["2001:db8::/32", "2001:db9::1", false],
    ["::ffff:127.0.0.0/104", "127.0.0.9", true],
    ["1:2:3:4:5:6:7:8/128", "1:2:3:4:5:6:7:8", true],
  ])("takes %s (holding %s: %s)", (range, address, inside) => {
    expect(ipRange(range)?.(address)).toBe(inside);
  });

  it.each([
    ["two prefixes", "127.0.0.1/32/99"],
    ["two prefixes, IPv6", "::1/64/1"],
    ["an IPv4 prefix over 32", "127.0.0.1/33"],
    ["an IPv6 prefix over 128", "::1/129"],
    ["an empty prefix", "10.0.0.0/"],
    ["no address", "/8"],
    ["a prefix with a leading zero", "10.0.0.0/08"],
    ["a prefix with a sign", "10.0.0.0/+8"],
    ["a prefix with a space", "10.0.0.0/ 8"],
    ["a hex prefix", "10.0.0.0/0x8"],
    ["an octet with a leading zero (octal to some parsers)", "010.0.0.1"],
    ["an octet over 255", "127.0.0.300/8"],
    ["three octets", "127.0.1/24"],
    ["spaces around it", " 127.0.0.1"],
    ["a bracketed IPv6 address", "[::1]/128"],
    ["an IPv6 zone", "fe80::1%eth0/64"],
    ["nine IPv6 groups", "1:2:3:4:5:6:7:8:9"],
    ["eight IPv6 groups and ::", "1:2:3:4:5:6:7:8::"],
    ["two ::", "1::2::3"],
    ["a host name", "localhost/8"],
  ])("refuses %s: %s", (_, range) => {
    expect(ipRange(range)).toBeUndefined();
  });
});
