import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { makeContext, runAlone } from "../../test/context.js";
import { VclmNetworkError } from "../errors/network-error.js";
import { VclmTimeoutError } from "../errors/timeout-error.js";
import { fetchTransport } from "./fetch-transport.js";

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe("fetchTransport", () => {
  it("POSTs the request as built and records status, headers and body, whatever the status", async () => {
    let seen: { method?: string | undefined; body?: string; action?: string } = {};
    const url = await serve((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        seen = { method: request.method, body, action: request.headers["x-tc-action"] as string };
        response.writeHead(502, { "x-answer": "yes" }).end("bad gateway");
      });
    });
    const context = makeContext({ request: { url, headers: { "X-TC-Action": "A" }, body: '{"a":1}' } });
    expect(await runAlone(fetchTransport, context)).toBe(1);
    expect(seen).toEqual({ method: "POST", body: '{"a":1}', action: "A" });
    expect(context.response?.status).toBe(502);
    expect(context.response?.body).toBe("bad gateway");
    expect(context.response?.headers.get("x-answer")).toBe("yes");
  });

  it("fails an attempt that takes longer than the timeout with a VclmTimeoutError", async () => {
    const url = await serve(() => {}); // never answers
    const error = await runAlone(fetchTransport, makeContext({ request: { url, headers: {}, body: "" }, timeout: 100 })).catch((e) => e);
    expect(error).toBeInstanceOf(VclmTimeoutError);
    expect(error.message).toBe("DescribeImageAnimateJob: no answer within 100 ms");
  });

  it("reports an unreachable endpoint as a VclmNetworkError with the runtime's error as cause", async () => {
    const url = await serve(() => {});
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    const error = await runAlone(fetchTransport, makeContext({ request: { url, headers: {}, body: "" } })).catch((e) => e);
    expect(error).toBeInstanceOf(VclmNetworkError);
    expect(error.url).toBe(url);
    expect(error.cause).toBeDefined();
  });

  it("reports a connection dropped mid-answer as a VclmNetworkError", async () => {
    const url = await serve((request) => request.socket.destroy());
    const error = await runAlone(fetchTransport, makeContext({ request: { url, headers: {}, body: "" } })).catch((e) => e);
    expect(error).toBeInstanceOf(VclmNetworkError);
  });

  it("rejects with the signal's own reason when aborted mid-request", async () => {
    const url = await serve(() => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await runAlone(fetchTransport, makeContext({ request: { url, headers: {}, body: "" }, signal: controller.signal })).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(DOMException);
    expect(error.name).toBe("AbortError");
  });

  it("uses the client's fetch", async () => {
    const urls: string[] = [];
    const fetch = async (input: RequestInfo | URL) => {
      urls.push(input instanceof Request ? input.url : String(input));
      return new Response('{"Response":{}}', { status: 200 });
    };
    const context = makeContext({
      request: { url: "http://127.0.0.1:9/", headers: {}, body: "" },
      client: { fetch: fetch as typeof globalThis.fetch },
    });
    await runAlone(fetchTransport, context);
    expect(urls).toEqual(["http://127.0.0.1:9/"]);
  });
});
