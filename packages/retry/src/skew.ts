/**
 * The offset, in seconds, between the server's clock (its Date header) and ours, or undefined
 * when the answer has no usable Date. Date has one-second resolution; so does the signature.
 */
export function clockOffsetFrom(headers: Headers | undefined, now: number): number | undefined {
  const date = headers?.get("date");
  const server = date ? Date.parse(date) : Number.NaN;
  return Number.isFinite(server) ? Math.round((server - now) / 1000) : undefined;
}
