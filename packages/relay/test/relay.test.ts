import { sign } from "@vclm/signer";
import { describe, expect, it } from "vitest";
import { anyoneMaySpendMyMoney, createRelay, memoryStore, type RelayOptions } from "../src/index.js";

const SECRET = { secretId: "AKIDrelayTest0000", secretKey: "relay-test-secret-key" };

/** A relay whose store already knows SECRET as issued to user "u", and a way to sign for it; `fetch` records what is forwarded. */
async function setUp(options: Partial<RelayOptions> = {}) {
  const store = options.store ?? memoryStore();
  await store.claim(
    `secret:${SECRET.secretId}`,
    JSON.stringify({ user: "u", secretKey: SECRET.secretKey }),
    Date.now() + 3_600_000,
    Date.now(),
  );
  const seen: Headers[] = [];
  const relay = createRelay({
    authorize: () => ({ id: "u" }),
    store,
    fetch: async (_, init) => {
      seen.push(new Headers(init?.headers));
      return new Response('{"Response":{}}', { headers: { "Set-Cookie": "session=leak", "Content-Type": "application/json" } });
    },
    ...options,
  });
  const signed = async (action = "DescribeImageAnimateJob", extra: Record<string, string> = {}, body = "{}") => {
    const headers = await sign(
      {
        host: "vclm.intl.tencentcloudapi.com",
        headers: { "X-TC-Action": action, "X-TC-Version": "2024-05-23", "X-TC-Region": "ap-singapore" },
        body,
      },
      { credentials: SECRET, service: "vclm", signedHeaders: ["X-TC-Action"] },
    );
    return new Request("https://app.example/vclm", { method: "POST", headers: { ...headers, ...extra }, body });
  };
  return { relay, seen, signed, store };
}

describe("createRelay", () => {
  it("cannot be made without authorize and a store: there is no default that lets everyone in", () => {
    expect(() => createRelay({} as RelayOptions)).toThrow(/needs authorize\(request\).*anyoneMaySpendMyMoney/);
    expect(() => createRelay({ authorize: () => undefined } as unknown as RelayOptions)).toThrow(/needs the store/);
  });

  it("refuses other actions and methods before anything else", async () => {
    const { relay, signed, seen } = await setUp();
    expect((await relay(await signed("GetFederationToken"))).status).toBe(403);
    expect((await relay(new Request("https://app.example/vclm"))).status).toBe(405);
    expect(seen).toHaveLength(0);
  });

  it("limits each user's request rate", async () => {
    const { relay, signed } = await setUp({ requestsPerMinute: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await relay(await signed())).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it("strips cookies both ways and sends only the signature's headers", async () => {
    const { relay, signed, seen } = await setUp();
    const answer = await relay(await signed("DescribeImageAnimateJob", { Cookie: "session=secret", "X-Private": "no" }));
    expect(answer.status).toBe(200);
    expect(seen[0]?.get("cookie")).toBeNull();
    expect(seen[0]?.get("x-private")).toBeNull();
    expect(seen[0]?.get("authorization")).toMatch(/^TC3-HMAC-SHA256 Credential=AKIDrelayTest0000\//);
    expect(answer.headers.get("set-cookie")).toBeNull();
  });

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
    const { relay, signed, seen } = await setUp({ maxBodyBytes: cap });
    const headers = (await signed("SubmitImageAnimateJob")).headers; // no Content-Length: chunked
    headers.delete("content-length");
    const answer = await relay(new Request("https://app.example/vclm", { method: "POST", headers, body, duplex: "half" } as RequestInit));
    expect(answer.status).toBe(413);
    expect(offered).toBeLessThanOrEqual(cap + 4 * chunk.byteLength); // what the stream had buffered ahead
    expect(seen).toHaveLength(0);
  });
});

describe("memoryStore", () => {
  it("when full, forgets the least recently written entries: flooding new keys does not reset an active client's window", async () => {
    const store = memoryStore({ maxEntries: 100 });
    await store.hit("active", 60_000, 0);
    await store.hit("active", 60_000, 0);
    for (let i = 0; i < 1_000; i++) {
      await store.hit(`flood-${i}`, 60_000, 0);
      if (i % 50 === 0) await store.hit("active", 60_000, 0); // the active client keeps coming
    }
    expect(await store.count("active", 60_000, 0)).toBe(2 + 20);
  });

  it("claims a key once until it expires", async () => {
    const store = memoryStore();
    expect(await store.claim("k", "a", 1_000, 0)).toBe(true);
    expect(await store.claim("k", "b", 1_000, 500)).toBe(false);
    expect(await store.get("k", 500)).toBe("a");
    expect(await store.get("k", 1_000)).toBeUndefined();
    expect(await store.claim("k", "c", 2_000, 1_000)).toBe(true);
  });
});

describe("anyoneMaySpendMyMoney", () => {
  const request = (headers: Record<string, string> = {}) => new Request("https://app.example/vclm", { headers });

  it("keys a user by the connection's address, never by a header the client writes", async () => {
    const authorize = anyoneMaySpendMyMoney();
    expect(await authorize(request({ "X-Forwarded-For": "1.2.3.4" }), { remoteAddress: "198.51.100.7" })).toEqual({
      id: "address:198.51.100.7",
    });
    expect(await authorize(request({ "X-Forwarded-For": "1.2.3.4", "CF-Connecting-IP": "5.6.7.8" }), {})).toBeUndefined();
  });

  it("believes X-Forwarded-For only from a configured proxy, and CF-Connecting-IP only when told it runs on Cloudflare", async () => {
    const behindProxy = anyoneMaySpendMyMoney({ proxies: ["10.0.0.5"] });
    const forwarded = request({ "X-Forwarded-For": "forged-by-client, 203.0.113.9" });
    expect(await behindProxy(forwarded, { remoteAddress: "10.0.0.5" })).toEqual({ id: "address:203.0.113.9" });
    expect(await behindProxy(forwarded, { remoteAddress: "198.51.100.7" })).toEqual({ id: "address:198.51.100.7" });
    expect(await anyoneMaySpendMyMoney("cloudflare")(request({ "CF-Connecting-IP": "203.0.113.9" }), {})).toEqual({
      id: "address:203.0.113.9",
    });
  });
});
