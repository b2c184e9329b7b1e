// Both builds of sign(), made from the sources the way the entry points make them: every
// behavioural test runs against each.

import type { Vector } from "@vclm/tools/signing-oracle";
import { bodyBytes } from "@vclm/tools/signing-oracle";
import { nodeCrypto } from "../src/crypto.node.js";
import { webCrypto } from "../src/crypto.web.js";
import { signWith } from "../src/sign-with.js";

export const builds = [
  { build: "web", sign: signWith(webCrypto) },
  { build: "node", sign: signWith(nodeCrypto) },
] as const;

/** A vector's request with its body in the form the case asks for. */
export const requestOf = (vector: Pick<Vector, "request">, as: "string" | "bytes" | "buffer" = "string") => {
  const { bodyBase64: _, ...request } = vector.request;
  if (vector.request.bodyBase64 === undefined && as === "string") return request;
  const bytes = new Uint8Array(bodyBytes(vector));
  return { ...request, body: as === "buffer" ? bytes.slice().buffer : bytes };
};
