import type { VclmAttributes } from "./types.js";

// A URL's query and fragment (a signed video link's signature, a presigned photo URL's token): cut
// from each word that has a "://", by indexOf, so a long text costs linear time.
const cutQueries = (text: string): string =>
  text.replace(/[^\s"'<>]+/g, (word) => {
    const scheme = word.indexOf("://");
    const query = scheme < 0 ? -1 : word.slice(scheme).search(/[?#]/);
    return query < 0 ? word : `${word.slice(0, scheme + query)}?…`;
  });
// A TC3 signature, or a whole Authorization header.
const SIGNATURE = /(TC3-HMAC-SHA256\s+)?Credential=\S+|Signature=[\w%-]+/g;
// Base64 long enough to be a token, a key or photo bytes: a run with a stretch of 40 between slashes
// that mixes capitals, small letters and digits (JobIds, RequestIds and file paths do not).
const RUN = /[A-Za-z0-9+/_-]{40,}={0,2}/g;
const isBlob = (run: string) =>
  run.split("/").some((part) => part.length >= 40 && /\d/.test(part) && /[A-Z]/.test(part) && /[a-z]/.test(part));

/** A string with what must not leave in a span or a log line taken out: URL queries, signatures, tokens, bytes. */
export const scrub = (text: string): string =>
  cutQueries(text)
    .replace(SIGNATURE, "[signature]")
    .replace(RUN, (run) => (isBlob(run) ? "[…]" : run));

/** Attributes with every string scrubbed, and the undefined ones left out. */
export function scrubbed(attributes: VclmAttributes): VclmAttributes {
  const out: VclmAttributes = {};
  for (const [key, value] of Object.entries(attributes))
    if (value !== undefined) out[key] = typeof value === "string" ? scrub(value) : value;
  return out;
}
