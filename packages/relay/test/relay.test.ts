import { defineOperation, systemClock } from "@vclm/core";
import { sign } from "@vclm/signer";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { anyoneMaySpendMyMoney, createRelay, memoryStore, type RelayOptions, type RelayStore, RelayStoreError } from "../src/index.js";

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

  it("forwards JSON only: another content type is refused with 415, not forwarded", async () => {
    const { relay, seen } = await setUp();
    // Signed as text/plain (the content type is part of the signature): genuine, and still not JSON.
    const headers = await sign(
      {
        host: "vclm.intl.tencentcloudapi.com",
        headers: {
          "X-TC-Action": "DescribeImageAnimateJob",
          "X-TC-Version": "2024-05-23",
          "X-TC-Region": "ap-singapore",
          "Content-Type": "text/plain",
        },
        body: "{}",
      },
      { credentials: SECRET, service: "vclm", signedHeaders: ["X-TC-Action"] },
    );
    const answer = await relay(new Request("https://app.example/vclm", { method: "POST", headers: { ...headers }, body: "{}" }));
    expect(answer.status).toBe(415);
    expect(seen).toHaveLength(0);
  });

  it("every operation that is not idempotent is paid: a new paid action counts against the quota and is never replayed", async () => {
    const MakeSomethingPaid = defineOperation({
      action: "MakeSomethingPaid",
      version: "2024-05-23",
      service: "vclm",
      input: v.object({ What: v.string() }),
      output: v.object({ JobId: v.string(), RequestId: v.string() }),
      idempotent: false,
    });
    const { relay, signed, seen } = await setUp({ operations: [MakeSomethingPaid], submitsPerDay: 1 });
    const first = await signed("MakeSomethingPaid", {}, '{"What":"a"}');
    expect((await relay(first.clone())).status).toBe(200);
    expect((await relay(first)).status).toBe(403); // the same signature again: a replay
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // a new second, a new signature
    expect((await relay(await signed("MakeSomethingPaid", {}, '{"What":"b"}'))).status).toBe(429);
    expect(seen).toHaveLength(1);
  });

  it("gives a unit of quota back when the service's answer shows no job was made; keeps it otherwise", async () => {
    const answers: string[] = [];
    const { relay, signed, store } = await setUp({
      submitsPerDay: 5,
      fetch: async () => {
        const next = answers.shift() ?? "job";
        if (next === "502") return new Response("<html>bad gateway</html>", { status: 502, headers: { "Content-Type": "text/html" } });
        if (next === "lost") throw new TypeError("fetch failed");
        const Response_ =
          next === "job" ? { JobId: "7000000000000000001", RequestId: "r" } : { Error: { Code: next, Message: "m" }, RequestId: "r" };
        return new Response(JSON.stringify({ Response: Response_ }), { headers: { "Content-Type": "application/json" } });
      },
    });
    const used = () => store.count("submit:u", 86_400_000, Date.now());
    const submit = async (answer: string, i: number) => {
      answers.push(answer);
      return relay(
        await signed("SubmitImageAnimateJob", {}, JSON.stringify({ TemplateId: "ke3", ImageUrl: `https://x.example/${i}.jpg` })),
      ).catch(() => undefined);
    };
    // Proved no job: given back.
    for (const [i, code] of [
      "RequestLimitExceeded.JobNumExceed",
      "AuthFailure.SignatureFailure",
      "InvalidParameterValue",
      "FailedOperation.ImageDetectFaceFailed",
    ].entries()) {
      await submit(code, i);
      expect(await used(), code).toBe(0);
    }
    // Might have made one: kept.
    await submit("InternalError", 10);
    await submit("502", 11);
    await submit("lost", 12);
    expect(await used()).toBe(3);
    await submit("job", 13);
    expect(await used()).toBe(4);
  });

  it("a refund whose answer was lost is not asked again: one unit back for a Submit that made no job, never two (found by the relay explorer)", async () => {
    const store = memoryStore();
    let lose = 1;
    // The store gives the unit back, and its answer is lost on the way (a Durable Object or Redis over a network).
    const lossy: RelayStore = {
      ...store,
      giveBack: async (...args) => {
        await store.giveBack(...args);
        if (lose-- > 0) throw new RelayStoreError("the relay's store (a Durable Object) did not answer: other side closed");
      },
    };
    const answers = [
      '{"Response":{"JobId":"7000000000000000001","RequestId":"r"}}',
      '{"Response":{"Error":{"Code":"RequestLimitExceeded.JobNumExceed","Message":"m"},"RequestId":"r"}}',
    ];
    const { relay, signed } = await setUp({
      store: lossy,
      submitsPerDay: 2,
      clock: { ...systemClock, sleep: async () => {} },
      fetch: async () => new Response(answers.shift(), { headers: { "Content-Type": "application/json" } }),
    });
    const submit = async (i: number) =>
      (
        await relay(
          await signed("SubmitImageAnimateJob", {}, JSON.stringify({ TemplateId: "ke3", ImageUrl: `https://x.example/${i}.jpg` })),
        )
      ).status;
    expect([await submit(1), await submit(2)]).toEqual([200, 200]);
    // One job made, one unit held: a second refund would let a third job through a quota of 2.
    expect(await store.count("submit:u", 86_400_000, Date.now())).toBe(1);
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
  it("never evicts a live entry: when full of live ones, refuses new work (RelayStoreError) and keeps every record it holds", async () => {
    const store = memoryStore({ maxEntries: 100 });
    expect(await store.take("submit:victim", 1, 86_400_000, 0)).toBe(true); // the victim's quota, used up
    for (let i = 0; i < 99; i++) await store.claim(`flood-${i}`, "x", 60_000, 0);
    await expect(store.claim("one-more", "x", 60_000, 0)).rejects.toThrow(RelayStoreError);
    expect(await store.take("submit:victim", 1, 86_400_000, 1)).toBe(false); // still used up
    // Expired entries make room again.
    expect(await store.claim("later", "x", 120_000, 60_000)).toBe(true);
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
