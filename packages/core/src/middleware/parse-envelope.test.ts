import { describe, expect, it } from "vitest";
import { makeContext, runAlone } from "../../test/context.js";
import { VclmResponseError } from "../errors/response-error.js";
import { isServiceError, VclmServiceError } from "../errors/service-error.js";
import { parseEnvelope } from "./parse-envelope.js";

const answer = (status: number, body: string) => makeContext({ response: { status, headers: new Headers(), body } });

describe("parseEnvelope", () => {
  it("takes the Response object as the output", async () => {
    const context = answer(200, '{"Response":{"JobId":"1","RequestId":"r"}}');
    expect(await runAlone(parseEnvelope, context)).toBe(1);
    expect(context.output).toEqual({ JobId: "1", RequestId: "r" });
  });

  it("turns an error envelope into a VclmServiceError with code, message, RequestId, action and status", async () => {
    const context = answer(
      200,
      '{"Response":{"Error":{"Code":"FailedOperation.JobNotFound","Message":"no such job"},"RequestId":"req-1"}}',
    );
    const error = await runAlone(parseEnvelope, context).catch((e) => e);
    expect(error).toBeInstanceOf(VclmServiceError);
    expect(isServiceError(error, "FailedOperation.JobNotFound")).toBe(true);
    expect(isServiceError(error, "InternalError")).toBe(false);
    expect(error).toMatchObject({
      code: "FailedOperation.JobNotFound",
      serviceMessage: "no such job",
      requestId: "req-1",
      action: "DescribeImageAnimateJob",
      status: 200,
    });
    expect(error.message).toBe("DescribeImageAnimateJob failed: FailedOperation.JobNotFound: no such job (RequestId req-1)");
  });

  it.each([
    ["a non-200 status", 502, "<html>bad gateway</html>", /HTTP 502 from the gateway or network, not an answer from the service/],
    ["a 200 that is not JSON", 200, "<html>oops</html>", /the answer is not JSON \(HTTP 200\)/],
    ["JSON without Response", 200, '{"ok":true}', /has no "Response" object/],
    ["an empty body", 200, "", /not JSON/],
  ])("reports %s as a VclmResponseError with the status and an excerpt", async (_, status, body, message) => {
    const error = await runAlone(parseEnvelope, answer(status, body)).catch((e) => e);
    expect(error).toBeInstanceOf(VclmResponseError);
    expect(error.message).toMatch(message);
    expect(error.status).toBe(status);
    expect(error.bodyExcerpt).toBe(body.slice(0, 200));
  });

  it("keeps the RequestId of a non-200 answer that has one", async () => {
    const error = await runAlone(parseEnvelope, answer(503, '{"Response":{"RequestId":"r-503"}}')).catch((e) => e);
    expect(error.requestId).toBe("r-503");
  });
});
