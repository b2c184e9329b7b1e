import { describe, expect, it } from "vitest";
import { SignerError } from "./errors.js";
import { prepare } from "./prepare.js";
import type { SignOptions, SignRequest } from "./types.js";

const request: SignRequest = { host: "vclm.intl.tencentcloudapi.com", headers: { "X-TC-Action": "DescribeImageAnimateJob" }, body: "{}" };
const options: SignOptions = { credentials: { secretId: "AKID", secretKey: "k" }, timestamp: 1_700_000_000 };

function rejection(req: Partial<SignRequest> | Record<string, unknown>, opts: Partial<SignOptions> | Record<string, unknown> = {}) {
  try {
    prepare({ ...request, ...req } as SignRequest, { ...options, ...opts } as SignOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(SignerError);
    return { field: (error as SignerError).field, message: (error as SignerError).message };
  }
  throw new Error("prepare() accepted the input");
}

describe("prepare", () => {
  it("lays out sorted, lower-cased, trimmed canonical headers with content-type and host always signed", () => {
    const prepared = prepare(
      { ...request, headers: { "X-TC-Action": " DescribeImageAnimateJob ", "X-Custom": "Kept" } },
      { ...options, signedHeaders: ["X-TC-Action"] },
    );
    expect(prepared.canonicalHeaders).toBe(
      "content-type:application/json\nhost:vclm.intl.tencentcloudapi.com\nx-tc-action:describeimageanimatejob\n",
    );
    expect(prepared.signedHeaders).toBe("content-type;host;x-tc-action");
    expect(prepared.headers).toEqual({
      "X-TC-Action": " DescribeImageAnimateJob ",
      "X-Custom": "Kept",
      "Content-Type": "application/json",
    });
    expect(prepared.service).toBe("vclm");
  });

  it("defaults the content type by method and keeps a given one", () => {
    expect(prepare({ ...request, method: "GET", body: "" }, options).headers["Content-Type"]).toBe("application/x-www-form-urlencoded");
    expect(prepare({ ...request, headers: { "content-type": "text/plain" } }, options).canonicalHeaders).toMatch(
      /^content-type:text\/plain\n/,
    );
  });

  it("drops Host and the signature headers of an earlier signing instead of sending them twice", () => {
    const headers = { Authorization: "old", "x-tc-timestamp": "1", "X-TC-Token": "old", "X-TC-Content-SHA256": "x", "X-TC-Action": "A" };
    expect(Object.keys(prepare({ ...request, headers }, options).headers)).toEqual(["X-TC-Action", "Content-Type"]);
  });

  it("takes the time from the clock plus the offset when no timestamp is given", () => {
    const now = Math.floor(Date.now() / 1000);
    const { timestamp } = prepare(request, { ...options, timestamp: undefined, clockOffset: -600 });
    expect(timestamp).toBeGreaterThanOrEqual(now - 601);
    expect(timestamp).toBeLessThanOrEqual(now - 599);
  });

  it.each([
    ["a method other than POST and GET", { method: "PUT" }, {}, "method"],
    ["a missing host", { host: undefined }, {}, "host"],
    ["a host with a port", { host: "localhost:8080" }, {}, "host"],
    ["a host with a path", { host: "example.com/x" }, {}, "host"],
    ["a query on POST", { query: "a=1" }, {}, "query"],
    ["a query with a space", { method: "GET", body: "", query: "a=1 2" }, {}, "query"],
    ["a query with a fragment", { method: "GET", body: "", query: "a=1#x" }, {}, "query"],
    ["a body of the wrong type", { body: 42 }, {}, "body"],
    ["a body on GET", { method: "GET", body: "{}" }, {}, "body"],
    ["a header value with a line break", { headers: { "X-Evil": "a\r\nX-Injected: 1" } }, {}, 'headers["X-Evil"]'],
    ["a header value with a control character", { headers: { "X-Evil": "a\u0000" } }, {}, 'headers["X-Evil"]'],
    ["a header value beyond Latin-1", { headers: { "X-Name": "名字" } }, {}, 'headers["X-Name"]'],
    ["a header value that is not a string", { headers: { "X-Count": 3 } }, {}, 'headers["X-Count"]'],
    ["an invalid header name", { headers: { "Bad Name": "v" } }, {}, 'headers["Bad Name"]'],
    ["a header given twice in different cases", { headers: { "X-TC-Action": "A", "x-tc-action": "B" } }, {}, 'headers["x-tc-action"]'],
    ["a signed header that is not sent", {}, { signedHeaders: ["X-TC-Region"] }, 'signedHeaders["x-tc-region"]'],
    ["a fractional timestamp", {}, { timestamp: 1.5 }, "timestamp"],
    ["a timestamp in milliseconds past the safe range", {}, { timestamp: 2 ** 60 }, "timestamp"],
    ["a negative timestamp", {}, { timestamp: -1 }, "timestamp"],
    ["a timestamp given as a string", {}, { timestamp: "1700000000" }, "timestamp"],
    ["a clock offset that is not a number", {}, { timestamp: undefined, clockOffset: Number.NaN }, "clockOffset"],
    ["a service with a slash", {}, { service: "vclm/x" }, "service"],
    ["a service taken from an IP host", { host: "127.0.0.1" }, {}, "service"],
  ])("rejects %s, naming the input", (_, req, opts, field) => {
    expect(rejection(req, opts).field).toBe(field);
  });

  it("says what is wrong in a sentence a person can act on", () => {
    expect(rejection({ host: "localhost:8080" }).message).toBe(
      "host must be a host name without a port, such as vclm.intl.tencentcloudapi.com",
    );
    expect(rejection({ headers: { "X-Evil": "a\nb" } }).message).toBe(
      'headers["X-Evil"] must be a header name with a value free of line breaks',
    );
  });
});
