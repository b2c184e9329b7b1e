import type { Video } from "./video.js";

/**
 * A video as a response, as COS serves an object: `ETag` and `Last-Modified` (the time `doneAt`,
 * in ms) on 200 and 206, and a single-range `Range` honoured (what browsers' <video> and resumable
 * downloads send) unless `If-Range` names another version of the video, when it is sent whole.
 */
export function videoResponse(request: Headers, headers: Record<string, string>, video: Video, doneAt: number): Response {
  const { bytes } = video;
  const validators = { ETag: video.etag, "Last-Modified": new Date(doneAt).toUTCString() };
  const range = ifRangeHolds(request.get("if-range"), validators) ? byteRange(request.get("range"), bytes.length) : undefined;
  if (range === "unsatisfiable")
    return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${bytes.length}` } });
  if (range) {
    const [start, end] = range;
    return new Response(bytes.slice(start, end + 1), {
      status: 206,
      headers: {
        ...headers,
        ...validators,
        "Content-Type": "video/mp4",
        "Accept-Ranges": "bytes",
        "Content-Range": `bytes ${start}-${end}/${bytes.length}`,
        "Content-Length": String(end + 1 - start),
      },
    });
  }
  return new Response(bytes.slice(), {
    status: 200,
    headers: { ...headers, ...validators, "Content-Type": "video/mp4", "Accept-Ranges": "bytes", "Content-Length": String(bytes.length) },
  });
}

/** The first and last byte a single-range `Range` asks for; undefined for none (or one not understood), as then the whole video is sent. */
function byteRange(range: string | null, length: number): [number, number] | "unsatisfiable" | undefined {
  const match = range && /^bytes=(\d*)-(\d*)$/.exec(range);
  if (!match || !(match[1] || match[2])) return undefined;
  const start = match[1] ? Number(match[1]) : Math.max(0, length - Number(match[2]));
  const end = match[1] && match[2] ? Math.min(Number(match[2]), length - 1) : length - 1;
  return start > end || start >= length ? "unsatisfiable" : [start, end];
}

// RFC 9110 §13.1.5: a client resuming a download sends the validator it saw, so that it gets the
// rest of the same bytes or, if the video is another, all of the new one. An entity tag matches
// only by strong comparison (a weak one, W/"...", never does); a date only if it is Last-Modified,
// to the second an HTTP date carries. Anything else does not match: the whole video is safe.
function ifRangeHolds(ifRange: string | null, validators: { ETag: string; "Last-Modified": string }): boolean {
  if (ifRange === null) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith("W/")) return value === validators.ETag;
  return Date.parse(value) === Date.parse(validators["Last-Modified"]);
}
