import { sign } from "@vclm/signer";
import { describe, expect, it } from "vitest";
import { credentials, makeContext, runAlone } from "../../test/context.js";
import { serializeJson } from "./serialize-json.js";
import { signRequest } from "./sign-request.js";

async function signed(client = {}) {
  const context = makeContext({ client });
  await runAlone(serializeJson, context);
  await runAlone(signRequest, context);
  return context.request.headers;
}

describe("signRequest", () => {
  it("signs for the signing host (not the endpoint's), covering content-type, host and x-tc-action", async () => {
    const headers = await signed();
    const { Authorization, "X-TC-Timestamp": timestamp, ...rest } = headers;
    expect(Authorization).toMatch(/Credential=AKIDtest\/\d{4}-\d\d-\d\d\/vclm\/tc3_request, SignedHeaders=content-type;host;x-tc-action, /);
    const again = await sign(
      { host: "vclm.intl.tencentcloudapi.com", headers: rest, body: '{"JobId":"1194931538865782784"}' },
      { credentials, timestamp: Number(timestamp), signedHeaders: ["X-TC-Action"] },
    );
    expect(Authorization).toBe(again.Authorization);
  });

  it("signs with the client's clock offset", async () => {
    const now = Math.floor(Date.now() / 1000);
    const timestamp = Number((await signed({ clockOffset: 600 }))["X-TC-Timestamp"]);
    expect(timestamp - now).toBeGreaterThanOrEqual(599);
    expect(timestamp - now).toBeLessThanOrEqual(601);
  });

  it("calls the credentials provider on every signing", async () => {
    let calls = 0;
    const provider = async () => {
      calls++;
      return { ...credentials, token: `token-${calls}` };
    };
    expect((await signed({ credentials: provider }))["X-TC-Token"]).toBe("token-1");
    expect((await signed({ credentials: provider }))["X-TC-Token"]).toBe("token-2");
  });
});
