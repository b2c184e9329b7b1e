import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { sendableBody } from "./sendable-body.js";

describe("sendableBody", () => {
  it("on Node, sends a large byte body as a stream of views: exact Content-Length, not chunked, every byte intact", async () => {
    const body = new Uint8Array(5 * 1024 * 1024 + 7).map((_, i) => (i * 31) % 251);
    const seen: { headers?: IncomingHttpHeaders; digest?: string } = {};
    const server = createServer((request, response) => {
      const hash = createHash("sha256");
      request.on("data", (chunk) => hash.update(chunk));
      request.on("end", () => {
        Object.assign(seen, { headers: request.headers, digest: hash.digest("hex") });
        response.end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const sendable = sendableBody(body, { "Content-Type": "application/json" });
      expect(sendable.body).toBeInstanceOf(ReadableStream);
      await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
        method: "POST",
        headers: sendable.headers,
        body: sendable.body,
        duplex: "half",
      } as RequestInit);
      expect(seen.headers?.["content-length"]).toBe(String(body.byteLength));
      expect(seen.headers?.["transfer-encoding"]).toBeUndefined();
      expect(seen.digest).toBe(createHash("sha256").update(body).digest("hex"));
    } finally {
      server.close();
    }
  });

  it("leaves strings and small bodies as they are", () => {
    const headers = { "Content-Type": "application/json" };
    expect(sendableBody("{}", headers)).toEqual({ body: "{}", headers });
    const small = new Uint8Array(1000);
    expect(sendableBody(small, headers).body).toBe(small);
  });
});
