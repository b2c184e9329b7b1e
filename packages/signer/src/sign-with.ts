import { resolveCredentials } from "./check-credentials.js";
import type { SignerCrypto } from "./crypto.js";
import { keyCache } from "./key-cache.js";
import { prepare } from "./prepare.js";
import type { SignedHeaders, SignOptions, SignRequest } from "./types.js";
import { utcDate } from "./utc-date.js";

const ALGORITHM = "TC3-HMAC-SHA256";
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

/** Signs a request per TC3-HMAC-SHA256 and returns the headers to send. */
export type Sign = (request: SignRequest, options: SignOptions) => Promise<SignedHeaders>;

/** Builds {@link Sign} on a runtime's crypto primitives. */
export function signWith<Key>(crypto: SignerCrypto<Key>): Sign {
  const signingKey = keyCache<Key | Promise<Key>>(64);

  return async (request, options) => {
    const { method, query, body, headers, canonicalHeaders, signedHeaders, service, timestamp } = prepare(request, options);
    const { secretId, secretKey, token } = await resolveCredentials(options.credentials);
    const { unsignedPayload } = options;

    // 1. The canonical request.
    const payloadHash = unsignedPayload ? UNSIGNED_PAYLOAD : await crypto.sha256Hex(body);
    const canonicalRequest = `${method}\n/\n${query}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;

    // 2. The string to sign, scoped to the UTC date of the timestamp.
    const date = utcDate(timestamp);
    const scope = `${date}/${service}/tc3_request`;
    const stringToSign = `${ALGORITHM}\n${timestamp}\n${scope}\n${await crypto.sha256Hex(canonicalRequest)}`;

    // 3. The signature, under a key derived once per secret key, date and service.
    const key = await signingKey(secretKey, scope, () => crypto.signingKey(secretKey, date, service));
    const signature = await crypto.hmacHex(key, stringToSign);

    // 4. The headers that carry it.
    headers.Authorization = `${ALGORITHM} Credential=${secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    headers["X-TC-Timestamp"] = `${timestamp}`;
    if (token) headers["X-TC-Token"] = token;
    if (unsignedPayload) headers["X-TC-Content-SHA256"] = UNSIGNED_PAYLOAD;
    return headers;
  };
}
