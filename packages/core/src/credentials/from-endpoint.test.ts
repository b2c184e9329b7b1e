import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { VclmResponseError } from "../errors/response-error.js";
import { fromEndpoint } from "./from-endpoint.js";

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(answers: (() => [number, string])[]): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  server = createServer((_, response) => {
    const [status, body] = (answers[Math.min(hits, answers.length - 1)] as () => [number, string])();
    hits++;
    response.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/credentials`, hits: () => hits };
}

const sts = (id: string, expiresInSeconds: number) =>
  JSON.stringify({
    Credentials: { TmpSecretId: id, TmpSecretKey: "tmp-key-secret", Token: "tok" },
    ExpiredTime: Math.floor(Date.now() / 1000) + expiresInSeconds,
  });

describe("fromEndpoint", () => {
  it("turns an STS answer (bare or in its Response envelope) into credentials, and caches them", async () => {
    const { url, hits } = await serve([() => [200, JSON.stringify({ Response: JSON.parse(sts("AKIDtmp", 3600)) })]]);
    const provider = fromEndpoint(url);
    expect(await provider()).toMatchObject({ secretId: "AKIDtmp", secretKey: "tmp-key-secret", token: "tok" });
    await provider();
    expect(hits()).toBe(1);
  });

  it("refreshes ahead of expiry", async () => {
    const { url, hits } = await serve([() => [200, sts("first", 60)], () => [200, sts("second", 3600)]]);
    let ahead = 0; // how far the cache's clock is ahead of the real one
    const provider = fromEndpoint(url, { refreshBefore: 120_000, now: () => Date.now() + ahead });
    expect((await provider()).secretId).toBe("first"); // valid 60 s: refreshed once half of that is left
    expect((await provider()).secretId).toBe("first");
    expect(hits()).toBe(1);
    ahead = 40_000; // 20 s left, inside the window
    expect((await provider()).secretId).toBe("first"); // served at once, refresh started behind it
    // Wait for the background refresh, however slow the machine, then see it taken.
    const deadline = Date.now() + 10_000;
    let seen = "first";
    while (seen === "first" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen = (await provider()).secretId;
    }
    expect(seen).toBe("second");
    expect(hits()).toBe(2);
  });

  it("reports an endpoint failure, then tries again on the next call", async () => {
    const { url } = await serve([() => [503, "down"], () => [200, sts("back", 3600)]]);
    const provider = fromEndpoint(url);
    await expect(provider()).rejects.toThrow(/answered HTTP 503/);
    expect((await provider()).secretId).toBe("back");
  });

  it("rejects an answer without credentials, naming the fields but never quoting the body", async () => {
    const { url } = await serve([
      () => [200, JSON.stringify({ Credentials: { TmpSecretId: "x", TmpSecretKey: 12345678 }, ExpiredTime: 1 })],
    ]);
    const error = (await Promise.resolve(fromEndpoint(url)()).catch((e: unknown) => e)) as VclmResponseError;
    expect(error).toBeInstanceOf(VclmResponseError);
    expect(error.message).toContain("Credentials.TmpSecretKey");
    expect(error.message).not.toContain("12345678");
    expect(error.bodyExcerpt).toBe("");
  });

  it.each([
    ["in milliseconds", () => Date.now() + 3_600_000, /ExpiredTime \d+ \(too far ahead: it must be unix seconds, not milliseconds/],
    ["already past", () => Math.floor(Date.now() / 1000) - 60, /ExpiredTime \d+ \(already past\)/],
  ])("rejects an ExpiredTime %s instead of caching it", async (_, expiredTime, message) => {
    const body = JSON.stringify({
      Credentials: { TmpSecretId: "id", TmpSecretKey: "tmp-key-secret", Token: "tok" },
      ExpiredTime: expiredTime(),
    });
    const { url, hits } = await serve([() => [200, body]]);
    const provider = fromEndpoint(url);
    const error = await Promise.resolve(provider()).catch((e: Error) => e);
    expect(error).toBeInstanceOf(VclmResponseError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("tmp-key-secret");
    await Promise.resolve(provider()).catch(() => {});
    expect(hits()).toBe(2); // not cached: asked again
  });
});
