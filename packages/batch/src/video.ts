import { VclmError } from "@vclm/core";

/**
 * A video could not be fetched as a video: an HTTP error, another content type (an error page
 * answered with 200), or fewer bytes than announced. `status` is the HTTP status, when there was one.
 *
 * @example
 * ```ts
 * const video = await openVideo(url).catch((error) => {
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
 * An answer that is a video: its body, where it starts (`start` > 0 when a `Range` was honoured)
 * and the whole video's size when the server said.
 *
 * @example
 * ```ts
 * const { body, start, total }: OpenedVideo = await openVideo(url, { from: 1024 });
 * ```
 */
export interface OpenedVideo {
  readonly body: ReadableStream<Uint8Array>;
  readonly start: number;
  readonly total: number | undefined;
  /** The answer's `ETag`, if any: it names this version of the video. */
  readonly etag: string | undefined;
  /** The answer's `Last-Modified`, if any. */
  readonly lastModified: string | undefined;
}

/**
 * Fetches a result video, from byte `from` on if the server honours a `Range` (otherwise from 0:
 * look at `start`), and refuses anything that is not one: an HTTP error, a content type that is
 * not video or octet-stream, an empty body. With `ifRange` (an ETag or a date from an earlier
 * answer), a server that has another version of the video sends all of it (from 0) instead of the
 * range. Web standards only: the same in Workers (to stream a video into R2) as in Node.
 *
 * @example
 * ```ts
 * const { body } = await openVideo(ResultVideoUrl);
 * await bucket.put(`${JobId}.mp4`, body);
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
  const headers = from > 0 ? { Range: `bytes=${from}-`, ...(ifRange && { "If-Range": ifRange }) } : undefined;
  const response = await fetchVideo(url, { ...(headers && { headers }), ...(signal && { signal }) });
  const refuse = async (why: string) => {
    await response.body?.cancel();
    return new VideoDownloadError(`the video could not be downloaded: ${why}; nothing was saved`, response.status);
  };
  if (!response.ok) throw await refuse(`HTTP ${response.status} from ${host}`);
  const type = response.headers.get("content-type") ?? "";
  if (!/^(video\/|application\/octet-stream\b)/i.test(type))
    throw await refuse(`${host} answered ${type || "no content type"}, not a video`);
  if (!response.body) throw await refuse(`${host} answered with no body`);
  const range = response.status === 206 ? /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get("content-range") ?? "") : null;
  if (response.status === 206 && !range) throw await refuse(`${host} answered a range it did not name`);
  const start = range ? Number(range[1]) : 0;
  const length = response.headers.get("content-length");
  const total = range ? (range[2] === "*" ? undefined : Number(range[2])) : length === null ? undefined : Number(length);
  if (total === 0) throw await refuse(`${host} answered an empty video`);
  const etag = response.headers.get("etag") ?? undefined;
  const lastModified = response.headers.get("last-modified") ?? undefined;
  return { body: response.body, start, total, etag, lastModified };
}
