import { describe, expect, it } from "vitest";
import { makeContext, runAlone } from "../../test/context.js";
import { VclmResponseError } from "../errors/response-error.js";
import { validateOutput } from "./validate-output.js";

const done = { Status: "DONE", ErrorCode: "", ErrorMessage: "", ResultVideoUrl: "https://v/1.mp4", RequestId: "r" };

describe("validateOutput", () => {
  it("passes a well-formed answer, dropping fields the schema does not know", async () => {
    const context = makeContext({ output: { ...done, NewField: 1 } });
    await runAlone(validateOutput, context);
    expect(context.output).toEqual(done);
  });

  it("makes a malformed answer an error that carries the RequestId and says what is wrong", async () => {
    const context = makeContext({
      output: { ...done, Status: "FINISHED", ResultVideoUrl: 42 },
      response: { status: 200, headers: new Headers(), body: "{}" },
    });
    const error = await runAlone(validateOutput, context).catch((e) => e);
    expect(error).toBeInstanceOf(VclmResponseError);
    expect(error.requestId).toBe("r");
    expect(error.message).toMatch(/does not match the DescribeImageAnimateJob schema \(Status: .*; ResultVideoUrl: .*\)/);
  });
});
