// Signatures per second for @vclm/signer's two builds beside the official Node SDK's sign3, in one
// process, interleaved. sign3 is given the body as a ready Buffer (its fastest path); the official
// client itself passes the params object, which sign3 re-serialises with json-bigint on every call:
// that row is shown too. Ratios are against the fast path; the like-for-like row is ours given the
// same bytes (Uint8Array), and ours given the JSON string is what @vclm/core does.

import { compare, opsPerSecond } from "@vclm/tools/bench";
import Sign from "tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js";
import { sign as webSign } from "../dist/index.js";
import { sign as nodeSign } from "../dist/node.js";
import { credentials, describeRequest, submitRequest } from "./cases.js";

const official = (request, payload) => () =>
  Sign.default.sign3({
    method: "POST",
    url: `https://${request.host}/`,
    payload,
    timestamp: Math.floor(Date.now() / 1000),
    service: "vclm",
    secretId: credentials.secretId,
    secretKey: credentials.secretKey,
    headers: request.headers,
  });

const rows = [];
for (const [label, request, roundMs, rounds] of [
  ["Describe (37 B body)", describeRequest, 200, 9],
  ["Submit, 10 MB photo (13.4 MB body)", submitRequest(), 600, 5],
]) {
  const body = Buffer.from(request.body);
  const bytes = { ...request, body: new Uint8Array(body) };
  const params = JSON.parse(request.body);
  const options = { credentials, signedHeaders: ["X-TC-Action"] };
  const result = await compare(
    [
      { name: "@vclm/signer (node build), string body", fn: () => nodeSign(request, options) },
      { name: "@vclm/signer (node build), Uint8Array body", fn: () => nodeSign(bytes, options) },
      { name: "@vclm/signer (web build), string body", fn: () => webSign(request, options) },
      { name: "official sign3, Buffer body", fn: official(request, body) },
      { name: "official sign3, params object (as its client calls it)", fn: official(request, params) },
    ],
    { roundMs, rounds },
  );
  const baseline = result["official sign3, Buffer body"];
  for (const [name, ops] of Object.entries(result)) {
    rows.push({
      request: label,
      signer: name,
      "signatures/s": opsPerSecond(ops),
      "vs official (Buffer)": `${(ops / baseline).toFixed(2)}x`,
    });
  }
}
console.log(`\n@vclm/signer on Node ${process.versions.node}: TC3-HMAC-SHA256 signatures per second (median of interleaved rounds)`);
console.table(rows);
