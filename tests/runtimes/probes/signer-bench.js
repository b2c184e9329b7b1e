// Signatures per second inside this runtime, for @vclm/signer as this runtime resolves it and for
// its Web Crypto build. signer-bench-official.js adds the official sign3 where it can load.

import * as main from "@vclm/signer";
import * as web from "@vclm/signer/web";
import { compare } from "@vclm/tools/bench";
import { credentials, describeRequest, submitRequest } from "../../../packages/signer/bench/cases.js";

/** @param official a function from a request to a sign3 call, where the official SDK can run */
export async function bench({ large = true } = {}, official = null) {
  const options = { credentials, signedHeaders: ["X-TC-Action"] };
  const results = {};
  for (const [name, request, roundMs, rounds] of [
    ["describe", describeRequest, 200, 5],
    ...(large ? [["submit10MB", submitRequest(), 500, 3]] : []),
  ]) {
    const contenders = [
      { name: "main", fn: () => main.sign(request, options) },
      ...(main.sign === web.sign ? [] : [{ name: "web", fn: () => web.sign(request, options) }]),
      ...(official ? [{ name: "official", fn: official(request) }] : []),
    ];
    results[name] = await compare(contenders, { roundMs, rounds });
  }
  return results;
}

export default (input) => bench(input);
