import { fromBase64 } from "@vclm/core";
import { VIDEO_BASE64 } from "./video-data.js";

let bytes: Uint8Array | undefined;

/** The sample video's bytes (decoded once). */
export function videoBytes(): Uint8Array {
  bytes ??= fromBase64(VIDEO_BASE64);
  return bytes;
}

/** A video (the sample video by default) as a response, honouring a single-range Range header, as browsers' <video> sends. */
export function videoResponse(range: string | null, headers: Record<string, string>, video: Uint8Array = videoBytes()): Response {
  const match = range && /^bytes=(\d*)-(\d*)$/.exec(range);
  if (match && (match[1] || match[2])) {
    const start = match[1] ? Number(match[1]) : Math.max(0, video.length - Number(match[2]));
    const end = match[1] && match[2] ? Math.min(Number(match[2]), video.length - 1) : video.length - 1;
    if (start > end || start >= video.length)
      return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${video.length}` } });
    return new Response(video.slice(start, end + 1), {
      status: 206,
      headers: {
        ...headers,
        "Content-Type": "video/mp4",
        "Accept-Ranges": "bytes",
        "Content-Range": `bytes ${start}-${end}/${video.length}`,
        "Content-Length": String(end + 1 - start),
      },
    });
  }
  return new Response(video.slice(), {
    status: 200,
    headers: { ...headers, "Content-Type": "video/mp4", "Accept-Ranges": "bytes", "Content-Length": String(video.length) },
  });
}
