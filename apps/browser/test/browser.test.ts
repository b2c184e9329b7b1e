// The browser app end to end in headless Chromium, against @vclm/emulator: pick the sample photo,
// see the pre-flight check, submit, reach DONE, and the video plays and shows the dancer. The page holds only temporary
// credentials (6 s long here, so they run out during the job and must be refreshed unnoticed), and no
// request it makes carries the permanent key. A screenshot is kept in test-results/.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { chromiumLaunchOptions } from "@vclm/tools/chromium";
import { makePng } from "@vclm/tools/photos";
import { decode as decodePng } from "fast-png";
import jpeg from "jpeg-js";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../server.js";
import { runServer, signIn } from "./app-process.js";

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
  emulator = await startEmulator({ accounts: [PERMANENT], schedule: { waitMs: 1_000, runMs: 5_500 } });
  app = await startApp({
    vclmEndpoint: emulator.url,
    stsEndpoint: emulator.url,
    signingHost: "127.0.0.1",
    credentials: PERMANENT,
    tokenSeconds: 6,
    refreshBeforeMs: 3_000,
    submitsPerDay: 2,
    bindCredentialsTo: "127.0.0.1/32", // the relay's outbound address: the credentials work only through it
    standInSignIn: true, // the name box: against the emulator only
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
    const refused: string[] = []; // the relay's and the credentials handler's refusals: none expected
    page.on("response", async (response) => {
      if (response.status() >= 400 && /\/(vclm|api\/credentials)$/.test(response.url()))
        refused.push(`${response.status()} ${response.url()}: ${await response.text().catch(() => "")}`);
    });
    await page.goto(app.url);
    await page.fill("#name", "Ada");
    await page.click("#login button");
    await page.waitForSelector("#app:not([hidden])");
    expect(await page.textContent("#quota")).toBe("2 of 2 videos left today");
    expect(await page.isVisible("#video")).toBe(false); // no empty black player before a job

    await page.setInputFiles("#photo", sample);
    await page.waitForSelector("#check.ok");
    expect(await page.textContent("#check")).toBe("✓ JPEG 576×1024: the service will take it.");
    await page.click("#submit");
    // Wait for the job's end, whichever it is, so a failure names what the page showed.
    await page.waitForSelector('#status:is([data-status="DONE"], [data-status="FAIL"], [data-status="ERROR"])', { timeout: 30_000 });
    expect(await page.textContent("#status")).toMatch(/: DONE$/);
    expect(refused).toEqual([]);
    expect(await page.textContent("#quota")).toBe("1 of 2 videos left today");
    await page.waitForFunction(`document.getElementById("video").currentTime > 0.3`, undefined, { timeout: 10_000 });
    expect(await page.isVisible("#video")).toBe(true);

    mkdirSync(results, { recursive: true });
    writeFileSync(`${results}browser-app.png`, await page.screenshot());
    // The video shows the dancer: its frame, as the page shows it, against the photo as it covers
    // the frame (the emulator makes the video from the photo; a few frames in, it has moved a little).
    await page.evaluate(`(() => { const video = document.getElementById("video"); video.pause(); video.controls = false; })()`);
    const shown = decodePng(await page.locator("#video").screenshot());
    expect(differenceFromPhoto(shown, jpeg.decode(readFileSync(sample), { useTArray: true }))).toBeLessThan(20); // 7.6 measured; the fixed colour-bar video gives 122

    // The 6-second credentials ran out during the job: refreshed, and nobody noticed.
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

  it("refuses a POST from another site's page (credentials, relay) with 403, even with the user's session", async () => {
    const cookie = await signIn(app.url, "Visited");
    for (const path of ["/api/credentials", "/vclm"]) {
      const answer = await fetch(new URL(path, app.url), {
        method: "POST",
        headers: {
          cookie,
          Origin: "https://attacker.example",
          "X-TC-Action": "DescribeImageAnimateJob",
          "Content-Type": "application/json",
        },
        body: "{}",
      });
      expect(answer.status).toBe(403);
      expect(await answer.text()).not.toMatch(/TmpSecretKey|Token/);
    }
    // The same, from the app's own page: credentials.
    const own = await fetch(new URL("/api/credentials", app.url), { method: "POST", headers: { cookie, Origin: new URL(app.url).origin } });
    expect(own.status).toBe(200);
  });

  it("stops reading a chunked upload at the relay's cap instead of buffering it whole", async () => {
    const target = new URL("/vclm", app.url);
    // A signed-in user with real credentials, so the relay reaches the body (an anonymous one is refused before).
    const cookie = await signIn(app.url, "Uploader");
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

/** A POST to `url` over HTTP/1.1, its body `total` bytes of one small chunk, chunked, written only as fast as the socket takes it; stops once answered. */
function upload(url: URL, headers: Record<string, string>, total: number): Promise<{ status: number; written: number }> {
  const chunk = Buffer.alloc(64 * 1024, 65);
  let written = 0;
  return new Promise((resolve, reject) => {
    const sending = request(url, { method: "POST", headers }, (response) => {
      resolve({ status: response.statusCode ?? 0, written });
      response.resume();
      sending.destroy();
    });
    sending.on("error", (error) => (written > 0 ? undefined : reject(error)));
    const pump = () => {
      while (written < total && !sending.destroyed) {
        written += chunk.byteLength;
        if (!sending.write(chunk)) return void sending.once("drain", pump);
      }
      if (!sending.destroyed) sending.end();
    };
    pump();
  });
}

describe("apps/browser's stand-in sign-in (the emulator's name box)", () => {
  const login = (headers: Record<string, string>, body = '{"name":"Mallory"}') =>
    fetch(new URL("/api/login", app.url), { method: "POST", headers, body });

  it("refuses a text/plain login, the kind another site's form can post, with 415 and no session", async () => {
    const answer = await login({ "Content-Type": "text/plain", Origin: new URL(app.url).origin });
    expect(answer.status).toBe(415);
    expect(answer.headers.get("set-cookie")).toBeNull();
  });

  it("refuses a login from another origin, or with no Origin, with 403 and no session", async () => {
    for (const headers of [
      { "Content-Type": "application/json", Origin: "https://attacker.example" },
      { "Content-Type": "application/json" },
    ]) {
      const answer = await login(headers);
      expect(answer.status).toBe(403);
      expect(answer.headers.get("set-cookie")).toBeNull();
    }
  });

  it("answers a 256 MB login body with 413 once past 1 KB, quickly, without holding it", async () => {
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const started = Date.now();
    const { status, written } = await upload(
      new URL("/api/login", app.url),
      { "Content-Type": "application/json", Origin: new URL(app.url).origin },
      256 * 1024 * 1024,
    ).finally(() => clearInterval(sampler));
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(status).toBe(413);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(written).toBeLessThan(48 * 1024 * 1024); // what sockets buffer, not 256 MB
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
    // Said with Content-Length, it is refused before a byte is read.
    const declared = await login(
      { "Content-Type": "application/json", Origin: new URL(app.url).origin },
      `{"name":"${"x".repeat(2_000)}"}`,
    );
    expect(declared.status).toBe(413);
  });

  it("expires a session after 12 hours: then 401, and no credentials", async () => {
    let clock = Date.now();
    const timed = await startApp({ ...standInOptions(), now: () => clock });
    try {
      const cookie = await signIn(timed.url, "Ada");
      expect((await fetch(new URL("/api/me", timed.url), { headers: { cookie } })).status).toBe(200);
      expect(await setCookieOf(timed.url, "Ada")).toContain("Max-Age=43200");
      clock += 12 * 3_600_000 + 1;
      expect((await fetch(new URL("/api/me", timed.url), { headers: { cookie } })).status).toBe(401);
      expect((await fetch(new URL("/api/credentials", timed.url), { method: "POST", headers: { cookie } })).status).toBe(401);
    } finally {
      await timed.close();
    }
  });

  it("admits at most maxSessions sign-ins per 12-hour window: 503 past them, nobody signed out, room again in the next window", async () => {
    const windowMs = 12 * 3_600_000; // the session's length: its windows start at multiples of it
    let clock = Math.floor(Date.now() / windowMs) * windowMs + 60_000; // a minute into a window
    const small = await startApp({ ...standInOptions(), maxSessions: 2, now: () => clock });
    try {
      const first = await signIn(small.url, "First");
      clock += 3_600_000;
      const second = await signIn(small.url, "Second");
      const third = await fetch(new URL("/api/login", small.url), {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: new URL(small.url).origin },
        body: '{"name":"Third"}',
      });
      expect(third.status).toBe(503);
      expect(third.headers.get("set-cookie")).toBeNull();
      // Nobody live was signed out to make room.
      for (const cookie of [first, second]) expect((await fetch(new URL("/api/me", small.url), { headers: { cookie } })).status).toBe(200);
      clock += 11 * 3_600_000 + 1; // the next window; the first has expired, the second has not
      const fourth = await signIn(small.url, "Fourth");
      expect((await fetch(new URL("/api/me", small.url), { headers: { cookie: fourth } })).status).toBe(200);
      expect((await fetch(new URL("/api/me", small.url), { headers: { cookie: second } })).status).toBe(200);
      expect((await fetch(new URL("/api/me", small.url), { headers: { cookie: first } })).status).toBe(401);
    } finally {
      await small.close();
    }
  });

  it("marks the session cookie Secure with secureCookies, and takes logins only from publicUrl's origin", async () => {
    const secure = await startApp({ ...standInOptions(), secureCookies: true, publicUrl: "https://animate.example/" });
    try {
      const fromPublic = await fetch(new URL("/api/login", secure.url), {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: "https://animate.example" },
        body: '{"name":"Ada"}',
      });
      expect(fromPublic.status).toBe(200);
      expect(fromPublic.headers.get("set-cookie")).toMatch(/; Secure(;|$)/);
      const fromHost = await fetch(new URL("/api/login", secure.url), {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: new URL(secure.url).origin },
        body: '{"name":"Ada"}',
      });
      expect(fromHost.status).toBe(403);
    } finally {
      await secure.close();
    }
  });

  it("refuses to run the stand-in sign-in against the real service", async () => {
    await expect(startApp({ credentials: PERMANENT, standInSignIn: true, bindCredentialsTo: "127.0.0.1/32" })).rejects.toThrow(
      /stand-in sign-in .* only against an emulator on this machine/,
    );
  });
});

/** Options for another app on the same emulator, with the stand-in sign-in. */
function standInOptions() {
  return {
    vclmEndpoint: emulator.url,
    stsEndpoint: emulator.url,
    signingHost: "127.0.0.1",
    credentials: PERMANENT,
    bindCredentialsTo: "127.0.0.1/32",
    standInSignIn: true,
  };
}

async function setCookieOf(url: string, name: string): Promise<string> {
  const answer = await fetch(new URL("/api/login", url), {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: new URL(url).origin },
    body: JSON.stringify({ name }),
  });
  return answer.headers.get("set-cookie") ?? "";
}

