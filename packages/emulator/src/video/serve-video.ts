import { doneAt, statusOf, VIDEO_TTL_MS } from "../jobs/store.js";
import type { Service } from "../service.js";
import { sampleVideo } from "./video.js";
import { videoResponse } from "./video-response.js";

/**
 * Answers `GET /videos/<JobId>.mp4` (and `.mask.mp4`): only through the signed link
 * DescribeImageAnimateJob gave, only for a DONE job, and only for 24 hours after it was done.
 */
export async function serveVideo(service: Service, url: URL, request: Headers, cors: Record<string, string>): Promise<Response> {
  const id = /^\/videos\/(\d+)(\.mask)?\.mp4$/.exec(url.pathname)?.[1];
  if (!id) return new Response("no such video", { status: 404, headers: cors });
  const now = service.clock.now();
  // Checked before the job is looked up, so a link that is not one says nothing of which jobs exist.
  const refusal = await service.videoLinks.refusal(url, now, cors);
  if (refusal) return refusal;
  const job = service.jobs.find(id);
  if (!job || statusOf(job, now) !== "DONE") return new Response("no such video", { status: 404, headers: cors });
  // The rule itself: a link this emulator signed already expires then, to the second.
  if (now > doneAt(job) + VIDEO_TTL_MS)
    return new Response("this video URL has expired (24 h after the job was done)", { status: 403, headers: cors });
  // Last-Modified is when the job was done, as COS's is when the video was stored. The ETag, a
  // digest of the bytes, also changes if a job's video falls back to the sample video (its photo
  // no longer kept, as after a restart), which Last-Modified cannot show: resume by the ETag.
  const video = (url.pathname.endsWith(".mask.mp4") ? undefined : service.videos.videoOf(job)) ?? sampleVideo();
  return videoResponse(request, cors, video, doneAt(job));
}
