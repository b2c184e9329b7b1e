// fast-check generators for signing cases: the conformance test draws thousands, and vectors.json
// is a fixed-seed sample of them that every runtime replays.
import fc from "fast-check";
import type { Vector } from "./signing-oracle.js";

const DAY = 86_400;

/** Unix seconds: anywhere up to 2100, and often within seconds of a UTC midnight. */
const timestamp = fc.oneof(
  fc.integer({ min: 0, max: 4_102_444_800 }),
  fc.tuple(fc.integer({ min: 0, max: 47_000 }), fc.integer({ min: -3, max: 3 })).map(([day, s]) => Math.max(0, day * DAY + s)),
);

const credentials = fc.record(
  {
    secretId: fc.stringMatching(/^AKID[0-9A-Za-z]{8,36}$/),
    // Real keys are ASCII; any Unicode (lone surrogates too) must still hash as UTF-8 the same way.
    secretKey: fc.oneof(fc.stringMatching(/^[0-9A-Za-z]{32}$/), fc.string({ unit: "binary", minLength: 1, maxLength: 40 })),
    token: fc.stringMatching(/^[0-9A-Za-z_.=-]{1,120}$/),
  },
  { requiredKeys: ["secretId", "secretKey"] },
);

const service = fc.stringMatching(/^[a-z][a-z0-9]{1,9}$/);
const host = fc.oneof(
  fc.constant("vclm.intl.tencentcloudapi.com"),
  fc.tuple(service, fc.domain()).map(([s, d]) => `${s}.${d}`),
);

/** JSON text with non-ASCII strings, the way an SDK serialises an action's input. */
const jsonBody = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? "null");

// Not x-tc-*: those names belong to the TC headers above and to the signer.
const headerName = fc.stringMatching(/^x-[a-z][a-z0-9-]{0,15}$/).filter((name) => !name.startsWith("x-tc-"));
// Printable ASCII, with the leading/trailing blanks the canonical form must trim.
const headerValue = fc.stringMatching(/^ ?[!-~]{1,30} ?$/);
const tcHeaders = fc.record(
  {
    "X-TC-Action": fc.constantFrom("DescribeImageAnimateJob", "SubmitImageAnimateJob"),
    "X-TC-Version": fc.constant("2024-05-23"),
    "X-TC-Region": fc.constantFrom("ap-singapore", "ap-guangzhou"),
    "X-TC-Language": fc.constantFrom("en-US", "zh-CN"),
  },
  { requiredKeys: [] },
);

type Case = Pick<Vector, "request" | "options">;

const post: fc.Arbitrary<Case> = fc
  .record({
    host,
    contentType: fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain"),
    body: fc.oneof(
      jsonBody.map((body) => ({ body })),
      fc.constant({ body: "" }),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ bodyBase64: Buffer.from(bytes).toString("base64") })),
    ),
    headers: tcHeaders,
    credentials,
    timestamp,
  })
  .map(({ host, contentType, body, headers, credentials, timestamp }) => ({
    request: { method: "POST" as const, host, query: "", headers: { "Content-Type": contentType, ...headers }, ...body },
    options: { credentials, timestamp },
  }));

const get: fc.Arbitrary<Case> = fc
  .record({
    host,
    params: fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ unit: "grapheme", maxLength: 20 }), { maxKeys: 5 }),
    headers: tcHeaders,
    credentials,
    timestamp,
  })
  .map(({ host, params, headers, credentials, timestamp }) => ({
    request: {
      method: "GET" as const,
      host,
      query: new URLSearchParams(params).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: "",
    },
    options: { credentials, timestamp },
  }));

/** A case the official SDK's sign3 can sign: content-type and host signed, the body hashed. */
export const sign3Case: fc.Arbitrary<Case> = fc.oneof(post, get);

/** Any case: further signed headers (random ones among them), an explicit service, an unsigned payload. */
export const anyCase: fc.Arbitrary<Case> = fc
  .record({
    base: sign3Case,
    extra: fc.dictionary(headerName, headerValue, { maxKeys: 3 }),
    signExtra: fc.boolean(),
    signTc: fc.boolean(),
    service: fc.option(service, { nil: undefined }),
    unsignedPayload: fc.boolean(),
  })
  .map(({ base, extra, signExtra, signTc, service, unsignedPayload }) => {
    const headers = { ...base.request.headers, ...extra };
    const signedHeaders = [
      ...(signExtra ? Object.keys(extra) : []),
      ...(signTc ? Object.keys(base.request.headers).filter((n) => n.startsWith("X-TC-")) : []),
    ];
    return {
      request: { ...base.request, headers },
      options: {
        ...base.options,
        ...(service !== undefined && { service }),
        ...(signedHeaders.length > 0 && { signedHeaders }),
        ...(unsignedPayload && { unsignedPayload }),
      },
    };
  });
