import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { type VideoAnswer, VideoDownloadError } from "@vclm/core";
import { notAVideo, rangeHeaders, readVideoAnswer } from "@vclm/core/internal";

/** How long a download may go without a byte before its connection is cut. */
const IDLE_TIMEOUT_MS = 60_000;

/** A video answer's bytes as they arrive, and a way to stop them. */
export interface VideoBytes extends VideoAnswer {
  readonly chunks: AsyncIterable<Uint8Array>;
  cancel(): Promise<void>;
}

/** What to ask for: from which byte, only if the video is still `ifRange`'s. */
export interface VideoRequest {
  readonly from?: number | undefined;
  readonly ifRange?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /** How long the connection may go without a byte before it is cut. @default 60_000 */
  readonly idleTimeout?: number | undefined;
}

/**
 * Fetches a result video with Node's own HTTP client, under the same rule as `openVideo`: on
 * Node a download costs a third of the CPU it costs through `fetch` and web streams, and a batch
 * downloads thousands. A connection that goes quiet (a NAT that forgot it, a network that
 * changed) is cut, not waited on forever: the download is tried again from what it kept.
 */
export function getVideo(url: string, { from = 0, ifRange, signal, idleTimeout = IDLE_TIMEOUT_MS }: VideoRequest): Promise<VideoBytes> {
  const target = new URL(url);
  const request = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let incoming: IncomingMessage | undefined;
    const answered = (response: IncomingMessage) => {
      incoming = response;
      const answer = readVideoAnswer(response.statusCode ?? 0, (name) => response.headers[name] as string | undefined, target.host);
      if ("refused" in answer) {
        response.destroy();
        reject(notAVideo(answer.refused, response.statusCode ?? 0));
        return;
      }
      resolve({
        ...answer,
        chunks: response,
        cancel: async () => {
          response.destroy();
        },
      });
    };
    const outgoing = request(target, { headers: rangeHeaders(from, ifRange) ?? {}, ...(signal && { signal }) }, answered);
    outgoing.setTimeout(idleTimeout, () => {
      const quiet = new VideoDownloadError(`no bytes from ${target.host} for ${idleTimeout / 1000} s: the connection was cut`);
      incoming?.destroy(quiet); // the body's reader sees why, not a bare "aborted"
      outgoing.destroy(quiet);
    });
    outgoing.on("error", (error) => reject(signal?.aborted ? signal.reason : error));
    outgoing.end();
  });
}
