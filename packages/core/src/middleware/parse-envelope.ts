import { VclmResponseError } from "../errors/response-error.js";
import { VclmServiceError } from "../errors/service-error.js";
import type { Middleware } from "../pipeline/stack.js";

interface Envelope {
  Response?: { RequestId?: unknown; Error?: { Code?: unknown; Message?: unknown } } & Record<string, unknown>;
}

/**
 * Reads the `{"Response": ...}` envelope: a service error becomes a {@link VclmServiceError}; a
 * non-200 status, a body that is not JSON or has no `Response`, a {@link VclmResponseError}.
 */
export const parseEnvelope: Middleware = async (context, next) => {
  const { response, operation } = context;
  if (!response) throw new TypeError("parseEnvelope ran before any transport set context.response");
  const { status, body } = response;
  const action = operation.action;
  let envelope: Envelope | undefined;
  try {
    envelope = JSON.parse(body);
  } catch {
    // Not JSON: reported below, with the status, which explains most such answers.
  }
  const answer = envelope?.Response;
  const requestId = typeof answer?.RequestId === "string" ? answer.RequestId : undefined;
  if (status !== 200) {
    throw new VclmResponseError(`HTTP ${status} from the gateway or network, not an answer from the service`, {
      action,
      status,
      requestId,
      body,
    });
  }
  if (!answer || typeof answer !== "object") {
    throw new VclmResponseError(envelope ? 'the answer has no "Response" object' : "the answer is not JSON", {
      action,
      status,
      requestId,
      body,
    });
  }
  if (answer.Error) {
    const { Code, Message } = answer.Error;
    throw new VclmServiceError({ code: String(Code), message: String(Message ?? ""), requestId, action, status });
  }
  context.output = answer;
  await next();
};
