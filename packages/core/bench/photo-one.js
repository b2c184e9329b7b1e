// One contender of the photo bench (photo.bench.js), alone in this process: a 10 MB JPEG, from its
// bytes in memory to the service's answer, against the loopback server at argv[3].
//   node --expose-gc photo-one.js <contender> <url> cpu     -> CPU ms of each of 5 calls, after 2 warm-up calls
//   node --expose-gc photo-one.js <contender> <url> memory  -> one call in a fresh process: its peak RSS over the RSS it started at
// Prints one JSON line. BEFORE_CORE (a path to an older build of @vclm/core's dist) adds "before".
import { createHash } from "node:crypto";
import { request as httpRequest } from "node:http";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { largeJpeg } from "@vclm/tools/large-jpeg";

const [contender, url, mode] = process.argv.slice(2);
const photo = largeJpeg();
const credentials = { secretId: "AKIDbench0000000000000000000000000000", secretKey: "bench-secret-key-000000000000000000" };

// As the README shows it: photoToBase64, then ImageBase64 (the only way before `photo` existed).
async function coreCall(path) {
  const { SubmitImageAnimateJob, VclmClient, photoToBase64 } = await import(path);
  const client = new VclmClient({ region: "ap-singapore", endpoint: url, credentials, preflight: false });
  return async () => (await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64: await photoToBase64(photo) })).JobId;
}

// The photo's bytes as `photo`: base64 written straight into the body.
async function corePhotoCall(path) {
  const { SubmitImageAnimateJob, VclmClient } = await import(path);
  const client = new VclmClient({ region: "ap-singapore", endpoint: url, credentials, preflight: false });
  return async () => (await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", photo })).JobId;
}

function officialCall() {
  const require = createRequire(import.meta.url);
  const OfficialClient = require("tencentcloud-sdk-nodejs-intl-en/tencentcloud/vclm/v20240523/vclm_client.js");
  const ClientProfile = require("tencentcloud-sdk-nodejs-intl-en/tencentcloud/common/profile/client_profile.js");
  const HttpProfile = require("tencentcloud-sdk-nodejs-intl-en/tencentcloud/common/profile/http_profile.js");
  const httpProfile = new HttpProfile();
  httpProfile.endpoint = new URL(url).host;
  httpProfile.protocol = "http://";
  const official = new OfficialClient(credentials, "ap-singapore", new ClientProfile("TC3-HMAC-SHA256", httpProfile));
  const submit = promisify(official.SubmitImageAnimateJob.bind(official));
  // As its users do: Buffer's base64 of the bytes.
  return async () => (await submit({ TemplateId: "ke3", ImageBase64: Buffer.from(photo.buffer).toString("base64") })).JobId;
}

// The floor: one base64 pass, the body assembled in place, one SHA-256 pass, one write.
function limitCall() {
  const { host, port } = new URL(url);
  const prefix = '{"TemplateId":"ke3","ImageBase64":"';
  return () =>
    new Promise((resolve, reject) => {
      const base64 = Buffer.from(photo.buffer).toString("base64");
      const body = Buffer.allocUnsafe(prefix.length + base64.length + 2);
      body.write(prefix, 0, "latin1");
      body.write(base64, prefix.length, "latin1");
      body.write('"}', prefix.length + base64.length, "latin1");
      const digest = createHash("sha256").update(body).digest("hex");
      const sent = httpRequest({ host: host.split(":")[0], port, method: "POST", path: "/", agent: keepAlive }, (response) => {
        let text = "";
        response.on("data", (chunk) => {
          text += chunk;
        });
        response.on("end", () => resolve(JSON.parse(text).Response.JobId));
      });
      sent.on("error", reject);
      sent.setHeader("content-type", "application/json");
      sent.setHeader("x-tc-action", "SubmitImageAnimateJob");
      sent.setHeader("authorization", `TC3-HMAC-SHA256 Signature=${digest}`);
      sent.end(body);
    });
}
const { Agent } = await import("node:http");
const keepAlive = new Agent({ keepAlive: true });

const calls = {
  core: () => coreCall(new URL("../dist/index.js", import.meta.url).href),
  "core-photo": () => corePhotoCall(new URL("../dist/index.js", import.meta.url).href),
  before: () => coreCall(new URL(`file://${process.env.BEFORE_CORE}/index.js`).href),
  official: officialCall,
  limit: limitCall,
};
const call = await calls[contender]();

if (mode === "memory") {
  globalThis.gc();
  const start = process.memoryUsage().rss;
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  if ((await call()) !== "1194931538865782784") throw new Error(`${contender}: wrong answer`);
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ peakExtra: Math.max(0, peak - start), peakRaised: peak > peakBefore }));
} else {
  for (let i = 0; i < 2; i++) if ((await call()) !== "1194931538865782784") throw new Error(`${contender}: wrong answer`);
  const cpu = [];
  for (let i = 0; i < 5; i++) {
    globalThis.gc();
    const before = process.cpuUsage();
    await call();
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }
  console.log(JSON.stringify({ cpu }));
}
process.exit(0);
