// The signer bench with the official Node SDK's sign3 beside it, for runtimes that can load a
// CommonJS Node package (Node, Deno).
import Sign from "tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js";
import { credentials } from "../../../packages/signer/bench/cases.js";
import { bench } from "./signer-bench.js";

const sign3 = (Sign.default ?? Sign).sign3;
const official = (request) => {
  const payload = Buffer.from(request.body);
  return () =>
    sign3({
      method: "POST",
      url: `https://${request.host}/`,
      payload,
      timestamp: Math.floor(Date.now() / 1000),
      service: "vclm",
      ...credentials,
      headers: request.headers,
    });
};

export default (input) => bench(input, official);
