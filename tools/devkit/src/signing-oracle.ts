// The two oracles a signature is checked against: Tencent's own Node SDK, and for what its sign3
// cannot express (extra signed headers, unsigned payload) a reference written line by line from
// the published algorithm, itself checked against sign3 and the published vectors.
import { createHash, createHmac } from "node:crypto";
import Sign from "tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js";

/** One signing case, as JSON: what vectors.json holds and every runtime replays. */
export interface Vector {
  name: string;
  request: {
    method: "POST" | "GET";
    host: string;
    query: string;
    headers: Record<string, string>;
    /** The body as text, or as base64 bytes in `bodyBase64`. */
    body?: string;
    bodyBase64?: string;
  };
  options: {
    credentials: { secretId: string; secretKey: string; token?: string };
    timestamp: number;
    service?: string;
    signedHeaders?: string[];
    unsignedPayload?: boolean;
  };
  authorization: string;
  oracle: "published" | "sign3" | "reference";
}

export const bodyBytes = ({ request }: Pick<Vector, "request">): Buffer =>
  request.bodyBase64 !== undefined ? Buffer.from(request.bodyBase64, "base64") : Buffer.from(request.body ?? "", "utf8");

const contentType = (headers: Record<string, string>): string =>
  Object.entries(headers).find(([name]) => name.toLowerCase() === "content-type")?.[1] ?? "application/json";

/** Can the official SDK's sign3 sign this case? It signs only content-type and host, and always hashes the body. */
export const sign3Can = ({ options }: Pick<Vector, "options">): boolean => !options.signedHeaders?.length && !options.unsignedPayload;

/** The Authorization header the official Node SDK computes. */
export function sign3({ request, options }: Pick<Vector, "request" | "options">): string {
  return Sign.sign3({
    method: request.method,
    url: `https://${request.host}/${request.query ? `?${request.query}` : ""}`,
    payload: bodyBytes({ request }),
    timestamp: options.timestamp,
    service: options.service ?? (request.host.split(".")[0] as string),
    secretId: options.credentials.secretId,
    secretKey: options.credentials.secretKey,
    multipart: false,
    boundary: "",
    headers: { "Content-Type": contentType(request.headers) },
  });
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();

/** TC3-HMAC-SHA256 as the published algorithm states it, step by step, nothing cached. */
export function reference({ request, options }: Pick<Vector, "request" | "options">): string {
  const lower = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  lower["content-type"] ??= request.method === "GET" ? "application/x-www-form-urlencoded" : "application/json";
  lower.host = request.host;
  const names = [...new Set(["content-type", "host", ...(options.signedHeaders ?? []).map((n) => n.toLowerCase())])].sort();
  const canonicalHeaders = names.map((n) => `${n}:${String(lower[n]).trim().toLowerCase()}\n`).join("");
  const signedHeaders = names.join(";");
  const payloadHash = options.unsignedPayload ? "UNSIGNED-PAYLOAD" : sha256(bodyBytes({ request }));
  const canonicalRequest = [request.method, "/", request.query, canonicalHeaders, signedHeaders, payloadHash].join("\n");
  const service = options.service ?? request.host.split(".")[0];
  const date = new Date(options.timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/${service}/tc3_request`;
  const stringToSign = ["TC3-HMAC-SHA256", options.timestamp, scope, sha256(canonicalRequest)].join("\n");
  const kSigning = hmac(hmac(hmac(`TC3${options.credentials.secretKey}`, date), service as string), "tc3_request");
  const signature = createHmac("sha256", kSigning).update(stringToSign).digest("hex");
  return `TC3-HMAC-SHA256 Credential=${options.credentials.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}
