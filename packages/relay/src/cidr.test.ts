import { describe, expect, it } from "vitest";
import { cidrProblem } from "./cidr.js";

describe("cidrProblem", () => {
  it("takes addresses and ranges, IPv4 and IPv6", () => {
    for (const good of [
      "203.0.113.7",
      "203.0.113.7/32",
      "10.0.0.0/8",
      "2001:db8::1",
      "2001:db8::/32",
      "::1",
      "::ffff:203.0.113.7",
      "fe80::1:2:3:4:5/64",
    ])
      expect(cidrProblem(good), good).toBeUndefined();
  });

  it("refuses what is not one, naming the fault", () => {
    expect(cidrProblem("")).toMatch(/not an IPv4 or IPv6 address/);
    expect(cidrProblem("127.0.0.1/32/99")).toMatch(/more than one "\/"/);
    expect(cidrProblem("256.0.0.1")).toMatch(/not an IPv4/);
    expect(cidrProblem("010.0.0.1")).toMatch(/not an IPv4/);
    expect(cidrProblem("10.0.0.0/33")).toMatch(/from 1 to 32/);
    expect(cidrProblem("10.0.0.0/08")).toMatch(/from 1 to 32/);
    expect(cidrProblem("0.0.0.0/0")).toMatch(/every address: it binds nothing/);
    expect(cidrProblem("::/0")).toMatch(/every address/);
    expect(cidrProblem("2001:db8::1::2")).toMatch(/not an IPv4 or IPv6/);
    expect(cidrProblem("relay.example.com")).toMatch(/not an IPv4 or IPv6/);
  });
});
