// The worked examples Tencent publishes for TC3-HMAC-SHA256 (CVM DescribeInstances), with their
// published signatures: known answers that no implementation of ours produced.
import type { Vector } from "@vclm/tools/signing-oracle";

const body = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
const credentials = (secretKey: string) => ({ secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******", secretKey });
const post = { method: "POST" as const, host: "cvm.tencentcloudapi.com", query: "", body };

export const published: Vector[] = [
  {
    name: "published POST, content-type;host",
    request: { ...post, headers: { "Content-Type": "application/json; charset=utf-8" } },
    options: { credentials: credentials("Gu5t9xGARNpq86cd98joQYCN3*******"), timestamp: 1551113065 },
    authorization:
      "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c",
    oracle: "published",
  },
  {
    name: "published POST, content-type;host;x-tc-action",
    request: { ...post, headers: { "Content-Type": "application/json; charset=utf-8", "X-TC-Action": "DescribeInstances" } },
    options: { credentials: credentials("********************************"), timestamp: 1551113065, signedHeaders: ["X-TC-Action"] },
    authorization:
      "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f",
    oracle: "published",
  },
  {
    name: "published GET with a query",
    request: {
      method: "GET",
      host: "cvm.tencentcloudapi.com",
      query: "Limit=10&Offset=0",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "",
    },
    options: {
      credentials: { secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE" },
      timestamp: 1539084154,
    },
    authorization:
      "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2018-10-09/cvm/tc3_request, SignedHeaders=content-type;host, Signature=5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474",
    oracle: "published",
  },
];
