import type { Job } from "../jobs/store.js";
import { photoForVideo, photoVideo } from "./photo-video.js";
import { fnv1a64, type Video, videoOf } from "./video.js";

const MAX_PHOTOS = 32;
const MAX_PHOTO_BYTES = 64 * 1024 * 1024;
const MAX_VIDEOS = 8;

/**
 * Videos made in this process, by photo and template, the latest 8: the same photo and template
 * make the same bytes, so tests and simulations that start many emulators make each video once.
 */
const made = new Map<string, Video | undefined>();

/** Puts `value` in `map` as its newest entry (the latest used is kept longest), forgetting the oldest past MAX_VIDEOS. */
function remember<T>(map: Map<string, T>, key: string, value: T): T {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) if (map.size > MAX_VIDEOS) map.delete(oldest);
  return value;
}

function makeVideo(bytes: Uint8Array, templateId: string): Video | undefined {
  const key = `${templateId}:${bytes.length}:${fnv1a64(bytes)}`;
  if (made.has(key)) return remember(made, key, made.get(key));
  const photo = photoForVideo(bytes);
  return remember(made, key, photo && videoOf(photoVideo(photo, templateId)));
}

/**
 * The photos of the latest jobs, as submitted, and the videos made from them. Nothing is decoded
 * at Submit (it would take time from the job's schedule): the photo is kept as sent, the latest 32
 * or 64 MB of them, and made into a video when it is first downloaded; the latest 8 videos are kept.
 */
export class VideoCache {
  readonly #photos = new Map<string, Uint8Array>();
  #photoBytes = 0;
  readonly #videos = new Map<string, Video | undefined>();

  /** Keeps a job's photo to make its video from, forgetting the oldest past the limits. */
  keepPhoto(jobId: string, bytes: Uint8Array): void {
    this.#photos.set(jobId, bytes);
    this.#photoBytes += bytes.length;
    for (const [oldest, photo] of this.#photos) {
      if (this.#photos.size <= MAX_PHOTOS && this.#photoBytes <= MAX_PHOTO_BYTES) break;
      this.#photos.delete(oldest);
      this.#photoBytes -= photo.length;
    }
  }

  /** The video made from a job's photo with its template's dance (made once); undefined for the sample video (no photo kept, or one that does not decode). */
  videoOf({ id, templateId }: Pick<Job, "id" | "templateId">): Video | undefined {
    if (this.#videos.has(id)) return this.#videos.get(id);
    const bytes = this.#photos.get(id);
    if (!bytes) return undefined;
    return remember(this.#videos, id, makeVideo(bytes, templateId));
  }
}
