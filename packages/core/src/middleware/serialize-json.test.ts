import { describe, expect, it } from "vitest";
import { makeContext, runAlone } from "../../test/context.js";
import { serializeJson } from "./serialize-json.js";

describe("serializeJson", () => {
  it("writes the JSON body and the action, version, region and client headers", async () => {
    const context = makeContext();
    await runAlone(serializeJson, context);
    expect(context.request.body).toBe('{"JobId":"1194931538865782784"}');
    expect(context.request.headers).toEqual({
      "Content-Type": "application/json",
      "X-TC-Action": "DescribeImageAnimateJob",
      "X-TC-Version": "2024-05-23",
      "X-TC-Region": "ap-singapore",
      "X-TC-RequestClient": "vclm-js",
    });
  });

  it("adds X-TC-Language only when a language is set", async () => {
    const context = makeContext({ client: { language: "en-US" } });
    await runAlone(serializeJson, context);
    expect(context.request.headers["X-TC-Language"]).toBe("en-US");
  });

  it("keeps headers an earlier middleware set", async () => {
    const context = makeContext({ request: { url: "http://x/", headers: { "X-TC-TraceId": "t" }, body: "" } });
    await runAlone(serializeJson, context);
    expect(context.request.headers["X-TC-TraceId"]).toBe("t");
  });
});
