import { DescribeImageAnimateJob, SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRelay } from "../src/relay.js";

let running: RunningEmulator;
beforeAll(async () => {
  running = await startEmulator({ clock: "manual" });
  running.emulator.clock.set(Date.now());
});
afterAll(() => running.close());

/** A client whose requests reach the relay as a browser's would (same origin), signed for the emulator's host. */
function clientThrough(relay: (request: Request) => Promise<Response>, headers: Record<string, string> = {}) {
  return new VclmClient({
    region: "ap-singapore",
    endpoint: "https://app.example/vclm",
    signingHost: "127.0.0.1",
    credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
    fetch: (input, init) => {
      const request = new Request(input, init);
      for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
      return relay(request);
    },
  });
}

describe("createRelay", () => {
  it("forwards signed VCLM calls unchanged: the emulator checks the browser's signature", async () => {
    const client = clientThrough(createRelay({ target: running.url }));
    const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" });
    expect((await client.send(DescribeImageAnimateJob, { JobId })).Status).toBe("WAIT");
  });

  it("refuses other actions, other methods, big bodies and fast clients, before forwarding anything", async () => {
    const relay = createRelay({ target: running.url, maxBodyBytes: 1000, requestsPerMinute: 2, clientKey: () => "one" });
    const post = (action: string, body = "{}") =>
      relay(new Request("https://app.example/vclm", { method: "POST", headers: { "X-TC-Action": action }, body }));
    expect((await post("GetFederationToken")).status).toBe(403);
    expect((await relay(new Request("https://app.example/vclm"))).status).toBe(405);
    expect((await post("DescribeImageAnimateJob", "x".repeat(2000))).status).toBe(413);
    await post("DescribeImageAnimateJob");
    expect((await post("DescribeImageAnimateJob")).status).toBe(429);
  });

  it("strips cookies both ways and sends only the signature's headers", async () => {
    const seen: Headers[] = [];
    const relay = createRelay({
      target: "https://vclm.intl.tencentcloudapi.com/",
      fetch: async (_, init) => {
        seen.push(new Headers(init?.headers));
        return new Response('{"Response":{}}', { headers: { "Set-Cookie": "session=leak", "Content-Type": "application/json" } });
      },
    });
    const answer = await relay(
      new Request("https://app.example/vclm", {
        method: "POST",
        headers: {
          "X-TC-Action": "DescribeImageAnimateJob",
          Authorization: "TC3-HMAC-SHA256 ...",
          Cookie: "session=secret",
          "X-Private": "no",
        },
        body: "{}",
      }),
    );
    expect(seen[0]?.get("cookie")).toBeNull();
    expect(seen[0]?.get("x-private")).toBeNull();
    expect(seen[0]?.get("authorization")).toBe("TC3-HMAC-SHA256 ...");
    expect(answer.headers.get("set-cookie")).toBeNull();
  });
});
