// The browser app end to end in headless Chromium, against @vclm/emulator: pick the sample photo,
// see the pre-flight check, submit, reach DONE, and the video plays and shows the dancer. The page holds only temporary
// credentials (3 s long here, so they expire during the job and must be refreshed unnoticed), and no
// request it makes carries the permanent key. A screenshot is kept in test-results/.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { chromiumLaunchOptions } from "@vclm/tools/chromium";
import { decode as decodePng } from "fast-png";
import jpeg from "jpeg-js";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePng } from "../../../packages/core/test/photos.js";
import { startApp } from "../server.js";

const PERMANENT = { secretId: "AKIDbrowserAppBackend00000000000000", secretKey: "browser-app-backend-permanent-key-0" };
const sample = new URL("../../../samples/dancer.jpg", import.meta.url).pathname;
const results = new URL("../test-results/", import.meta.url).pathname;

/** Mean difference per channel (0-255) between a shown frame (RGBA) and the photo scaled to cover it, centred. */
function differenceFromPhoto(
  shown: { width: number; height: number; data: ArrayLike<number>; channels: number },
  photo: { width: number; height: number; data: ArrayLike<number> },
): number {
  const scale = Math.max(shown.width / photo.width, shown.height / photo.height);
  let sum = 0;
  for (let y = 0; y < shown.height; y++)
    for (let x = 0; x < shown.width; x++) {
      const px = Math.min(photo.width - 1, Math.floor((x + 0.5 - shown.width / 2) / scale + photo.width / 2));
      const py = Math.min(photo.height - 1, Math.floor((y + 0.5 - shown.height / 2) / scale + photo.height / 2));
      for (let c = 0; c < 3; c++)
        sum += Math.abs(
          (shown.data[(y * shown.width + x) * shown.channels + c] as number) - (photo.data[(py * photo.width + px) * 4 + c] as number),
        );
    }
  return sum / (shown.width * shown.height * 3);
}

let emulator: RunningEmulator;
let app: Awaited<ReturnType<typeof startApp>>;
let browser: Browser;

beforeAll(async () => {
  emulator = await startEmulator({ accounts: [PERMANENT], schedule: { waitMs: 1_000, runMs: 3_500 } });
  app = await startApp({
    vclmEndpoint: emulator.url,
    stsEndpoint: emulator.url,
    signingHost: "127.0.0.1",
    credentials: PERMANENT,
    tokenSeconds: 3,
    refreshBeforeMs: 1_000,
    submitsPerDay: 2,
    bindCredentialsTo: "127.0.0.1/32", // the relay's outbound address: the credentials work only through it
  });
  browser = await chromium.launch(chromiumLaunchOptions());
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await emulator?.close();
});

