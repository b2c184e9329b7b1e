import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { warnMaybeSubmitted } from "../middleware/warn-maybe-submitted.js";
import { mayHaveArrived } from "./may-have-arrived.js";
import { VclmNetworkError } from "./network-error.js";
import type { NetworkProblem } from "./network-problem.js";

const URL_ = "http://127.0.0.1:8080/";
// As undici throws them: fetch's "fetch failed", the socket's error with its code as the cause.
const undici = (code: string | undefined, message: string) =>
  new TypeError("fetch failed", { cause: Object.assign(new Error(message), code ? { code } : {}) });
const networkError = (cause: unknown, action = "DescribeImageAnimateJob") => new VclmNetworkError(URL_, action, cause);

describe("VclmNetworkError names what happened, from the runtime's cause chain", () => {
  it.each<[string, unknown, NetworkProblem, RegExp[]]>([
    [
      "a refused connection",
      undici("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:8080"),
      "refused",
      [/refused/, /ECONNREFUSED/, /not sent/],
    ],
    ["an unknown host", undici("ENOTFOUND", "getaddrinfo ENOTFOUND nope.invalid"), "dns", [/unknown to DNS/, /ENOTFOUND/, /not sent/]],
    ["DNS not answering", undici("EAI_AGAIN", "getaddrinfo EAI_AGAIN x"), "dns", [/DNS/, /EAI_AGAIN/, /not sent/]],
    ["no route", undici("EHOSTUNREACH", "connect EHOSTUNREACH"), "unreachable", [/no route/, /EHOSTUNREACH/, /not sent/]],
    [
      "an expired certificate",
      undici("CERT_HAS_EXPIRED", "certificate has expired"),
      "tls",
      [/certificate/, /CERT_HAS_EXPIRED/, /has expired/],
    ],
    [
      "https to a plain http port",
      undici(
        "ERR_SSL_WRONG_VERSION_NUMBER",
        "807CA6ED2D7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:",
      ),
      "tls",
      [/TLS connection .* failed/, /no TLS there/, /ERR_SSL_WRONG_VERSION_NUMBER/],
    ],
    ["a port fetch blocks", undici(undefined, "bad port"), "blocked", [/browsers and Node block/, /bad port/, /not sent/]],
    ["a connect timeout", undici("UND_ERR_CONNECT_TIMEOUT", "Connect Timeout Error"), "timeout", [/timed out/, /UND_ERR_CONNECT_TIMEOUT/]],
    ["a connection reset", undici("ECONNRESET", "read ECONNRESET"), "reset", [/broke before an answer came/, /ECONNRESET/]],
    ["a browser's bare TypeError", new TypeError("Failed to fetch"), "unknown", [/failed before an answer came/, /Failed to fetch/]],
  ])("%s", (_, cause, problem, facts) => {
    const error = networkError(cause);
    expect(error.problem).toBe(problem);
    expect(error.message).toMatch(/^DescribeImageAnimateJob: /);
    expect(error.message).toContain(URL_);
    for (const fact of facts) expect(error.message).toMatch(fact);
    // "could not reach" said nothing of what happened, and was wrong when the request had arrived.
    expect(error.message).not.toContain("could not reach");
    expect(error.message).not.toContain("error:0A00010B"); // OpenSSL's internals are not words
  });

  it("keeps the runtime's code, and only the never-sent problems are safe to send again", () => {
    expect(networkError(undici("ECONNREFUSED", "x")).causeCode).toBe("ECONNREFUSED");
    expect(networkError(new TypeError("Failed to fetch")).causeCode).toBeUndefined();
    for (const [code, arrived] of [
      ["ECONNREFUSED", false],
      ["ENOTFOUND", false],
      ["EAI_AGAIN", false],
      ["ENETUNREACH", false],
      ["EHOSTUNREACH", false],
      ["ECONNRESET", true],
      ["UND_ERR_SOCKET", true],
      ["CERT_HAS_EXPIRED", false], // the request goes only after the handshake
      ["ERR_SSL_WRONG_VERSION_NUMBER", false],
      [undefined, true],
    ] as const)
      expect([code, mayHaveArrived(networkError(undici(code, "x")))]).toEqual([code, arrived]);
  });

  it("reads a real refused connection and a real dropped answer as Node's fetch reports them", async () => {
    const server = createServer((request) => request.on("data", () => {}).on("end", () => request.socket.destroy()));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const dropped = await fetch(url, { method: "POST", body: "{}" }).catch((error) => new VclmNetworkError(url, "A", error));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const refused = await fetch(url, { method: "POST", body: "{}" }).catch((error) => new VclmNetworkError(url, "A", error));
    // Port 9 is one fetch will not connect to: it says "bad port", with no code.
    const blocked = await fetch("http://127.0.0.1:9/", { method: "POST", body: "{}" }).catch(
      (error) => new VclmNetworkError(url, "A", error),
    );
    expect([dropped, refused, blocked].map((error) => (error as VclmNetworkError).problem)).toEqual(["reset", "refused", "blocked"]);
    expect(mayHaveArrived(blocked)).toBe(false);
  });
});

describe("warnMaybeSubmitted", () => {
  const failWith = (error: Error) => warnMaybeSubmitted({} as never, () => Promise.reject(error)).catch((e: Error) => e.message);

  it("leads with what happened, then, as a sentence of its own, that the job may exist and what to do", async () => {
    const message = await failWith(networkError(undici("UND_ERR_SOCKET", "other side closed"), "SubmitImageAnimateJob"));
    expect(message).toMatch(
      /^SubmitImageAnimateJob: the connection to \S+ broke before an answer came \(UND_ERR_SOCKET: other side closed\)\. The request may have reached the service/,
    );
    expect(message).toMatch(/may exist and be paid for/);
    expect(message).toMatch(/Check the account's jobs/);
  });

  it("says nothing of a job when the request provably never left", async () => {
    const message = await failWith(networkError(undici("ECONNREFUSED", "connect ECONNREFUSED"), "SubmitImageAnimateJob"));
    expect(message).not.toMatch(/may have reached|paid/);
    expect(message).toMatch(/refused: nothing listens there \(ECONNREFUSED\), so the request was not sent$/);
  });
});
