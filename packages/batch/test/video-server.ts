// A video server on loopback, for the download tests: it serves `video` (which a test may replace
// by another version), with a strong ETag and Last-Modified unless told not to, honours `Range`,
// and `If-Range` as COS does (unless `ifRange: "ignored"`: a server that sends the range anyway).
// `cut(n)` cuts the next answer after n bytes; `hold(n)` sends n bytes of it, then nothing (the
// connection stays open). `etag` gives the ETag (by default a digest of the video).
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface VideoServerOptions {
  type?: string;
  status?: number;
  validators?: boolean;
  ifRange?: "honoured" | "ignored";
  etag?: string;
}

export async function videoServer(first: Uint8Array, options: VideoServerOptions = {}) {
  const { type = "video/mp4", status = 200, validators = true, ifRange = "honoured" } = options;
  let video = first;
  let version = 1;
  const requests: { range?: string | undefined; ifRange?: string | undefined }[] = [];
  const cuts: number[] = [];
  const holds: number[] = [];
  const etag = () => options.etag ?? `"${createHash("sha256").update(video).digest("hex").slice(0, 16)}"`;
  const lastModified = () => new Date(Date.UTC(2026, 11, 1, 0, 0, version)).toUTCString();
  const server: Server = createServer((request, response) => {
    requests.push({ range: request.headers.range, ifRange: request.headers["if-range"] as string | undefined });
    if (status !== 200) return response.writeHead(status, { "Content-Type": type }).end('{"error":"expired"}');
    let match = /^bytes=(\d+)-$/.exec(request.headers.range ?? "");
    const asked = request.headers["if-range"];
    if (match && asked && ifRange === "honoured" && asked !== etag() && asked !== lastModified()) match = null;
    const start = match ? Number(match[1]) : 0;
    if (start >= video.length) return response.writeHead(416, { "Content-Range": `bytes */${video.length}` }).end();
    const body = video.subarray(start);
    response.writeHead(match ? 206 : 200, {
      "Content-Type": type,
      "Content-Length": body.length,
      ...(validators && { ETag: etag(), "Last-Modified": lastModified() }),
      ...(match && { "Content-Range": `bytes ${start}-${video.length - 1}/${video.length}` }),
    });
    const cut = cuts.shift();
    if (cut !== undefined) {
      response.write(body.subarray(0, cut), () => response.socket?.destroy());
      return;
    }
    const held = holds.shift();
    if (held !== undefined) return void response.write(body.subarray(0, held));
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/videos/1.mp4?expires=1`;
  return {
    url,
    requests,
    /** Cuts the next answer after `bytes`. */
    cut(bytes: number) {
      cuts.push(bytes);
    },
    /** Sends `bytes` of the next answer, then nothing more, the connection left open. */
    hold(bytes: number) {
      holds.push(bytes);
    },
    /** From now on, serves another version of the video at the same URL. */
    replace(next: Uint8Array) {
      video = next;
      version++;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Bytes that differ from one seed to another. */
export const videoBytes = (length: number, seed = 7): Uint8Array => Uint8Array.from({ length }, (_, i) => (i * seed + (i >> 8)) & 0xff);