describe("apps/browser in Chromium", () => {
  it("animates the sample photo with temporary credentials through the relay, and the video plays", async () => {
    const page = await browser.newPage({ viewport: { width: 640, height: 900 } });
    const sent: string[] = [];
    page.on("request", (request) => sent.push(`${request.url()}\n${JSON.stringify(request.headers())}\n${request.postData() ?? ""}`));
    await page.goto(app.url);
    await page.fill("#name", "Ada");
    await page.click("#login button");
    await page.waitForSelector("#app:not([hidden])");
    expect(await page.textContent("#quota")).toBe("2 of 2 videos left today");

    await page.setInputFiles("#photo", sample);
    await page.waitForSelector("#check.ok");
    expect(await page.textContent("#check")).toBe("✓ JPEG 576×1024: the service will take it.");
    await page.click("#submit");
    await page.waitForSelector('#status[data-status="DONE"]', { timeout: 30_000 });
    expect(await page.textContent("#quota")).toBe("1 of 2 videos left today");
    await page.waitForFunction(`document.getElementById("video").currentTime > 0.3`, undefined, { timeout: 10_000 });

    mkdirSync(results, { recursive: true });
    writeFileSync(`${results}browser-app.png`, await page.screenshot());
    // The video shows the dancer: its frame, as the page shows it, against the photo as it covers
    // the frame (the emulator makes the video from the photo; a few frames in, it has moved a little).
    await page.evaluate(`(() => { const video = document.getElementById("video"); video.pause(); video.controls = false; })()`);
    const shown = decodePng(await page.locator("#video").screenshot());
    expect(differenceFromPhoto(shown, jpeg.decode(readFileSync(sample), { useTArray: true }))).toBeLessThan(20); // 7.6 measured; the fixed colour-bar video gives 122

    // The 3-second credentials expired during the job: refreshed, and nobody noticed.
    expect(app.credentialsIssued()).toBeGreaterThanOrEqual(2);
    const signed = sent.filter((r) => r.includes('"authorization"'));
    expect(signed.length).toBeGreaterThan(3);
    for (const request of signed) expect(request).toMatch(/Credential=AKIDtmp/);
    for (const request of sent) {
      expect(request).not.toContain(PERMANENT.secretId);
      expect(request).not.toContain(PERMANENT.secretKey);
    }
    // Only the page's own origin was called: the relay, not the service.
    for (const request of sent.filter((r) => !r.includes("/videos/"))) expect(request.startsWith(app.url)).toBe(true);
  }, 60_000);

  it("shows a photo the service would refuse, and does not let it be submitted", async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    await page.fill("#name", "Grace");
    await page.click("#login button");
    await page.waitForSelector("#app:not([hidden])");
    await page.setInputFiles("#photo", { name: "square.png", mimeType: "image/png", buffer: Buffer.from(makePng(800, 800)) });
    await page.waitForSelector("#check.bad");
    expect(await page.textContent("#check")).toContain("FailedOperation.ImageRadioExcceed");
    expect(await page.isDisabled("#submit")).toBe(true);
  });
});

describe("apps/browser's credentials and relay routes", () => {
  it("gives an anonymous visitor no credentials and forwards nothing for them", async () => {
    const credentials = await fetch(new URL("/api/credentials", app.url), { method: "POST" });
    expect(credentials.status).toBe(401);
    expect(await credentials.text()).not.toMatch(/TmpSecretKey|Token/);
    const relayed = await fetch(new URL("/vclm", app.url), {
      method: "POST",
      headers: { "X-TC-Action": "SubmitImageAnimateJob" },
      body: "{}",
    });
    expect(relayed.status).toBe(401);
  });

  it("stops reading a chunked upload at the relay's cap instead of buffering it whole", async () => {
    const { request } = await import("node:http");
    const target = new URL("/vclm", app.url);
    // A signed-in user with real credentials, so the relay reaches the body (an anonymous one is refused before).
    const login = await fetch(new URL("/api/login", app.url), { method: "POST", body: JSON.stringify({ name: "Uploader" }) });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const issued = await (await fetch(new URL("/api/credentials", app.url), { method: "POST", headers: { cookie } })).json();
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      cookie,
      "X-TC-Action": "SubmitImageAnimateJob",
      "X-TC-Timestamp": String(timestamp),
      Authorization: `TC3-HMAC-SHA256 Credential=${issued.Credentials.TmpSecretId}/2026-01-01/vclm/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=${"0".repeat(64)}`,
    };
    const chunk = Buffer.alloc(256 * 1024, 65);
    let written = 0;
    const status = await new Promise<number>((resolve, reject) => {
      const upload = request(target, { method: "POST", headers }, (response) => {
        resolve(response.statusCode ?? 0);
        response.resume();
        upload.destroy();
      });
      upload.on("error", (error) => (written > 0 ? undefined : reject(error)));
      const pump = () => {
        // Offer up to 200 MiB, chunked; stop as soon as the server has answered.
        while (written < 200 * 1024 * 1024 && !upload.destroyed) {
          written += chunk.byteLength;
          if (!upload.write(chunk)) return void upload.once("drain", pump);
        }
        if (!upload.destroyed) upload.end();
      };
      pump();
    });
    expect(status).toBe(413);
    expect(written).toBeLessThan(48 * 1024 * 1024); // the 16 MiB cap plus what sockets buffer, not 200 MiB
  });
});
