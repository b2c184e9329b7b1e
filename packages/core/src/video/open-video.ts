import { VclmError } from "../errors/vclm-error.js";

/**
 * A video could not be fetched as a video: an HTTP error, another content type (an error page
 * answered with 200), or fewer bytes than announced. `status` is the HTTP status, when there was one.
 *
 * @example
 * ```ts
 * const url = "https://vclm-results.example.com/7532277463506747392.mp4?sign=..."; // a DONE job's ResultVideoUrl
 * const video = await openVideo(url).catch((error: unknown) => {
 *   if (error instanceof VideoDownloadError && error.status === 403) console.error("the link has expired");
 *   throw error;
 * });
 * ```
 */
export class VideoDownloadError extends VclmError {
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

/**
 * What an answer that is a video says of it: where its bytes start (`start` > 0 when a `Range`
 * was honoured), the whole video's size when the server said, and its validators.
 *
 * @example
 * ```ts
 * const url = "https://vclm-results.example.com/7532277463506747392.mp4?sign=..."; // a DONE job's ResultVideoUrl
 * const { start, total, etag }: VideoAnswer = await openVideo(url, { from: 1024 });
 * ```
 */
export interface VideoAnswer {
  readonly start: number;
  readonly total: number | undefined;
  /** The answer's `ETag`, if any: it names this version of the video. */
  readonly etag: string | undefined;
  /** The answer's `Last-Modified`, if any. */
  readonly lastModified: string | undefined;
}

/**
 * An answer that is a video: its body, where it starts (`start` > 0 when a `Range` was honoured)
 * and the whole video's size when the server said.
 *
 * @example
 * ```ts
 * const url = "https://vclm-results.example.com/7532277463506747392.mp4?sign=..."; // a DONE job's ResultVideoUrl
 * const { body, start, total }: OpenedVideo = await openVideo(url, { from: 1024 });
 * ```
 */
export interface OpenedVideo extends VideoAnswer {
  readonly body: ReadableStream<Uint8Array>;
}

/**
 * Reads an answer's status and headers as a video's, or says why it is not one: an HTTP error, a
 * content type that is not video or octet-stream, a range it did not name, an empty video. The
 * one rule for every way of fetching a video.
 */
export function readVideoAnswer(
  status: number,
  header: (name: string) => string | null | undefined,
  host: string,
): VideoAnswer | { refused: string } {
  if (status < 200 || status > 299) return { refused: `HTTP ${status} from ${host}` };
  const type = header("content-type") ?? "";
  if (!/^(video\/|application\/octet-stream\b)/i.test(type))
    return { refused: `${host} answered ${type || "no content type"}, not a video` };
  const range = status === 206 ? /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header("content-range") ?? "") : null;
  if (status === 206 && !range) return { refused: `${host} answered a range it did not name` };
  const start = range ? Number(range[1]) : 0;
  const length = header("content-length");
  const total = range ? (range[2] === "*" ? undefined : Number(range[2])) : length == null ? undefined : Number(length);
  if (total === 0) return { refused: `${host} answered an empty video` };
  return { start, total, etag: header("etag") ?? undefined, lastModified: header("last-modified") ?? undefined };
}

/** The request headers that ask for a video from byte `from` on, only if it is still `ifRange`'s. */
export const rangeHeaders = (from: number, ifRange: string | undefined): Record<string, string> | undefined =>
  from > 0 ? { Range: `bytes=${from}-`, ...(ifRange && { "If-Range": ifRange }) } : undefined;

/** The error for an answer that is not a video: nothing was saved. */
export const notAVideo = (why: string, status: number): VideoDownloadError =>
  new VideoDownloadError(`the video could not be downloaded: ${why}; nothing was saved`, status);

// Each body's response, kept as long as the body is: Node's fetch (undici) cancels the body of a
// response that is garbage collected before the body is read, and the reader then sees a video of
// 0 bytes, ended as if whole. A caller keeps only the body, so the response must stay with it.
const responses = new WeakMap<object, Response>();

/**
 * Fetches a result video, from byte `from` on if the server honours a `Range` (otherwise from 0:
 * look at `start`), and refuses anything that is not one: an HTTP error, a content type that is
 * not video or octet-stream, an empty body. With `ifRange` (an ETag or a date from an earlier
 * answer), a server that has another version of the video sends all of it (from 0) instead of the
 * range. Web standards only: the same in Workers (to stream a video into R2) as in Node.
 *
 * @example
 * ```ts
 * declare const env: { VIDEOS: { put(key: string, body: ReadableStream): Promise<unknown> } }; // a Worker's R2 binding
 * const client = new VclmClient({ region: "ap-singapore" });
 * const JobId = "7532277463506747392"; // a DONE job
 * const { ResultVideoUrl } = await client.send(DescribeImageAnimateJob, { JobId });
 * const { body } = await openVideo(ResultVideoUrl);
 * await env.VIDEOS.put(`${JobId}.mp4`, body);
 * ```
 */
export async function openVideo(
  url: string,
  {
    from = 0,
    ifRange,
    fetch: fetchVideo = fetch,
    signal,
  }: { from?: number; ifRange?: string | undefined; fetch?: typeof fetch; signal?: AbortSignal | undefined } = {},
): Promise<OpenedVideo> {
  const host = new URL(url).host;
  const headers = rangeHeaders(from, ifRange);
  const response = await fetchVideo(url, { ...(headers && { headers }), ...(signal && { signal }) });
  const answer = readVideoAnswer(response.status, (name) => response.headers.get(name), host);
  const refused = "refused" in answer ? answer.refused : response.body ? undefined : `${host} answered with no body`;
  if (refused) {
    await response.body?.cancel();
    throw notAVideo(refused, response.status);
  }
  const body = response.body as ReadableStream<Uint8Array>;
  responses.set(body, response);
  return { ...(answer as VideoAnswer), body };
}
