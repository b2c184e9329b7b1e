// Requests per second against one loopback server (bench/server.js, its own process), at
// concurrency 1 and 64, for: @vclm/core; raw fetch with headers signed once beforehand (the limit:
// no validation, no signing, no parsing); and the official Node SDK's VclmClient (intl-en, VCLM
// 2024-05-23, TC3 signing). Contenders take turns in rounds; each figure is a median.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { sign } from "@vclm/signer";
import ky from "ky";
import { DescribeImageAnimateJob, VclmClient } from "../dist/index.js";

const require = createRequire(import.meta.url);
const OfficialClient = require("tencentcloud-sdk-nodejs-intl-en/tencentcloud/vclm/v20240523/vclm_client.js");
const ClientProfile = require("tencentcloud-sdk-nodejs-intl-en/tencentcloud/common/profile/client_profile.js");
const HttpProfile = require("tencentcloud-sdk-nodejs-intl-en/tencentcloud/common/profile/http_profile.js");

const server = spawn(process.execPath, [new URL("./server.js", import.meta.url).pathname], { stdio: ["ignore", "pipe", "inherit"] });
process.on("exit", () => server.kill());
const [line] = await once(server.stdout, "data");
const url = line.toString().trim();
const { host } = new URL(url);
const credentials = { secretId: "AKIDbench0000000000000000000000000000", secretKey: "bench-secret-key-000000000000000000" };
const input = { JobId: "1194931538865782784" };

const core = new VclmClient({ region: "ap-singapore", endpoint: url, credentials });

const rawBody = JSON.stringify(input);
const rawHeaders = await sign(
  {
    host: "127.0.0.1",
    headers: { "X-TC-Action": "DescribeImageAnimateJob", "X-TC-Version": "2024-05-23", "X-TC-Region": "ap-singapore" },
    body: rawBody,
  },
  { credentials, service: "vclm" },
);
const raw = async () => {
  const response = await fetch(url, { method: "POST", headers: rawHeaders, body: rawBody });
  return JSON.parse(await response.text()).Response;
};

// ky as core calls it (retry and HTTP-error throwing off, a timeout), headers signed once: the
// transport's own cost, with nothing of core around it.
const kyOnly = async () => {
  const response = await ky.post(url, { headers: rawHeaders, body: rawBody, retry: 0, throwHttpErrors: false, timeout: 60_000 });
  return JSON.parse(await response.text()).Response;
};

const httpProfile = new HttpProfile();
httpProfile.endpoint = host;
httpProfile.protocol = "http://";
const official = new OfficialClient(credentials, "ap-singapore", new ClientProfile("TC3-HMAC-SHA256", httpProfile));
const officialDescribe = promisify(official.DescribeImageAnimateJob.bind(official));

const contenders = {
  "@vclm/core": () => core.send(DescribeImageAnimateJob, input),
  "raw fetch, headers signed once (the limit)": raw,
  "ky alone, headers signed once": kyOnly,
  "official SDK VclmClient": () => officialDescribe(input),
};

// Every contender must really work before it is timed.
for (const [name, call] of Object.entries(contenders)) {
  const answer = await call();
  if (answer.Status !== "RUN") throw new Error(`${name} did not get the answer: ${JSON.stringify(answer)}`);
}

/** Requests completed per second with `concurrency` in flight for `ms`. */
async function rate(call, concurrency, ms) {
  let done = 0;
  const end = performance.now() + ms;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await call();
        done++;
      }
    }),
  );
  return (done * 1000) / (performance.now() - start);
}

const rows = [];
for (const concurrency of [1, 64]) {
  const samples = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  for (const call of Object.values(contenders)) await rate(call, concurrency, 300); // warm-up
  for (let round = 0; round < 5; round++) {
    const names = Object.keys(contenders);
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length];
      samples[name].push(await rate(contenders[name], concurrency, 1000));
    }
  }
  const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
  const limit = median(samples["raw fetch, headers signed once (the limit)"]);
  const officialRate = median(samples["official SDK VclmClient"]);
  for (const [name, values] of Object.entries(samples)) {
    const value = median(values);
    rows.push({
      concurrency,
      client: name,
      "requests/s": Math.round(value).toLocaleString("en-US"),
      "vs raw fetch": `${((value / limit) * 100).toFixed(0)}%`,
      "vs official": `${(value / officialRate).toFixed(2)}x`,
    });
  }
}
console.log(
  `\n@vclm/core on Node ${process.versions.node}: DescribeImageAnimateJob requests per second against one loopback server (median of 5 interleaved 1 s rounds)`,
);
console.table(rows);
process.exit(0);
