// Preloaded by run-samples.mjs before a doc sample runs: the emulator answers for every
// *.tencentcloudapi.com host in-process (so signatures for the real host names verify), and knows
// the placeholder key the docs use, "AKID..." / "...", which is also in TENCENTCLOUD_SECRET_ID /
// TENCENTCLOUD_SECRET_KEY. Nothing else is given to a sample: it makes its client, reads its photo
// (dancer.jpg, in the folder it runs in) and takes a JobId from its command line, as a reader's copy
// would. Here the command line is `node sample.js <JobId>`, with the JobId of a job the emulator has.
import { createServer } from "node:http";
import { SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { createEmulator, DEMO_ACCOUNT } from "@vclm/emulator";

// The videos are served over HTTP on loopback too (the emulator's links point there), for samples
// that download them with node:http rather than fetch (vclm/node's save). Each answer closes its
// connection, and the server does not keep the sample's process alive.
const videos = createServer(async (request, response) => {
  const answer = await emulator.fetch(new Request(`http://127.0.0.1${request.url}`, { headers: request.headers }));
  response.writeHead(answer.status, { ...Object.fromEntries(answer.headers), connection: "close" });
  response.end(Buffer.from(await answer.arrayBuffer()));
});
await new Promise((listening) => videos.listen(0, "127.0.0.1", listening));
videos.unref();

const PLACEHOLDER = { secretId: "AKID...", secretKey: "..." };
const emulator = createEmulator({
  accounts: [PLACEHOLDER, DEMO_ACCOUNT],
  schedule: { waitMs: 200, runMs: 600 },
  publicUrl: `http://127.0.0.1:${videos.address().port}`,
});
const realFetch = globalThis.fetch;
// Every error the emulator answers is a sample that would fail against the service (a missing
// header, a wrong key, an unknown JobId): the run fails, even if the sample never looked.
const refused = [];
globalThis.fetch = async (input, init) => {
  const request = new Request(input, init);
  if (!new URL(request.url).hostname.endsWith(".tencentcloudapi.com")) return realFetch(request);
  const answer = await emulator.fetch(request);
  const error = (
    await answer
      .clone()
      .json()
      .catch(() => ({}))
  )?.Response?.Error;
  if (error) refused.push(`${request.headers.get("x-tc-action")}: ${error.Code}: ${error.Message}`);
  return answer;
};
process.on("exit", () => {
  if (!refused.length) return;
  console.error(`the emulator refused what the sample sent:\n  ${refused.join("\n  ")}`);
  process.exitCode = 1;
});
process.env.TENCENTCLOUD_SECRET_ID = PLACEHOLDER.secretId;
process.env.TENCENTCLOUD_SECRET_KEY = PLACEHOLDER.secretKey;

if (process.argv.length === 2) {
  const client = new VclmClient({ region: "ap-singapore", credentials: PLACEHOLDER });
  const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://example.com/dancer.jpg" });
  process.argv.push(JobId);
}
