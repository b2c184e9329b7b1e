import { type Answer, serviceError } from "../wire/envelope.js";
import { ipNumber, ipRange } from "./ip.js";

/**
 * One statement of a CAM policy, as the emulator keeps it: allow or deny these actions. Actions are
 * patterns as CAM writes them: `*`, `vclm:*`, `vclm:Describe*`, `name/vclm:SubmitImageAnimateJob`.
 *
 * @example
 * ```ts
 * const statement: PolicyStatement = { effect: "deny", actions: ["vclm:Describe*"] };
 * ```
 */
export interface PolicyStatement {
  readonly effect: "allow" | "deny";
  readonly actions: readonly string[];
  /** Its conditions, as CAM writes them: `{ ip_equal: { "qcs:ip": ["203.0.113.7/32"] } }`. */
  readonly condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>> | undefined;
}

/** What a call's conditions are evaluated against: where it comes from, and when. */
export interface RequestFacts {
  /** The address the request came from, if known (a fetch handler is not told unless its server passes it). */
  readonly ip?: string | undefined;
  /** Emulator time, ms. */
  readonly now: number;
}

// The condition keys and operators the emulator evaluates; anything else is refused when issued.
// A Map and a Set, never `in` an object: "constructor", "toString" or "__proto__" is in every one.
const DATE_OPERATORS = new Map<string, (a: number, b: number) => boolean>([
  ["date_equal", (a, b) => a === b],
  ["date_not_equal", (a, b) => a !== b],
  ["date_less_than", (a, b) => a < b],
  ["date_less_than_equal", (a, b) => a <= b],
  ["date_greater_than", (a, b) => a > b],
  ["date_greater_than_equal", (a, b) => a >= b],
]);
const IP_OPERATORS = new Set(["ip_equal", "ip_not_equal"]);
const KEY_FOR = (operator: string) =>
  IP_OPERATORS.has(operator) ? "qcs:ip" : DATE_OPERATORS.has(operator) ? "qcs:current_time" : undefined;

const invalid = (why: string): Answer => serviceError("InvalidParameterValue", `Policy is invalid: ${why}.`);

/**
 * Reads a policy (JSON, URL-encoded or not, as GetFederationToken documents) into statements, or
 * answers `InvalidParameterValue` naming what is wrong: never a thrown TypeError.
 */
export function parsePolicy(policy: string): readonly PolicyStatement[] | Answer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy.trimStart().startsWith("{") ? policy : decodeURIComponent(policy));
  } catch {
    return invalid("it is not JSON (URL-encoded or not)");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return invalid("it must be a JSON object");
  const { version, statement } = parsed as { version?: unknown; statement?: unknown };
  if (version !== undefined && version !== "2.0") return invalid(`version must be "2.0"`);
  if (!Array.isArray(statement)) return invalid("statement must be an array of statements");
  const statements: PolicyStatement[] = [];
  for (const [i, item] of statement.entries()) {
    if (typeof item !== "object" || item === null || Array.isArray(item)) return invalid(`statement[${i}] must be an object`);
    const { effect, action, condition } = item as { effect?: unknown; action?: unknown; condition?: unknown };
    const kind = typeof effect === "string" ? effect.toLowerCase() : "";
    if (kind !== "allow" && kind !== "deny") return invalid(`statement[${i}].effect must be allow or deny`);
    const actions = Array.isArray(action) ? action : [action];
    if (!actions.length || actions.some((a) => typeof a !== "string" || !a))
      return invalid(`statement[${i}].action must be an action name or a list of them`);
    const problem = condition === undefined ? undefined : conditionProblem(condition, `statement[${i}].condition`);
    if (problem) return invalid(problem);
    statements.push({
      effect: kind,
      actions: actions as string[],
      ...(condition !== undefined && { condition: condition as PolicyStatement["condition"] }),
    });
  }
  return statements;
}

