// TC3-HMAC-SHA256 verification, written apart from @vclm/signer on purpose: the emulator is an
// oracle for signers, so it rebuilds the canonical request from the request as received, by its
// own code. Its tests prove it against the official Node SDK's sign3.
import type { Caller, TemporaryCredential } from "../accounts.js";
import { type Answer, serviceError } from "../wire/envelope.js";

// The scope's service may carry a port: what the official SDKs derive from an endpoint such as
// localhost:8080 (its "first label"). It is accepted only from a local host (see below).
const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/\s]+)\/(\d{4}-\d{2}-\d{2})\/([a-z0-9]+(?::\d+)?)\/tc3_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/**
 * Whether a request came to the emulator by a local name: an IP address or localhost. The official
 * SDKs, given such an endpoint, sign for the service named by its first label ("127",
 * "localhost:8080") and for the host with its port. A request to a service name
 * (*.tencentcloudapi.com through a resolver) is held to the service's own rules.
 */
const isLocalHost = (hostname: string) => /^(\d{1,3}(\.\d{1,3}){3}|\[[\da-f:.]+\]|localhost|[\w-]+\.localhost)$/i.test(hostname);
const FIVE_MINUTES = 300;
const utf8 = new TextEncoder();

const hex = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
const sha256 = async (data: string | Uint8Array) =>
  hex(await crypto.subtle.digest("SHA-256", typeof data === "string" ? utf8.encode(data) : (data as BufferSource)));
async function hmac(key: BufferSource, message: string): Promise<ArrayBuffer> {
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return crypto.subtle.sign("HMAC", cryptoKey, utf8.encode(message));
}

// Derived keys, per secret key, date and service: a key is good for a day, and deriving it costs
// three HMACs. Bounded; a busy emulator with many keys starts afresh.
const derived = new Map<string, Promise<ArrayBuffer>>();
function signingKey(secretKey: string, date: string, service: string): Promise<ArrayBuffer> {
  const id = `${date}/${service}/${secretKey}`;
  let key = derived.get(id);
  if (!key) {
    if (derived.size >= 1000) derived.clear();
    key = (async () => hmac(await hmac(await hmac(utf8.encode(`TC3${secretKey}`), date), service), "tc3_request"))();
    derived.set(id, key);
  }
  return key;
}

/** What verification needs to know about keys. */
export interface KeyLookup {
  permanent(secretId: string): { secretKey: string; accountId: string } | undefined;
  temporary(secretId: string): TemporaryCredential | undefined;
}

/**
 * Verifies a request's signature. `body` is the bytes received; `service` the one the action
 * belongs to (`vclm` or `sts`); `now` milliseconds of emulator time. Answers with the error the
 * service gives, or the caller.
 */
export async function verify(
  request: Request,
  body: Uint8Array | string,
  service: string,
  keys: KeyLookup,
  now: number,
): Promise<Caller | Answer> {
  const authorization = request.headers.get("authorization");
  if (!authorization) return serviceError("AuthFailure.InvalidAuthorization", "The Authorization header is missing.");
  const match = AUTHORIZATION.exec(authorization);
  if (!match)
    return serviceError(
      "AuthFailure.InvalidAuthorization",
      "The Authorization header is not TC3-HMAC-SHA256 (Credential, SignedHeaders, Signature).",
    );
  const [, secretId, date, scopeService, signedHeaderList, signature] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];

  const timestampHeader = request.headers.get("x-tc-timestamp") ?? "";
  const timestamp = Number(timestampHeader);
  if (!/^\d+$/.test(timestampHeader)) return serviceError("MissingParameter", "The X-TC-Timestamp header is missing or not unix seconds.");
  if (Math.abs(now / 1000 - timestamp) > FIVE_MINUTES)
    return serviceError(
      "AuthFailure.SignatureExpire",
      `Signature expired: the timestamp ${timestamp} is more than 5 minutes from the server time ${Math.floor(now / 1000)}.`,
    );
  if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date)
    return serviceError("AuthFailure.SignatureFailure", "The credential scope's date is not the UTC date of X-TC-Timestamp.");
  const url = new URL(request.url);
  const hostHeader = (request.headers.get("host") ?? url.host).toLowerCase();
  const hostname = hostHeader.replace(/:\d+$/, "");
  const local = isLocalHost(hostname);
  if (scopeService !== service && !(local && scopeService === hostHeader.split(".")[0]))
    return serviceError("AuthFailure.SignatureFailure", `The credential scope names service "${scopeService}", not "${service}".`);

  const signed = signedHeaderList.split(";");
  if (!signed.includes("content-type") || !signed.includes("host"))
    return serviceError("AuthFailure.SignatureFailure", "SignedHeaders must include content-type and host.");

  const permanent = keys.permanent(secretId);
  const temporary = permanent ? undefined : keys.temporary(secretId);
  if (!permanent && !temporary) return serviceError("AuthFailure.SecretIdNotFound", "The SecretId is not found.");
  if (temporary) {
    const token = request.headers.get("x-tc-token");
    if (!token) return serviceError("AuthFailure.TokenFailure", "Temporary credentials need their token in X-TC-Token.");
    if (token !== temporary.token)
      return serviceError("AuthFailure.TokenFailure", "The token does not belong to these temporary credentials.");
    if (temporary.expiresAt <= now) return serviceError("AuthFailure.TokenFailure", "The temporary credentials have expired.");
  }

  // The canonical request, from the request as received: the host as signed for without its port
  // (clients that sign for the service's name through a relay or a resolver), or, on a local host,
  // as the official SDKs sign it, port included.
  const unsigned = request.headers.get("x-tc-content-sha256") === "UNSIGNED-PAYLOAD";
  const payloadHash = unsigned ? "UNSIGNED-PAYLOAD" : await sha256(body);
  const secretKey = (permanent ?? temporary)?.secretKey as string;
  let matched = false;
  for (const host of local && hostHeader !== hostname ? [hostname, hostHeader] : [hostname]) {
    let canonicalHeaders = "";
    for (const name of signed) {
      const value = name === "host" ? host : request.headers.get(name);
      if (value === null) return serviceError("AuthFailure.SignatureFailure", `The signed header ${name} was not sent.`);
      canonicalHeaders += `${name}:${value.trim().toLowerCase()}\n`;
    }
    const canonicalRequest = [request.method, "/", url.search.slice(1), canonicalHeaders, signedHeaderList, payloadHash].join("\n");
    const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${scopeService}/tc3_request\n${await sha256(canonicalRequest)}`;
    if (hex(await hmac(await signingKey(secretKey, date, scopeService), stringToSign)) === signature) {
      matched = true;
      break;
    }
  }
  if (!matched)
    return serviceError("AuthFailure.SignatureFailure", "The signature does not match: check the SecretKey and the signing steps.");
  return { accountId: (permanent?.accountId ?? temporary?.accountId) as string, temporary };
}
