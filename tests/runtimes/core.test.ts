import { fileURLToPath } from "node:url";
import { makePng } from "@vclm/tools/photos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobsHandler, startTestServer, type TestServer } from "../../packages/core/test/server.js";
import { runtimes } from "./src/runners.js";

const probe = fileURLToPath(new URL("./probes/core.js", import.meta.url));
const credentials = { secretId: "AKIDruntime", secretKey: "runtime-secret-key" };
let server: TestServer;

beforeAll(async () => {
  // What fromEnv() reads in the runtimes that have an environment (children inherit it).
  process.env.TENCENTCLOUD_SECRET_ID = credentials.secretId;
  process.env.TENCENTCLOUD_SECRET_KEY = credentials.secretKey;
  server = await startTestServer({ [credentials.secretId]: credentials.secretKey }, jobsHandler(9_000_000_000_000_000_000n));
});
afterAll(() => server.close());

describe.each(runtimes)("@vclm/core in $name", ({ name, run }) => {
  it("reads credentials from the runtime's env, base64s a Blob, submits, follows the job to DONE, and types every error", async () => {
    const input = {
      endpoint: server.url,
      relayTarget: server.url,
      credentials,
      photoBase64: Buffer.from(makePng(600, 1000)).toString("base64"),
      squareBase64: Buffer.from(makePng(700, 700)).toString("base64"),
      workerEnv: { TENCENTCLOUD_SECRET_ID: credentials.secretId, TENCENTCLOUD_SECRET_KEY: credentials.secretKey },
    };
    expect(await run(probe, input)).toEqual({
      jobIdIsString: true,
      base64Matches: true,
      statuses: ["WAIT", "RUN", "DONE"],
      errors: ["FailedOperation.JobNotFound", "photo:FailedOperation.ImageRadioExcceed", "validation"],
      explicit: "DONE",
      credentialsFrom: name === "workerd" || name === "chromium" ? "env object" : "environment",
    });
  });
});
