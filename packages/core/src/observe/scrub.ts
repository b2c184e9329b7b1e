import type { VclmAttributes } from "./types.js";

/** The longest text a span attribute or log field keeps: a request cannot fill an operator's logs. */
const MAX_TEXT = 1_000;

// A word that is a URL, with a scheme or as host.tld/path: its user:password@ and query go.
const HOST_PATH = /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?\//i;
const cutUrl = (word: string): string => {
  const scheme = word.indexOf("://");
  if (scheme < 0 && !HOST_PATH.test(word)) return word;
  const start = scheme < 0 ? 0 : scheme + 3;
  let rest = word.slice(start);
  const at = rest.search(/[/?#]/);
  const host = at < 0 ? rest : rest.slice(0, at);
  if (host.includes("@")) rest = `[…]@${rest.slice(host.lastIndexOf("@") + 1)}`;
  const query = rest.search(/[?#]/);
  return word.slice(0, start) + (query < 0 ? rest : `${rest.slice(0, query)}?…`);
};
// Each word (split on spaces and quotes: linear time on any text) is looked at once.
const cutUrls = (text: string): string => text.replace(/[^\s"'<>]+/g, cutUrl);

// A TC3 Authorization header, or a value named like a secret.
const SIGNED =
  /(TC3-HMAC-SHA256\s+)?Credential=\S+|\b(signature|sig|sign|token|secret\w*|password|passwd|pwd|key|tmp\w*key|x-tc-token)([=:]\s*)[^\s&,;"']+/gi;
// A run of the base64, base64url, hex or percent-encoded alphabet with a stretch of 28 or more
// letters and digits, both: a key (32), a signature (64), a token or photo bytes. JobIds (digits
// only), RequestIds (dashed in short stretches) and words are shorter or not mixed.
const RUN = /[A-Za-z0-9+/=_%.-]{28,}/g;
const TRACE_CONTEXT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/; // a traceparent: ids, not secrets
const isSecret = (run: string): boolean =>
  !TRACE_CONTEXT.test(run) &&
  run.split(/%[0-9A-Fa-f]{2}|[/+_.=-]/).some((part) => part.length >= 28 && /\d/.test(part) && /[A-Za-z]/.test(part));

/** Control characters (a forged log line's newline), shown escaped: \n, \r, \t, or \u00XX. */
const HAS_CONTROL = /[^ -~\u0080-\uffff]/; // anything but printable ASCII and the rest of Unicode
const escapeControls = (text: string): string => {
  if (!HAS_CONTROL.test(text)) return text;
  let out = "";
  for (const char of text) {
    const code = char.charCodeAt(0);
    out +=
      code >= 0x20 && code !== 0x7f
        ? char
        : char === "\n"
          ? "\\n"
          : char === "\r"
            ? "\\r"
            : char === "\t"
              ? "\\t"
              : `\\u${code.toString(16).padStart(4, "0")}`;
  }
  return out;
};

// A text of letters, digits, "_", "." and "-" only, without a run of 28 letters and digits: no URL,
// no named value, no control character, no key or token. It leaves as it is, at no cost.
const PLAIN = /^[\w.-]{0,200}$/;
const LONG_RUN = /[A-Za-z0-9]{28}/;

/**
 * A string as it may leave in a span or a log line: URL queries and passwords, signatures, values
 * named like secrets, keys, tokens and bytes taken out, control characters escaped, at most 1,000
 * characters. A safety net: vclm never puts a secret in a text on purpose.
 */
export function scrub(text: string): string {
  // Most texts are names and ids (a region, an action, a JobId, a RequestId): nothing to take out.
  if (PLAIN.test(text) && !LONG_RUN.test(text)) return text;
  const cut = text.length > MAX_TEXT * 4 ? `${text.slice(0, MAX_TEXT * 4)}…` : text; // bounded work
  const clean = escapeControls(
    cutUrls(cut)
      .replace(SIGNED, (_, _tc3, name, sep) => (name ? `${name}${sep}[…]` : "[signature]"))
      .replace(RUN, (run) => (isSecret(run) ? "[…]" : run)),
  );
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean;
}

/** Attributes with every string scrubbed, and the undefined ones left out. */
export function scrubbed(attributes: VclmAttributes): VclmAttributes {
  const out: VclmAttributes = {};
  for (const [key, value] of Object.entries(attributes))
    if (value !== undefined) out[key] = typeof value === "string" ? scrub(value) : value;
  return out;
}
