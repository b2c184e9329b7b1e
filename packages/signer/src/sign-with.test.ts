import { sign3 } from "@vclm/tools/signing-oracle";
import { describe, expect, it } from "vitest";
import { builds } from "../test/builds.js";
import { published } from "../test/published.js";
import { nodeCrypto } from "./crypto.node.js";
import { SignerError } from "./errors.js";
import { signWith } from "./sign-with.js";

const credentials = { secretId: "AKIDexample", secretKey: "secret-key-value" };
const request = {
  host: "vclm.intl.tencentcloudapi.com",
  headers: { "X-TC-Action": "DescribeImageAnimateJob" },
  body: '{"JobId":"1194931538865782784"}',
};

describe.each(builds)("sign ($build build)", ({ sign }) => {
  it.each(published)("reproduces the $name signature", async ({ request: { bodyBase64: _, ...req }, options, authorization }) => {
    expect((await sign(req, options)).Authorization).toBe(authorization);
  });

  it("returns the request's headers plus the timestamp and Authorization", async () => {
    const headers = await sign(request, { credentials, timestamp: 1_700_000_000, signedHeaders: ["X-TC-Action"] });
    expect(Object.keys(headers)).toEqual(["X-TC-Action", "Content-Type", "Authorization", "X-TC-Timestamp"]);
    expect(headers["X-TC-Timestamp"]).toBe("1700000000");
    expect(headers.Authorization).toMatch(
      /^TC3-HMAC-SHA256 Credential=AKIDexample\/2023-11-14\/vclm\/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=[0-9a-f]{64}$/,
    );
  });

  it("sends X-TC-Token for temporary credentials, and the token does not change the signature", async () => {
    const options = { timestamp: 1_700_000_000 };
    const permanent = await sign(request, { ...options, credentials });
    const temporary = await sign(request, { ...options, credentials: async () => ({ ...credentials, token: "session-token" }) });
    expect(temporary["X-TC-Token"]).toBe("session-token");
    expect(permanent["X-TC-Token"]).toBeUndefined();
    expect(temporary.Authorization).toBe(permanent.Authorization);
  });

  it("signs UNSIGNED-PAYLOAD instead of the body when asked, whatever the body", async () => {
    const options = { credentials, timestamp: 1_700_000_000, unsignedPayload: true };
    const a = await sign(request, options);
    const b = await sign({ ...request, body: '{"JobId":"other"}' }, options);
    expect(a["X-TC-Content-SHA256"]).toBe("UNSIGNED-PAYLOAD");
    expect(a.Authorization).toBe(b.Authorization);
    expect(a.Authorization).not.toBe((await sign(request, { ...options, unsignedPayload: false })).Authorization);
  });

  it("re-signs its own output to the same result, without duplicated headers", async () => {
    const options = { credentials: { ...credentials, token: "t" }, timestamp: 1_700_000_000, signedHeaders: ["X-TC-Action"] };
    const once = await sign(request, options);
    const twice = await sign({ ...request, headers: { ...once } }, options);
    expect({ ...twice }).toEqual({ ...once });
  });

  it("derives the signing key per date: a signature across UTC midnight uses the new day's scope", async () => {
    const midnight = 1_700_006_400; // 2023-11-15T00:00:00Z
    const before = await sign(request, { credentials, timestamp: midnight - 1 });
    const after = await sign(request, { credentials, timestamp: midnight });
    expect(before.Authorization).toContain("/2023-11-14/vclm/");
    expect(after.Authorization).toContain("/2023-11-15/vclm/");
  });

  it("signs a 10 MB photo as base64 JSON (about 13.4 MB) as the official SDK does", async () => {
    const photo = new Uint8Array(10 * 1024 * 1024).map((_, i) => (i * 2_654_435_761) >>> 24);
    const body = JSON.stringify({ ImageBase64: Buffer.from(photo).toString("base64"), TemplateId: "ke3" });
    expect(body.length).toBeGreaterThan(13_900_000);
    const vector = {
      request: { method: "POST" as const, host: request.host, query: "", headers: {}, body },
      options: { credentials, timestamp: 1_700_000_000 },
    };
    expect((await sign(vector.request, vector.options)).Authorization).toBe(sign3(vector));
  });
});

describe("sign's checks", () => {
  it("reject bad input before the credentials are fetched or anything is hashed", async () => {
    let hashed = 0;
    let provided = 0;
    const counting = {
      ...nodeCrypto,
      sha256Hex: (data: Parameters<typeof nodeCrypto.sha256Hex>[0]) => {
        hashed++;
        return nodeCrypto.sha256Hex(data);
      },
    };
    const sign = signWith(counting);
    const provider = () => {
      provided++;
      return credentials;
    };
    await expect(sign({ ...request, headers: { "X-Evil": "a\nb" } }, { credentials: provider })).rejects.toBeInstanceOf(SignerError);
    await expect(sign(request, { credentials: provider, timestamp: 1.5 })).rejects.toBeInstanceOf(SignerError);
    expect({ hashed, provided }).toEqual({ hashed: 0, provided: 0 });
    await sign(request, { credentials: provider });
    expect({ hashed, provided }).toEqual({ hashed: 2, provided: 1 });
  });
});
