import { describe, expect, it } from "vitest";
import { VclmNetworkError } from "../errors/network-error.js";
import { VclmPhotoError } from "../errors/photo-error.js";
import { VclmResponseError } from "../errors/response-error.js";
import { VclmServiceError } from "../errors/service-error.js";
import { VclmTimeoutError } from "../errors/timeout-error.js";
import { classifyFailure, type Failure, failureOfCode, mayRetry } from "./failure.js";

const service = (code: string) => new VclmServiceError({ code, message: code, action: "SubmitImageAnimateJob", status: 200 });
const connection = (code: string) =>
  new VclmNetworkError("https://vclm.tencentcloudapi.com/", "SubmitImageAnimateJob", new TypeError("fetch failed", { cause: { code } }));
const http = (status: number) => new VclmResponseError(`HTTP ${status}`, { action: "SubmitImageAnimateJob", status, body: "" });

describe("classifyFailure: the one failure table", () => {
  it.each<[string, unknown, Failure]>([
    ["JobNumExceed", service("RequestLimitExceeded.JobNumExceed"), "job-slot"],
    ["RequestLimitExceeded", service("RequestLimitExceeded"), "throttled"],
    ["UinLimitExceeded", service("RequestLimitExceeded.UinLimitExceeded"), "throttled"],
    ["JobQueueFull", service("FailedOperation.JobQueueFull"), "throttled"],
    ["IsOpening", service("ResourceUnavailable.IsOpening"), "throttled"],
    ["HTTP 429", http(429), "throttled"],
    ["InternalError", service("InternalError"), "may-have-arrived"],
    ["ServiceUnavailable", service("ServiceUnavailable"), "may-have-arrived"],
    ["InnerError", service("FailedOperation.InnerError"), "may-have-arrived"],
    ["a dropped connection", connection("ECONNRESET"), "may-have-arrived"],
    ["a 502 from a gateway", http(502), "may-have-arrived"],
    ["a timeout after sending", new VclmTimeoutError("SubmitImageAnimateJob", 5), "may-have-arrived"],
    ["a refused connection", connection("ECONNREFUSED"), "transient"],
    ["a TLS handshake that failed (nothing sent before it)", connection("CERT_HAS_EXPIRED"), "transient"],
    [
      "a port fetch will not connect to",
      new VclmNetworkError("http://127.0.0.1:9/", "SubmitImageAnimateJob", new TypeError("fetch failed", { cause: new Error("bad port") })),
      "transient",
    ],
    ["AuthFailure.SecretIdNotFound", service("AuthFailure.SecretIdNotFound"), "fatal"],
    ["UnauthorizedOperation", service("UnauthorizedOperation"), "fatal"],
    ["the service not opened", service("FailedOperation.UserUnopenService"), "fatal"],
    ["a face not found", service("FailedOperation.ImageDetectFaceFailed"), "refused"],
    ["a bad parameter", service("InvalidParameterValue"), "refused"],
    ["HTTP 403 from a gateway", http(403), "refused"],
    ["a photo refused before sending", new VclmPhotoError("FailedOperation.ImageSizeExceed", "too large"), "refused"],
    ["a 200 that is not the service's", http(200), "unexpected"],
    ["an error vclm did not make", new TypeError("x is undefined"), "unexpected"],
  ])("%s: %s", (_, error, failure) => {
    expect(classifyFailure(error)).toBe(failure);
  });

  it("says the same of a service error and of its code alone (what a relay reads)", () => {
    for (const code of [
      "RequestLimitExceeded.JobNumExceed",
      "InternalError",
      "AuthFailure",
      "InvalidParameter",
      "FailedOperation.JobQueueFull",
    ])
      expect(failureOfCode(code)).toBe(classifyFailure(service(code)));
  });
});

describe("mayRetry", () => {
  it("retries what changes nothing after any failure that may pass, and a paid call only when nothing was made", () => {
    expect(mayRetry("may-have-arrived", { idempotent: true })).toBe(true);
    expect(mayRetry("may-have-arrived", { idempotent: false })).toBe(false); // a second paid job
    expect(mayRetry("may-have-arrived", { idempotent: false, ambiguous: true })).toBe(true);
    expect(mayRetry("throttled", { idempotent: false })).toBe(true);
    expect(mayRetry("transient", { idempotent: false })).toBe(true);
    expect(mayRetry("job-slot", { idempotent: false })).toBe(false);
    expect(mayRetry("job-slot", { idempotent: false, jobSlot: true })).toBe(true);
    for (const failure of ["fatal", "refused", "unexpected"] as const)
      expect(mayRetry(failure, { idempotent: true, ambiguous: true })).toBe(false);
  });
});
