// Replays the shared vectors through @vclm/signer as this runtime resolves it, and checks the
// behaviours that differ most between runtimes: typed errors and redaction.
import * as main from "@vclm/signer";
import * as web from "@vclm/signer/web";

const base64Bytes = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function mismatches(sign, vectors) {
  const names = [];
  for (const { name, request, options, authorization } of vectors) {
    const { bodyBase64, ...rest } = request;
    const headers = await sign(bodyBase64 === undefined ? rest : { ...rest, body: base64Bytes(bodyBase64) }, options);
    if (headers.Authorization !== authorization) names.push(name);
  }
  return names;
}

export default async function probe({ vectors }) {
  const { SignerError, sign } = main;

  let rejected = null;
  try {
    await sign(
      { host: "vclm.intl.tencentcloudapi.com", headers: { "X-Evil": "a\r\nb" } },
      { credentials: { secretId: "AKID", secretKey: "k" } },
    );
  } catch (error) {
    rejected = { isSignerError: error instanceof SignerError, field: error.field };
  }

  const signed = await sign(
    { host: "vclm.intl.tencentcloudapi.com", body: "{}" },
    { credentials: { secretId: "AKID", secretKey: "k", token: "session-token" } },
  );
  const shown = JSON.stringify(signed) + String(signed);
  return {
    vectors: vectors.length,
    // "@vclm/signer" is the node:crypto build where the runtime honours the "node" condition
    // (Node, Deno) and the Web Crypto build elsewhere; "@vclm/signer/web" is always Web Crypto.
    mismatches: { main: await mismatches(sign, vectors), web: await mismatches(web.sign, vectors) },
    rejected,
    redacted: shown.includes("[redacted]") && !shown.includes("session-token") && !shown.includes("Signature="),
    // Headers accepts the signed object as is (Node 20's undici rejects own symbol keys).
    headersAccepted: new Headers(signed).get("x-tc-token") === "session-token",
  };
}
