// What the coordinator's requests reach in the simulation: the emulator's service logic for the
// API, and a video host in front of the emulator's video links. The emulator gives every job the
// same sample video unless it decodes the photo (80 ms a video, too slow for thousands of runs),
// so the host serves the emulator's answer with the JobId appended in an MP4 `free` box: each
// job's video differs, and a video saved under another job's name shows. The host may cut a
// body halfway (the server dies mid-transfer) and may send one without a Content-Length.
// Each Submit is checked as it arrives: the photo its link names must still be in R2.
import type { Emulator } from "@vclm/emulator";
import type { Random } from "@vclm/tools/sim";
import type { SimBucket } from "./bucket.js";

export const API_HOST = "vclm.emulator.test";
export const VIDEO_HOST = "videos.emulator.test";
export const PHOTO_LINK_SECRET = "simulated-photo-link-secret";

export interface VideoFaults {
  /** The chance a video's body is cut halfway (it errors). */
  readonly cut?: number;
  /** The chance a video is sent without a Content-Length. */
  readonly chunked?: number;
}

/** An MP4 `free` box holding `text`: skipped by players, so the file stays a valid MP4. */
const freeBox = (text: string): Uint8Array => {
  const payload = new TextEncoder().encode(text);
  const box = new Uint8Array(8 + payload.length);
  new DataView(box.buffer).setUint32(0, box.length);
  box.set(new TextEncoder().encode("free"), 4);
  box.set(payload, 8);
  return box;
};

const concat = (a: Uint8Array, b: Uint8Array) => {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
};

/** A body of `bytes` in chunks; `cutAt`: it errors after that many bytes. */
const body = (bytes: Uint8Array, cutAt?: number): ReadableStream<Uint8Array> => {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (cutAt !== undefined && at >= cutAt)
        return controller.error(Object.assign(new TypeError("terminated"), { cause: { code: "UND_ERR_SOCKET" } }));
      if (at >= bytes.length) return controller.close();
      const end = Math.min(bytes.length, at + 8192, cutAt ?? bytes.length);
      controller.enqueue(bytes.slice(at, end));
      at = end;
    },
  });
};

export interface Service {
  readonly handle: (request: Request) => Promise<Response>;
  /** Each job's video as the host serves it whole, by JobId. */
  readonly videos: Map<string, Uint8Array>;
  /** What the Submit checks found wrong. */
  readonly problems: string[];
}

export function service(options: {
  emulator: Emulator;
  bucket: SimBucket;
  random: Random;
  now: () => number;
  videoFaults: () => VideoFaults;
}): Service {
  const { emulator, bucket, random, now, videoFaults } = options;
  const videos = new Map<string, Uint8Array>();
  const problems: string[] = [];

  // The link's signature and expiry are checked afterwards, per job (invariants.ts): crypto here would slow every run.
  const submit = async (request: Request) => {
    const { ImageUrl } = (await request.clone().json()) as { ImageUrl?: string };
    const key = URL.canParse(ImageUrl ?? "") && /^\/photos\/([\w-]+)$/.exec(new URL(ImageUrl as string).pathname)?.[1];
    if (!key || !bucket.objects.has(`photos/${key}`)) problems.push(`a Submit at ${now()} named ${ImageUrl}, a photo not in R2`);
  };

  const video = async (request: Request) => {
    const answer = await emulator.fetch(request);
    const JobId = /^\/videos\/(\d+)\.mp4$/.exec(new URL(request.url).pathname)?.[1];
    if (!answer.ok || !JobId || request.headers.has("range")) return answer;
    const bytes = concat(new Uint8Array(await answer.arrayBuffer()), freeBox(`vclm-sim job ${JobId}`));
    videos.set(JobId, bytes);
    const { cut = 0, chunked = 0 } = videoFaults();
    const headers = new Headers(answer.headers);
    if (random.chance(chunked)) headers.delete("content-length");
    else headers.set("content-length", String(bytes.length));
    return new Response(body(bytes, random.chance(cut) ? bytes.length >> 1 : undefined), { status: 200, headers });
  };

  return {
    videos,
    problems,
    async handle(request) {
      const url = new URL(request.url);
      if (url.host === VIDEO_HOST) return video(request);
      if (url.host !== API_HOST) return new Response("no such host", { status: 502 });
      if (request.headers.get("x-tc-action") === "SubmitImageAnimateJob") await submit(request);
      return emulator.fetch(request);
    },
  };
}