/** What is wrong with a statement's condition block, or undefined: operators, keys and values it can evaluate. */
function conditionProblem(condition: unknown, where: string): string | undefined {
  if (typeof condition !== "object" || condition === null || Array.isArray(condition)) return `${where} must be an object`;
  for (const [named, keys] of Object.entries(condition)) {
    const operator = named.replace(/_if_exist$/, "");
    const key = KEY_FOR(operator);
    if (!key) return `${where}.${named}: this emulator evaluates ip_equal, ip_not_equal and the date_ operators (with _if_exist)`;
    if (typeof keys !== "object" || keys === null || Array.isArray(keys)) return `${where}.${named} must map condition keys to values`;
    for (const [name, values] of Object.entries(keys)) {
      if (name !== key) return `${where}.${named} takes ${key}, not ${name}`;
      const list = Array.isArray(values) ? values : [values];
      if (!list.length || list.some((value) => typeof value !== "string"))
        return `${where}.${named}.${name} must be a string or a list of them`;
      for (const value of list as string[]) {
        if (key === "qcs:ip" && !ipRange(value)) return `${where}.${named}.${name}: ${value} is not an IP address or CIDR range`;
        if (key === "qcs:current_time" && Number.isNaN(Date.parse(value)))
          return `${where}.${named}.${name}: ${value} is not an ISO 8601 time`;
      }
    }
  }
  return undefined;
}

/**
 * Whether every condition of a statement holds for this request (CAM: operators AND, values OR).
 * What cannot be evaluated counts against the caller: it holds for a deny and not for an allow, so
 * it neither lifts a deny nor grants an allow. That is an address the emulator was not told (or
 * cannot read): every real request has one, so `_if_exist` cannot mean "no address" here; and, in
 * statements parsePolicy did not read (a saved state), an operator or a value it does not know.
 */
function conditionsHold(statement: PolicyStatement, facts: RequestFacts): boolean {
  const unknown = statement.effect === "deny";
  const ip = facts.ip !== undefined && ipNumber(facts.ip) !== undefined ? facts.ip : undefined;
  for (const [named, keys] of Object.entries(statement.condition ?? {})) {
    const operator = named.replace(/_if_exist$/, "");
    const key = KEY_FOR(operator);
    for (const [name, values] of Object.entries(keys)) {
      const list = (Array.isArray(values) ? values : [values]) as string[];
      const holds =
        key !== name
          ? unknown
          : key === "qcs:ip"
            ? ipConditionHolds(operator, list, ip, unknown)
            : dateConditionHolds(operator, list, facts.now, unknown);
      if (!holds) return false;
    }
  }
  return true;
}

/** ip_equal / ip_not_equal against the request's address, `unknown` when there is none to compare. */
function ipConditionHolds(operator: string, ranges: readonly string[], ip: string | undefined, unknown: boolean): boolean {
  const matchers = ranges.map((range) => ipRange(range));
  if (ip === undefined || matchers.some((matcher) => !matcher)) return unknown;
  const inside = matchers.some((matcher) => matcher?.(ip) === true);
  return operator === "ip_equal" ? inside : !inside;
}

/** A date_ operator against the emulator's clock, to the second. */
function dateConditionHolds(operator: string, dates: readonly string[], now: number, unknown: boolean): boolean {
  const compare = DATE_OPERATORS.get(operator) as (a: number, b: number) => boolean;
  const times = dates.map((date) => Math.floor(Date.parse(date) / 1000));
  if (times.some(Number.isNaN)) return unknown;
  return times.some((time) => compare(Math.floor(now / 1000), time));
}

/** Whether a CAM action pattern covers `service:action`; case-insensitive, `*` matching any run. */
function matches(pattern: string, service: string, action: string): boolean {
  const bare = pattern.replace(/^name\//i, "");
  if (bare === "*") return true;
  const escaped = bare.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`, "i").test(`${service}:${action}`);
}

/**
 * CAM's rule: an explicit deny wins; otherwise a matching allow is needed. A statement applies when
 * one of its actions matches and all its conditions hold for the request.
 */
export function policyAllows(statements: readonly PolicyStatement[], service: string, action: string, facts: RequestFacts): boolean {
  const applies = (statement: PolicyStatement) =>
    statement.actions.some((pattern) => matches(pattern, service, action)) && conditionsHold(statement, facts);
  if (statements.some((statement) => statement.effect === "deny" && applies(statement))) return false;
  return statements.some((statement) => statement.effect === "allow" && applies(statement));
}
