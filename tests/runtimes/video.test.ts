// The emulator's result video, made from the photo, played by Chromium: frame 0 drawn on a canvas
// is the photo (as it covers the frame), later frames move, and a photo given as an ImageUrl that
// is not fetched gets the fixed sample video.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DescribeImageAnimateJob, SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { createEmulator, DEMO_ACCOUNT } from "@vclm/emulator";
import { chromiumLaunchOptions } from "@vclm/tools/chromium";
import { encode } from "fast-png";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";

/** A 600 x 1000 photo of four colours, one a quadrant, with a white cross between them. */
function quadrants(): Uint8Array {
  const width = 600;
  const height = 1000;
  const data = new Uint8Array(width * height * 3);
  const colours = [
    [220, 40, 40],
    [40, 180, 60],
    [40, 60, 200],
    [230, 210, 40],
  ];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const cross = Math.abs(x - width / 2) < 20 || Math.abs(y - height / 2) < 20;
      const colour = cross ? [255, 255, 255] : (colours[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)] as number[]);
      data.set(colour, (y * width + x) * 3);
    }
  return encode({ width, height, data, channels: 3, depth: 8 });
}

async function resultVideo(input: { photo: Uint8Array } | { ImageUrl: string }): Promise<Uint8Array> {
  const emulator = createEmulator({ clock: "manual" });
  const client = new VclmClient({
    region: "ap-singapore",
    endpoint: "http://vclm.emulator.test/",
    credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
    fetch: (url, init) => emulator.fetch(new Request(url, init)),
  });
  const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ...input });
  emulator.clock.advance(15_000);
  // The video's link is signed: the one Describe gives.
  const { ResultVideoUrl } = await client.send(DescribeImageAnimateJob, { JobId });
  return new Uint8Array(await (await emulator.fetch(new Request(ResultVideoUrl))).arrayBuffer());
}

/**
 * In Chromium: plays the video, draws frame 0 and one past 1.2 s on a canvas, draws the photo the way it
 * covers the frame on another, and returns the mean difference per channel (0 to 255) of frame 0
 * and the photo, and of the two frames.
 */
async function compareInChromium(video: Uint8Array, photo: Uint8Array) {
  const server = createServer((request, response) => {
    const [type, body] =
      request.url === "/video.mp4"
        ? ["video/mp4", video]
        : request.url === "/photo.png"
          ? ["image/png", photo]
          : ["text/html", "<!doctype html>"];
    response.writeHead(200, { "content-type": type as string }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    // A string, not a function: the test runner rewrites code in functions it loads.
    return await page.evaluate(`(async () => {
      const video = document.createElement("video");
      video.muted = true;
      video.src = "/video.mp4";
      await new Promise((resolve, reject) => { video.onloadeddata = resolve; video.onerror = () => reject(new Error("the video does not play: " + (video.error && video.error.message))); });
      const draw = (source, transform) => {
        const canvas = document.createElement("canvas");
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        const context = canvas.getContext("2d", { willReadFrequently: true });
        transform ? transform(context) : context.drawImage(source, 0, 0);
        return context.getImageData(0, 0, canvas.width, canvas.height).data;
      };
      // loadeddata says frame 0 is there, but a loaded machine may still hand the canvas a blank
      // frame for a moment: the photo has no black, so wait (up to 5 s) for one that is not blank.
      let first = draw(video);
      for (let tries = 0; tries < 100 && first.every((value, i) => value === 0 || i % 4 === 3); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        first = draw(video);
      }
      // Played, not seeked: headless Chromium draws a stale frame after a seek.
      await video.play();
      await new Promise((resolve) => { const check = () => (video.currentTime >= 1.2 ? resolve() : setTimeout(check, 20)); check(); });
      video.pause();
      const later = draw(video);
      const image = new Image();
      image.src = "/photo.png";
      await image.decode();
      const scale = Math.max(video.videoWidth / image.width, video.videoHeight / image.height);
      const expected = draw(image, (context) => {
        const w = image.width * scale, h = image.height * scale;
        context.drawImage(image, (video.videoWidth - w) / 2, (video.videoHeight - h) / 2, w, h);
      });
      const difference = (a, b) => { let sum = 0, n = 0; for (let i = 0; i < a.length; i += 4) for (let c = 0; c < 3; c++) { sum += Math.abs(a[i + c] - b[i + c]); n++; } return sum / n; };
      return { width: video.videoWidth, height: video.videoHeight, duration: video.duration, photoVsFrame0: difference(first, expected), frame0VsLater: difference(first, later) };
    })()`);
  } finally {
    await browser.close();
    server.close();
  }
}

describe("the emulator's result video, in Chromium", () => {
  it("is the photo: frame 0 matches it, later frames move, 3 s of 192 x 320 H.264 under 3 MB", async () => {
    const photo = quadrants();
    const video = await resultVideo({ photo });
    expect(video.length).toBeLessThan(3_000_000); // bytes are deterministic: a size budget
    const result = (await compareInChromium(video, photo)) as Record<string, number>;
    console.log("mean difference per channel (0-255):", { photoVsFrame0: result.photoVsFrame0, frame0VsLater: result.frame0VsLater });
    expect(result).toMatchObject({ width: 192, height: 320, duration: 3 });
    expect(result.photoVsFrame0).toBeLessThan(4); // colour conversion and edge smoothing only
    expect(result.frame0VsLater).toBeGreaterThan(10); // it dances
  }, 60_000);

  it("keeps the fixed sample video for an ImageUrl it did not fetch", async () => {
    const video = await resultVideo({ ImageUrl: "https://example.com/dancer.jpg" });
    const result = (await compareInChromium(video, quadrants())) as Record<string, number>;
    expect(result).toMatchObject({ width: 240, height: 432 });
    expect(result.photoVsFrame0).toBeGreaterThan(40);
  }, 60_000);
});