// `node server.js` with a real key (a fake one here: nothing is called before it is needed).
const FAKE_KEY = {
  TENCENTCLOUD_SECRET_ID: "AKIDfakeRealModeKey00000000000000000",
  TENCENTCLOUD_SECRET_KEY: "fake-real-mode-secret-key-000000000",
};
describe("apps/browser for real (a real key)", () => {
  it("refuses to start without AUTHORIZE_MODULE, and says what to provide", async () => {
    const server = runServer({ ...FAKE_KEY, BIND_CREDENTIALS_TO: "203.0.113.7/32" });
    try {
      const { code } = await server.outcome;
      expect(code).toBe(1);
      expect(server.output()).toContain("set AUTHORIZE_MODULE=./my-sign-in.js, a module that exports authorize(request)");
      expect(server.output()).not.toContain(FAKE_KEY.TENCENTCLOUD_SECRET_KEY);
    } finally {
      await server.stop();
    }
  });

  it("refuses to start without BIND_CREDENTIALS_TO, and says how to find the address", async () => {
    const server = runServer({ ...FAKE_KEY, AUTHORIZE_MODULE: "./test/fixtures/sign-in.js" });
    try {
      const { code } = await server.outcome;
      expect(code).toBe(1);
      expect(server.output()).toContain("set BIND_CREDENTIALS_TO to this server's outbound address as a CIDR range");
      expect(server.output()).toContain('"Binding credentials to the relay" in packages/relay/README.md');
      expect(server.output()).not.toContain(FAKE_KEY.TENCENTCLOUD_SECRET_KEY);
    } finally {
      await server.stop();
    }
  });

  it("with both, starts with your sign-in only: no /api/login (404), and /api/me knows whom authorize knows", async () => {
    const server = runServer({ ...FAKE_KEY, AUTHORIZE_MODULE: "./test/fixtures/sign-in.js", BIND_CREDENTIALS_TO: "203.0.113.7/32" });
    try {
      const { url } = await server.outcome;
      expect(url, server.output()).toBeDefined();
      const login = await fetch(new URL("/api/login", url), {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: new URL(url as string).origin },
        body: '{"name":"Mallory"}',
      });
      expect(login.status).toBe(404);
      expect(login.headers.get("set-cookie")).toBeNull();
      expect((await fetch(new URL("/api/me", url))).status).toBe(401);
      const me = await fetch(new URL("/api/me", url), { headers: { cookie: "fixture_session=ada-session" } });
      expect(((await me.json()) as { user: string }).user).toBe("ada");
      expect(((await (await fetch(new URL("/api/config", url))).json()) as { standInSignIn: boolean }).standInSignIn).toBe(false);
    } finally {
      await server.stop();
    }
  });
});
