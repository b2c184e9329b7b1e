// The admin API and the metadata routes answer only requests that name this machine: a page that
// reached the emulator by DNS rebinding sends its own host name, and gets 403, so it can neither
// move the clock, list jobs, nor read the instance role's credentials. Over the Node server's real
// HTTP with the Host header a browser would send, and in process through the fetch handler.
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator } from "../src/emulator.js";
import { type RunningEmulator, startEmulator } from "../src/node.js";

let running: RunningEmulator;
let port: string;
beforeAll(async () => {
  running = await startEmulator({ clock: "manual", instanceRole: { roleName: "vclm-cvm" }, allowedHosts: ["metadata.tencentyun.com"] });
  port = new URL(running.url).port;
});
afterAll(() => running.close());

/** A request to the emulator (always at 127.0.0.1) whose Host header names `host`; its status and body. */
function sendAs(host: string, path: string, method = "GET", body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Host: host.includes(":") && !host.endsWith("]") ? host : `${host}:${port}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const sent = httpRequest({ host: "127.0.0.1", port, path, method, headers }, (answer) => {
      let text = "";
      answer.on("data", (chunk) => {
        text += chunk;
      });
      answer.on("end", () => resolve({ status: answer.statusCode ?? 0, body: text }));
    });
    sent.on("error", reject);
    sent.end(body);
  });
}

const CREDENTIALS = "/latest/meta-data/cam/security-credentials/vclm-cvm";
const LOOPBACK = ["localhost", "127.0.0.1", "127.0.0.2", "127.255.255.254", "[::1]", "vclm.localhost"];
const FOREIGN = [
  "evil.example",
  "rebind.evil.example",
  "0.0.0.0",
  "192.168.1.10",
  "[::2]",
  "localhost.evil.example",
  "127.0.0.1.evil.example",
];

describe("the admin API and the metadata routes, by the request's Host", () => {
  it.each(LOOPBACK)("answer a request to %s (loopback)", async (host) => {
    expect((await sendAs(host, "/_emulator/clock")).status).toBe(200);
    expect((await sendAs(host, "/_emulator/jobs")).status).toBe(200);
    expect((await sendAs(host, CREDENTIALS)).status).toBe(200);
  });

  it.each(FOREIGN)("refuse a request to %s with 403 and the reason, and hand out nothing", async (host) => {
    for (const path of ["/_emulator/clock", "/_emulator/jobs", "/latest/meta-data/cam/security-credentials/", CREDENTIALS]) {
      const refused = await sendAs(host, path);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatch(/^Refused: this route answers only requests to a loopback host .* or one in allowedHosts/);
      expect(refused.body).not.toMatch(/TmpSecret|vclm-cvm|now/);
    }
  });

  it("leave the clock alone when a foreign host POSTs to it", async () => {
    const before = running.emulator.clock.now();
    const refused = await sendAs("evil.example", "/_emulator/clock", "POST", JSON.stringify({ advanceMs: 86_400_000 }));
    expect(refused.status).toBe(403);
    expect(running.emulator.clock.now()).toBe(before);
    const allowed = await sendAs("localhost", "/_emulator/clock", "POST", JSON.stringify({ advanceMs: 1_000 }));
    expect(allowed.status).toBe(200);
    expect(running.emulator.clock.now()).toBe(before + 1_000);
  });

  it("answer a host named in allowedHosts (the metadata service's own name, through a proxy)", async () => {
    const answer = await sendAs("metadata.tencentyun.com:80", CREDENTIALS);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toHaveProperty("Code", "Success");
  });

  it("in process, hold the fetch handler's request URL to the same rule: allowedHosts lets a test's own name in", async () => {
    const strict = createEmulator({ instanceRole: { roleName: "r" } });
    const named = createEmulator({ instanceRole: { roleName: "r" }, allowedHosts: ["vclm.emulator.test"] });
    for (const path of ["/_emulator/clock", "/latest/meta-data/cam/security-credentials/"]) {
      expect((await strict.fetch(new Request(`http://vclm.emulator.test${path}`))).status).toBe(403);
      expect((await strict.fetch(new Request(`http://localhost${path}`))).status).toBe(200);
      expect((await named.fetch(new Request(`http://VCLM.Emulator.test${path}`))).status).toBe(200);
    }
  });

  it("refuse allowedHosts entries that are not host names, naming the entry", () => {
    for (const entry of ["example.test:8080", "http://example.test", "example.test/admin", "user@example.test", "", "exa mple.test"])
      expect(() => createEmulator({ allowedHosts: [entry] })).toThrow(/^allowedHosts\[0\] \(.*\) is not a host name/);
  });

  it("leave the API itself and the videos to any host: clients and proxies name the service's host", async () => {
    const api = await sendAs("vclm.intl.tencentcloudapi.com", "/");
    expect(api.status).toBe(404); // a GET: the API's own answer, not the host refusal
    expect(api.body).toContain("This is a VCLM API emulator");
  });
});
