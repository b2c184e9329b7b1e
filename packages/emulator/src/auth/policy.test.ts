// The CAM policy evaluator where what it is told is not enough: an unknown address never lets a
// call escape a deny, nor makes an allow hold; and only the operators it knows are read, never a
// property every object has.
import { describe, expect, it } from "vitest";
import { type PolicyStatement, parsePolicy, policyAllows } from "./policy.js";

const NOW = Date.UTC(2026, 0, 15);
const allowAll: PolicyStatement = { effect: "allow", actions: ["vclm:*"] };
const allows = (statements: readonly PolicyStatement[], ip: string | undefined) =>
  policyAllows(statements, "vclm", "SubmitImageAnimateJob", { ip, now: NOW });

describe("policyAllows with an IP condition", () => {
  const deny = (condition: PolicyStatement["condition"]): PolicyStatement => ({ effect: "deny", actions: ["vclm:Submit*"], condition });

  it.each([
    ["ip_not_equal (deny unless from the relay)", { ip_not_equal: { "qcs:ip": "127.0.0.2" } }],
    ["ip_equal (deny the thief's address)", { ip_equal: { "qcs:ip": "127.0.0.3" } }],
    ["ip_not_equal_if_exist", { ip_not_equal_if_exist: { "qcs:ip": "127.0.0.2" } }],
    ["ip_equal_if_exist", { ip_equal_if_exist: { "qcs:ip": "127.0.0.3" } }],
  ])("a deny with %s still applies when the address is unknown or unreadable (fails closed)", (_, condition) => {
    for (const ip of [undefined, "not-an-address", ""]) expect(allows([allowAll, deny(condition)], ip)).toBe(false);
  });

  it("a deny with an IP condition applies by the address when it is known", () => {
    const statements = [allowAll, deny({ ip_not_equal: { "qcs:ip": "127.0.0.2" } })];
    expect(allows(statements, "127.0.0.2")).toBe(true);
    expect(allows(statements, "127.0.0.3")).toBe(false);
  });

  it.each([
    ["ip_equal", { ip_equal: { "qcs:ip": "127.0.0.2" } }],
    ["ip_equal_if_exist", { ip_equal_if_exist: { "qcs:ip": "127.0.0.2" } }],
    ["ip_not_equal", { ip_not_equal: { "qcs:ip": "127.0.0.3" } }],
    ["ip_not_equal_if_exist", { ip_not_equal_if_exist: { "qcs:ip": "127.0.0.3" } }],
  ])("an allow with %s does not hold when the address is unknown or unreadable", (_, condition) => {
    for (const ip of [undefined, "not-an-address"]) expect(allows([{ ...allowAll, condition }], ip)).toBe(false);
    expect(allows([{ ...allowAll, condition }], "127.0.0.2")).toBe(true);
  });
});

describe("condition operators", () => {
  const policy = (operator: string) =>
    `{"version":"2.0","statement":[{"effect":"allow","action":"vclm:*","condition":{"${operator}":{"qcs:current_time":"2000-01-01T00:00:00Z"}}}]}`;

  it.each(["constructor", "valueOf", "toString", "hasOwnProperty", "__proto__", "constructor_if_exist", "isPrototypeOf"])(
    "%s (a property of every object) is refused when the policy is read, not evaluated nor thrown",
    (operator) => {
      const read = parsePolicy(policy(operator));
      expect(Array.isArray(read)).toBe(false);
      expect((read as { error?: { message: string } }).error?.message).toMatch(
        /this emulator evaluates ip_equal, ip_not_equal and the date_ operators/,
      );
    },
  );

  it("an operator it does not know, in statements not read by parsePolicy (a saved state), never makes an allow hold and never lifts a deny", () => {
    const odd = { constructor: { "qcs:current_time": "2000-01-01T00:00:00Z" } } as unknown as PolicyStatement["condition"];
    expect(allows([{ ...allowAll, condition: odd }], "127.0.0.2")).toBe(false);
    expect(allows([allowAll, { effect: "deny", actions: ["vclm:*"], condition: odd }], "127.0.0.2")).toBe(false);
  });

  it("the date operators it knows still read and hold", () => {
    const read = parsePolicy(policy("date_greater_than")) as readonly PolicyStatement[];
    expect(Array.isArray(read)).toBe(true);
    expect(allows(read, undefined)).toBe(true);
  });
});
