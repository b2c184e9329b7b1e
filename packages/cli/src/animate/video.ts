import { openVideo, type TemplateId, VideoDownloadError } from "@vclm/core";

/**
 * A finished video: its job, its link and when the link stops working, and ways to fetch it. The
 * bytes are checked to be a whole video (an HTTP error, an error page or a cut-off answer rejects
 * with a `VideoDownloadError`).
 *
 * @example
 * ```ts
 * import { animate, type Video } from "vclm";
 *
 * const video: Video = await animate(new URL("https://example.com/dancer.jpg"));
 * console.log(video.jobId, video.url, video.expiresAt.toISOString());
 * const bytes = await video.download();
 * ```
 */
export interface Video {
  /** The job that made it: paid for, and enough to find it again (`vclm wait <JobId>`). */
  readonly jobId: string;
  /** The template it dances (for a video picked up with `resume`, the one given to it, if any). */
  readonly template: TemplateId | undefined;
  /** The result video's link, as the service gave it. */
  readonly url: string;
  /** When {@link Video.url} stops working (24 hours after the job ended, or what its signature names). */
  readonly expiresAt: Date;
  /** The whole video, as bytes (an MP4). */
  download(options?: { signal?: AbortSignal | undefined }): Promise<Uint8Array>;
  /** The video as a stream, to pipe into a file, a bucket or a response without holding it all. */
  stream(options?: { signal?: AbortSignal | undefined }): Promise<ReadableStream<Uint8Array>>;
}

/** The video at `url`, fetched with `fetcher`. */
export function videoAt(fields: Pick<Video, "jobId" | "template" | "url" | "expiresAt">, fetcher: typeof fetch = fetch): Video {
  const open = (signal?: AbortSignal) => openVideo(fields.url, { fetch: fetcher, signal });
  return {
    ...fields,
    async stream({ signal } = {}) {
      return (await open(signal)).body;
    },
    async download({ signal } = {}) {
      const { body, total } = await open(signal);
      const bytes = new Uint8Array(await new Response(body).arrayBuffer());
      if (total !== undefined && bytes.byteLength !== total)
        throw new VideoDownloadError(
          `the video could not be downloaded: ${new URL(fields.url).host} sent ${bytes.byteLength} of ${total} bytes; try again while the link works (until ${fields.expiresAt.toISOString()})`,
        );
      return bytes;
    },
  };
}
