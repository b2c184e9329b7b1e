// Submit with an ImageUrl, on an emulator that downloads it (`fetchImageUrls`): the download is
// bounded in size (the photo limit, 10 MB: reading stops there) and in time (`imageUrlTimeoutMs`),
// against real loopback servers that answer nothing, trickle, or never stop sending.

import { once } from "node:events";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "../src/emulator.js";
import { pngHeader } from "./header-photos.js";
import { answerOf, signedRequest } from "./signed.js";

const MB = 1024 * 1024;
const TIMEOUT_MS = 300;

// What each path of the photo server does, and how many bytes it managed to send.
let sent = 0;
let closed: Promise<unknown> = Promise.resolve();
const routes: Record<string, (response: ServerResponse) => void> = {
  "/photo.png": (response) => response.end(pngHeader(1000, 1500, { size: 10 * MB })),
  "/silent.png": () => {}, // takes the request, never answers
  "/stalls.png": (response) => {
    response.writeHead(200, { "Content-Type": "image/png" });
    response.write(pngHeader(1000, 1500)); // the header, then nothing more, ever
  },
  "/endless.png": (response) => {
    response.writeHead(200, { "Content-Type": "image/png" });
    const chunk = new Uint8Array(64 * 1024);
    const pump = () => {
      while (!response.destroyed && response.write(chunk)) sent += chunk.length;
    };
    response.on("drain", pump);
    pump();
  },
  "/claims-11mb.png": (response) => {
    response.writeHead(200, { "Content-Type": "image/png", "Content-Length": String(11 * MB) });
    response.write(pngHeader(1000, 1500));
  },
  "/missing.png": (response) => response.writeHead(404).end("no such photo"),
};

let server: Server;
let base: string;
// One that gives up quickly, for the tests of time; one with the default (10 s), for the tests of size.
let quick: Emulator;
let patient: Emulator;
beforeAll(async () => {
  server = createServer((request, response) => {
    closed = once(response, "close");
    routes[request.url ?? ""]?.(response);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  quick = createEmulator({ fetchImageUrls: true, imageUrlTimeoutMs: TIMEOUT_MS });
  patient = createEmulator({ fetchImageUrls: true });
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

async function submit(path: string, emulator = patient): Promise<{ code: string; ms: number }> {
  const started = performance.now();
  const body = JSON.stringify({ TemplateId: "ke3", ImageUrl: path.startsWith("http") ? path : base + path });
  const answer = await answerOf(await emulator.fetch(await signedRequest("http://127.0.0.1/", { action: "SubmitImageAnimateJob", body })));
  return { code: answer.Error?.Code ?? (answer.JobId ? "accepted" : "?"), ms: performance.now() - started };
}

describe("ImageUrl downloads", () => {
  it("takes a 10 MB photo, the largest the service does", async () => {
    expect((await submit("/photo.png")).code).toBe("accepted");
  });

  it("gives up on a server that never answers after imageUrlTimeoutMs: FailedOperation.ImageDownloadError", async () => {
    const { code, ms } = await submit("/silent.png", quick);
    expect(code).toBe("FailedOperation.ImageDownloadError");
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(ms).toBeLessThan(TIMEOUT_MS + 2_000);
  });

  it("gives up at the same deadline on a body that stops coming, and closes the connection", async () => {
    const { code, ms } = await submit("/stalls.png", quick);
    expect(code).toBe("FailedOperation.ImageDownloadError");
    expect(ms).toBeLessThan(TIMEOUT_MS + 2_000);
    await closed;
  });

  it("stops reading an endless body at 10 MB (FailedOperation.ImageSizeExceed) and hangs up", async () => {
    sent = 0;
    const { code } = await submit("/endless.png");
    expect(code).toBe("FailedOperation.ImageSizeExceed");
    await closed; // the emulator cancelled the download: the server's response was closed under it
    // What the server got written before the close: the 10 MB read, and what the sockets' buffers hold.
    expect(sent).toBeLessThan(10 * MB + 8 * MB);
  });

  it("refuses a photo whose Content-Length is over 10 MB without reading it", async () => {
    expect((await submit("/claims-11mb.png")).code).toBe("FailedOperation.ImageSizeExceed");
  });

  it("answers FailedOperation.ImageDownloadError for an error status or an address nothing listens on", async () => {
    expect((await submit("/missing.png")).code).toBe("FailedOperation.ImageDownloadError");
    const unused = createServer().listen(0, "127.0.0.1");
    await once(unused, "listening");
    const port = (unused.address() as AddressInfo).port;
    unused.close();
    await once(unused, "close");
    expect((await submit(`http://127.0.0.1:${port}/photo.png`)).code).toBe("FailedOperation.ImageDownloadError");
  });

  it("waits longer by default (10 s): a stalled download is still pending after a second", async () => {
    const pending = submit("/stalls.png");
    const second = new Promise((resolve) => setTimeout(resolve, 1_000, "still pending"));
    expect(await Promise.race([pending, second])).toBe("still pending");
    server.closeAllConnections(); // the server gives up instead: the download fails at once
    expect((await pending).code).toBe("FailedOperation.ImageDownloadError");
  });

  it("refuses a timeout that is no time", () => {
    for (const imageUrlTimeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => createEmulator({ imageUrlTimeoutMs })).toThrow(/imageUrlTimeoutMs/);
  });
});
