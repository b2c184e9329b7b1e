// Defect: a credentials endpoint that stops answering hung every call forever. Over real loopback
// HTTP: an endpoint that holds requests open, a VCLM server that checks signatures.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { VclmClient } from "../src/client.js";
import { fromEndpoint } from "../src/credentials/from-endpoint.js";
import { VclmTimeoutError } from "../src/errors/timeout-error.js";
import { DescribeImageAnimateJob } from "../src/operations/describe-image-animate-job.js";
import { startTestServer, type TestServer } from "./server.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A credentials endpoint that holds every request open while `stalled`, and answers STS credentials otherwise. */
async function credentialsEndpoint() {
  const held: ServerResponse[] = [];
  const state = { stalled: true, hits: 0 };
  const server = createServer((_, response) => {
    state.hits++;
    if (state.stalled) return void held.push(response);
    const Credentials = { TmpSecretId: "AKIDtmp", TmpSecretKey: "tmp-secret", Token: "tok" };
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ Credentials, ExpiredTime: Math.floor(Date.now() / 1000) + 1800 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(async () => {
    for (const response of held) response.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/credentials`, state };
}

async function vclm(): Promise<TestServer> {
  const server = await startTestServer({ AKIDtmp: "tmp-secret" }, () => ({
    Status: "RUN",
    ErrorCode: "",
    ErrorMessage: "",
    ResultVideoUrl: "",
  }));
  closers.push(() => server.close());
  return server;
}

const elapsedOf = async (run: () => Promise<unknown>) => {
  const start = performance.now();
  const outcome = await run().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return { ...outcome, ms: performance.now() - start };
};

describe("a credentials endpoint that stops answering", () => {
  it("fails a call at its signal, at its timeout, and recovers once the endpoint does", async () => {
    const endpoint = await credentialsEndpoint();
    const server = await vclm();
    const client = new VclmClient({
      region: "ap-singapore",
      endpoint: server.url,
      credentials: fromEndpoint(endpoint.url, { timeout: 1_000 }),
    });
    const JobId = "1194931538865782784";
    const refreshStarted = performance.now();

    const aborted = await elapsedOf(() => client.send(DescribeImageAnimateJob, { JobId }, { signal: AbortSignal.timeout(300) }));
    expect((aborted as { error: Error }).error.name).toBe("TimeoutError"); // the signal's own reason
    expect(aborted.ms).toBeLessThan(2_500); // not hanging: the old code never settled

    const timedOut = await elapsedOf(() => client.send(DescribeImageAnimateJob, { JobId }, { timeout: 300 }));
    const error = (timedOut as { error: VclmTimeoutError }).error;
    expect(error).toBeInstanceOf(VclmTimeoutError);
    expect(error.requestSent).toBe(false);
    expect(error.message).toMatch(/no credentials within 300 ms; nothing was sent/);
    expect(timedOut.ms).toBeLessThan(2_500);
    expect(server.received).toHaveLength(0);

    // The endpoint recovers; the stalled refresh is dropped at its own timeout (1 s), and calls go through.
    endpoint.state.stalled = false;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1_100 - (performance.now() - refreshStarted))));
    const recovered = await elapsedOf(() => client.send(DescribeImageAnimateJob, { JobId }, { timeout: 5_000 }));
    expect(recovered).toMatchObject({ value: { Status: "RUN" } });
    expect(recovered.ms).toBeLessThan(5_000);
    expect(endpoint.state.hits).toBe(2); // one stalled refresh, dropped; one that answered
    expect(server.received).toHaveLength(1);
  }, 15_000);
});
