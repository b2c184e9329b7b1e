import { MiddlewareStack } from "../pipeline/stack.js";
import { fetchTransport } from "./fetch-transport.js";
import { parseEnvelope } from "./parse-envelope.js";
import { serializeJson } from "./serialize-json.js";
import { signRequest } from "./sign-request.js";
import { validateInput } from "./validate-input.js";
import { validateOutput } from "./validate-output.js";

/** The stack every client starts with. Its order is pinned by a test; plugins change their client's copy. */
export function defaultStack(): MiddlewareStack {
  return new MiddlewareStack()
    .add(validateInput, { name: "validateInput", phase: "validate" })
    .add(serializeJson, { name: "serializeJson", phase: "serialize" })
    .add(signRequest, { name: "signRequest", phase: "sign" })
    .add(fetchTransport, { name: "fetchTransport", phase: "transport" })
    .add(parseEnvelope, { name: "parseEnvelope", phase: "deserialize" })
    .add(validateOutput, { name: "validateOutput", phase: "deserialize" });
}
