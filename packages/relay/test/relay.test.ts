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

describe("createRelay, review defects", () => {
  it("stops reading a chunked body at the cap: 200 MiB offered, about 1 MiB read, 413", async () => {
    const cap = 1024 * 1024;
    const chunk = new Uint8Array(64 * 1024);
    let offered = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offered >= 200 * 1024 * 1024) return controller.close();
        offered += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    let forwarded = 0;
    const relay = createRelay({
      maxBodyBytes: cap,
      fetch: async () => {
        forwarded++;
        return new Response("{}");
      },
    });
    const request = new Request("https://app.example/vclm", {
      method: "POST",
      headers: { "X-TC-Action": "SubmitImageAnimateJob" }, // no Content-Length: chunked
      body,
      duplex: "half",
    } as RequestInit);
    const answer = await relay(request);
    expect(answer.status).toBe(413);
    expect(offered).toBeLessThanOrEqual(cap + 4 * chunk.byteLength); // what the stream had buffered ahead
    expect(forwarded).toBe(0);
  });

  it("forgets only the least recently seen client when full: flooding new keys does not reset an active client's window", async () => {
    const relay = createRelay({
      target: "https://vclm.intl.tencentcloudapi.com/",
      requestsPerMinute: 2,
      maxClients: 100,
      fetch: async () => new Response('{"Response":{}}'),
      now: () => 0,
    });
    const from = (address: string) =>
      relay(
        new Request("https://app.example/vclm", { method: "POST", headers: { "X-TC-Action": "DescribeImageAnimateJob" }, body: "{}" }),
        {
          remoteAddress: address,
        },
      );
    await from("198.51.100.1");
    await from("198.51.100.1");
    for (let i = 0; i < 1_000; i++) {
      await from(`203.0.113.${i % 250}.${i}`); // an attacker with ever-new keys
      if (i % 50 === 0) expect((await from("198.51.100.1")).status).toBe(429); // the client keeps trying: still limited
    }
    expect((await from("198.51.100.1")).status).toBe(429);
  });

  it("keys clients without a proxy header by their connection's address, not one shared bucket", async () => {
    const relay = createRelay({ requestsPerMinute: 1, fetch: async () => new Response('{"Response":{}}'), now: () => 0 });
    const from = (address: string) =>
      relay(
        new Request("https://app.example/vclm", { method: "POST", headers: { "X-TC-Action": "DescribeImageAnimateJob" }, body: "{}" }),
        {
          remoteAddress: address,
        },
      );
    expect((await from("198.51.100.1")).status).toBe(200);
    expect((await from("198.51.100.1")).status).toBe(429);
    expect((await from("198.51.100.2")).status).toBe(200);
  });
});
