import type { Caller } from "./accounts.js";
import { ACTIONS, type Action } from "./actions/registry.js";
import { policyAllows } from "./auth/policy.js";
import { verify } from "./auth/verify.js";
import type { Service } from "./service.js";
import { type Answer, serviceError } from "./wire/envelope.js";
import { readBody } from "./wire/read-body.js";

/** A request that passed every check: what it asks for, who asks, with what. */
export interface CheckedRequest {
  readonly action: Action;
  readonly caller: Caller;
  readonly params: Record<string, unknown>;
  /** The emulator's time once the body was read: what the signature's timestamp was checked against. */
  readonly now: number;
}

/**
 * Checks an API request in the service's order, and answers the first problem with its code: body
 * size, action, version, content type, signature (or the unsigned action's Authorization), the
 * temporary credentials' policy, region, request rate, then the JSON body.
 */
export async function checkRequest(
  service: Service,
  request: Request,
  name: string,
  ip: string | undefined,
): Promise<CheckedRequest | Answer> {
  const body = await readBody(request);
  if (!("text" in body)) return body;
  if (!name) return serviceError("MissingParameter", "The request is missing the X-TC-Action header.");
  const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
  if (!action) return serviceError("InvalidAction", `The action \`${name}\` does not exist.`);
  const version = request.headers.get("x-tc-version");
  if (!version) return serviceError("MissingParameter", "The request is missing the X-TC-Version header.");
  if (version !== action.version)
    return serviceError("NoSuchVersion", `The version \`${version}\` of ${name} does not exist; use ${action.version}.`);
  if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? ""))
    return serviceError("InvalidParameter", "The Content-Type must be application/json.");

  const now = service.clock.now();
  // The signature covers the bytes as received, not their decoding. An unsigned action's caller is
  // anonymous (its rate is shared by all); what it carries (a token) is its proof.
  const caller = action.unsigned
    ? unsignedCaller(request)
    : await verify(request, body.bytes, action.service, service.credentials.keys, now);
  if (!("accountId" in caller)) return caller;
  if (caller.temporary?.policy && !policyAllows(caller.temporary.policy, action.service, name, { ip, now }))
    return serviceError("UnauthorizedOperation", `The temporary credentials' policy does not allow ${action.service}:${name}.`);
  if (action.service === "vclm" && !request.headers.get("x-tc-region"))
    return serviceError("MissingParameter", "The request is missing the X-TC-Region header.");
  if (!service.rate.allow(caller.accountId, name, now)) return serviceError("RequestLimitExceeded", "Too many requests: slow down.");

  const parsed = parseObject(body.text);
  return "params" in parsed ? { action, caller, params: parsed.params, now } : parsed;
}

function unsignedCaller(request: Request): Caller | Answer {
  const authorization = request.headers.get("authorization");
  if (authorization !== null && authorization !== "SKIP")
    return serviceError("AuthFailure.InvalidAuthorization", "This action is sent unsigned: Authorization must be SKIP.");
  return { accountId: "", temporary: undefined };
}

function parseObject(text: string): { params: Record<string, unknown> } | Answer {
  let params: unknown;
  try {
    params = text ? JSON.parse(text) : {};
  } catch {
    return serviceError("InvalidParameter", "The request body is not valid JSON.");
  }
  if (typeof params !== "object" || params === null || Array.isArray(params))
    return serviceError("InvalidParameter", "The request body must be a JSON object.");
  return { params: params as Record<string, unknown> };
}
