import { fail, HEADER_NAME, HEADER_VALUE } from "./fail.js";
import { redactedHeaders } from "./redact.js";
import type { Body, SignOptions, SignRequest } from "./types.js";

/** What the canonical request needs, every input checked. */
export interface Prepared {
  readonly method: string;
  readonly query: string;
  readonly body: Body;
  /** The headers to send, minus `Host` and any signature headers from an earlier signing; they redact themselves. */
  readonly headers: Record<string, string>;
  /** `name:value\n` for each signed header, sorted by name. */
  readonly canonicalHeaders: string;
  /** The signed header names joined by `;`. */
  readonly signedHeaders: string;
  readonly service: string;
  readonly timestamp: number;
}

// Printable ASCII without "#": a query reaches the server byte for byte as it was signed.
const QUERY = /^[!"$-~]*$/;
// A host name or bracketed IPv6 literal, without a port: the official SDKs sign the URL's hostname.
const HOST = /^[\w.-]+$|^\[[\da-f:.]+\]$/i;
// Headers that come from `host` or from this signer: an earlier signing's copies are dropped, not duplicated.
const REPLACED = /^(host|authorization|x-tc-(timestamp|token|content-sha256))$/i;

// Built only on failure: signing is a hot path.
const field = (list: string, name: string) => `${list}[${JSON.stringify(name)}]`;

/** Checks a request and its options before anything is hashed; throws a {@link SignerError} naming what is wrong. */
export function prepare(
  { method = "POST", host, query = "", body = "", headers: given = {} }: SignRequest,
  { service = String(host).split(".")[0], timestamp, clockOffset = 0, signedHeaders = [] }: SignOptions,
): Prepared {
  const get = method === "GET";
  if (!get && method !== "POST") fail("method", 'must be "POST" or "GET"');
  if (typeof host !== "string" || !HOST.test(host))
    fail("host", "must be a host name without a port, such as vclm.intl.tencentcloudapi.com");
  if (!QUERY.test(query)) fail("query", "must be URL-encoded printable ASCII without #");
  if (query && !get) fail("query", "is for GET only");
  if (!(typeof body === "string" || body instanceof Uint8Array || body instanceof ArrayBuffer))
    fail("body", "must be a string, Uint8Array or ArrayBuffer");
  if (get && (typeof body === "string" ? body : body.byteLength)) fail("body", "must be empty for GET");
  // Service names start with a letter (vclm, sts, cvm): one taken from an IP host never does.
  if (!/^[a-z][a-z\d]*$/i.test(service as string))
    fail("service", "must be a service name such as vclm: give it when the host is an IP address");
  const time = timestamp ?? Math.floor(Date.now() / 1000 + clockOffset);
  if (!(Number.isSafeInteger(time) && time >= 0))
    fail(timestamp === undefined ? "clockOffset" : "timestamp", "must give whole unix seconds");

  const headers = redactedHeaders();
  // Requests carry a handful of headers: arrays beat a Map or a keyed object here.
  const lowerNames = ["host"];
  const values = [host];
  const add = (name: string, lower: string, value: string) => {
    headers[name] = value;
    lowerNames.push(lower);
    values.push(value);
  };
  for (const name in given) {
    const value = given[name] as string;
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name) || typeof value !== "string" || !HEADER_VALUE.test(value))
      fail(field("headers", name), "must be a header name with a value free of line breaks");
    if (REPLACED.test(lower)) continue;
    if (lowerNames.includes(lower)) fail(field("headers", name), "is given twice");
    add(name, lower, value);
  }
  if (!lowerNames.includes("content-type"))
    add("Content-Type", "content-type", get ? "application/x-www-form-urlencoded" : "application/json");

  const names = ["content-type", "host"];
  for (const name of signedHeaders) if (!names.includes(name.toLowerCase())) names.push(name.toLowerCase());
  names.sort();
  let canonicalHeaders = "";
  for (const name of names) {
    const at = lowerNames.indexOf(name);
    const value = at < 0 ? fail(field("signedHeaders", name), "is not in headers") : (values[at] as string);
    canonicalHeaders += `${name}:${value.trim().toLowerCase()}\n`;
  }
  return { method, query, body, headers, canonicalHeaders, signedHeaders: names.join(";"), service: service as string, timestamp: time };
}
