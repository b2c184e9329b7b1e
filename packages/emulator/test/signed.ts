// Signed raw requests to an emulator, for tests that need to send what no SDK would.
import { sign } from "@vclm/signer";
import { DEMO_ACCOUNT } from "../src/index.js";

export const demo = { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey };

export interface RawCall {
  action?: string;
  version?: string;
  body: string | Uint8Array;
  contentType?: string;
  credentials?: { secretId: string; secretKey: string; token?: string };
  omit?: string[];
  timestamp?: number;
}

/** A signed POST to `url`, built by hand: any action, version, body or content type. */
export async function signedRequest(url: string, call: RawCall): Promise<Request> {
  const { action = "DescribeImageAnimateJob", version = "2024-05-23", body, contentType = "application/json" } = call;
  const headers: Record<string, string> = {
    "Content-Type": contentType,
    "X-TC-Action": action,
    "X-TC-Version": version,
    "X-TC-Region": "ap-singapore",
  };
  const service = ["GetFederationToken", "AssumeRole"].includes(action) ? "sts" : "vclm";
  const signed = await sign(
    { host: new URL(url).hostname, headers, body },
    { credentials: call.credentials ?? demo, service, ...(call.timestamp !== undefined && { timestamp: call.timestamp }) },
  );
  const sent: Record<string, string> = { ...signed };
  for (const name of call.omit ?? []) delete sent[name];
  return new Request(url, { method: "POST", headers: sent, body: body as BodyInit });
}

/** The Response envelope of an answer. */
export async function answerOf(response: Response): Promise<Record<string, unknown> & { Error?: { Code: string; Message: string } }> {
  return (await response.json()).Response;
}
