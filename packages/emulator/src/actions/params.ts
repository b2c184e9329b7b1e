import { type Answer, serviceError } from "../wire/envelope.js";

type Kind = "string" | "boolean" | "integer" | "object";

/** A field rule: its type, and for objects the rules of their fields. */
export interface Field {
  readonly kind: Kind;
  readonly fields?: Readonly<Record<string, Field>>;
}

const typeNames: Record<Kind, string> = { string: "a String", boolean: "a Boolean", integer: "an Integer", object: "an Object" };

const matches = (value: unknown, kind: Kind) =>
  kind === "integer"
    ? Number.isSafeInteger(value)
    : kind === "object"
      ? typeof value === "object" && value !== null && !Array.isArray(value)
      : typeof value === kind;

/**
 * Checks parameters the way Tencent Cloud APIs report them: an unknown name is UnknownParameter, a
 * wrong type InvalidParameter. Returns the first problem, or undefined.
 */
export function checkFields(params: Record<string, unknown>, fields: Readonly<Record<string, Field>>, prefix = ""): Answer | undefined {
  for (const [name, value] of Object.entries(params)) {
    const path = prefix + name;
    const field = fields[name];
    if (!field) return serviceError("UnknownParameter", `The parameter \`${path}\` is not recognized.`);
    if (value === null || value === undefined) continue;
    if (!matches(value, field.kind)) return serviceError("InvalidParameter", `The parameter \`${path}\` must be ${typeNames[field.kind]}.`);
    if (field.fields) {
      const problem = checkFields(value as Record<string, unknown>, field.fields, `${path}.`);
      if (problem) return problem;
    }
  }
  return undefined;
}

export const missing = (name: string): Answer =>
  serviceError("MissingParameter", `The request is missing the required parameter \`${name}\`.`);
