import { type Answer, serviceError } from "../wire/envelope.js";

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
}

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
    if (condition !== undefined) return invalid(`statement[${i}].condition is not supported by this emulator`);
    statements.push({ effect: kind, actions: actions as string[] });
  }
  return statements;
}

/** Whether a CAM action pattern covers `service:action`; case-insensitive, `*` matching any run. */
function matches(pattern: string, service: string, action: string): boolean {
  const bare = pattern.replace(/^name\//i, "");
  if (bare === "*") return true;
  const escaped = bare.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`, "i").test(`${service}:${action}`);
}

/** CAM's rule: an explicit deny wins; otherwise a matching allow is needed. */
export function policyAllows(statements: readonly PolicyStatement[], service: string, action: string): boolean {
  const applies = (statement: PolicyStatement) => statement.actions.some((pattern) => matches(pattern, service, action));
  if (statements.some((statement) => statement.effect === "deny" && applies(statement))) return false;
  return statements.some((statement) => statement.effect === "allow" && applies(statement));
}
