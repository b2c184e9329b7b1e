// Defect: a credentials endpoint that stops answering hung every call forever. Over real loopback
// HTTP: an endpoint that holds requests open, a VCLM server that checks signatures.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { VclmClient } from "../src/client.js";
import { fromEndpoint } from "../src/credentials/from-endpoint.js";
import { VclmTimeoutError } from "../src/errors/timeout-error.js";
import { DescribeImageAnimateJob } from "../src/operations/describe-image-animate-job.js";
import { startTestServer, type TestServer } from "./server.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/**
 * A credentials endpoint that holds every request open while `stalled`, and answers STS credentials
 * otherwise; `recover()` stops stalling and answers the requests it holds. `dropped` counts held
 * requests whose client went away (an aborted fetch).
 */
async function credentialsEndpoint() {
  const held: ServerResponse[] = [];
  const state = { stalled: true, hits: 0, dropped: 0 };
  const answer = (response: ServerResponse) => {
    const Credentials = { TmpSecretId: "AKIDtmp", TmpSecretKey: "tmp-secret", Token: "tok" };
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ Credentials, ExpiredTime: Math.floor(Date.now() / 1000) + 1800 }));
  };
  const server = createServer((_, response) => {
    state.hits++;
    if (!state.stalled) return answer(response);
    held.push(response);
    response.on("close", () => {
      if (!response.writableEnded) state.dropped++;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(async () => {
    for (const response of held.splice(0)) response.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const recover = () => {
    state.stalled = false;
    for (const response of held.splice(0)) if (!response.destroyed) answer(response);
  };
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/credentials`, state, recover };
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

    // The endpoint recovers; each stalled refresh was dropped when its only call gave up, and calls go through.
    endpoint.state.stalled = false;
    const recovered = await elapsedOf(() => client.send(DescribeImageAnimateJob, { JobId }, { timeout: 5_000 }));
    expect(recovered).toMatchObject({ value: { Status: "RUN" } });
    expect(recovered.ms).toBeLessThan(5_000);
    expect(endpoint.state.hits).toBe(3); // two stalled refreshes, each dropped; one that answered
    expect(server.received).toHaveLength(1);
  }, 15_000);

  it("drops a refresh no call waits for any more: the first call after the endpoint recovers starts a new one", async () => {
    const endpoint = await credentialsEndpoint();
    const server = await vclm();
    // The refresh's own timeout is the default 30 s: recovery must not wait for it.
    const client = new VclmClient({ region: "ap-singapore", endpoint: server.url, credentials: fromEndpoint(endpoint.url) });
    const JobId = "1194931538865782784";

    // Two calls wait for the same stalled refresh, and each gives up at its own timeout.
    const gaveUp = await Promise.all(
      [300, 500].map((timeout) => elapsedOf(() => client.send(DescribeImageAnimateJob, { JobId }, { timeout }))),
    );
    for (const { error, ms } of gaveUp as { error: VclmTimeoutError; ms: number }[]) {
      expect(error).toBeInstanceOf(VclmTimeoutError);
      expect(error.requestSent).toBe(false);
      expect(ms).toBeLessThan(2_000);
    }
    expect(endpoint.state.hits).toBe(1); // they shared one refresh

    endpoint.state.stalled = false;
    const recovered = await elapsedOf(() => client.send(DescribeImageAnimateJob, { JobId }, { timeout: 2_000 }));
    expect(recovered).toMatchObject({ value: { Status: "RUN" } });
    expect(recovered.ms).toBeLessThan(2_000);
    expect(endpoint.state.hits).toBe(2); // a new refresh, not the stalled one
    expect(server.received).toHaveLength(1);
    // The dropped refresh's request was aborted, not left holding a socket for 30 s.
    await vi.waitFor(() => expect(endpoint.state.dropped).toBe(1));
  }, 15_000);

  it("keeps one refresh while any call still waits for it", async () => {
    const endpoint = await credentialsEndpoint();
    const server = await vclm();
    const client = new VclmClient({ region: "ap-singapore", endpoint: server.url, credentials: fromEndpoint(endpoint.url) });
    const JobId = "1194931538865782784";

    const impatient = elapsedOf(() => client.send(DescribeImageAnimateJob, { JobId }, { timeout: 300 }));
    const patient = elapsedOf(() => client.send(DescribeImageAnimateJob, { JobId }, { timeout: 10_000 }));
    const left = await impatient;
    expect((left as { error: Error }).error).toBeInstanceOf(VclmTimeoutError);
    expect(left.ms).toBeLessThan(2_000); // the one that gave up is not held back by the other
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(endpoint.state).toMatchObject({ hits: 1, dropped: 0 }); // the other still waits: the refresh goes on

    endpoint.recover(); // the refresh under way is answered
    expect(await patient).toMatchObject({ value: { Status: "RUN" } });
    expect(endpoint.state.hits).toBe(1);
    expect(server.received).toHaveLength(1);
  }, 15_000);

  it("shares one refresh among calls that wait at the same moment", async () => {
    const endpoint = await credentialsEndpoint();
    endpoint.state.stalled = false;
    const server = await vclm();
    const client = new VclmClient({ region: "ap-singapore", endpoint: server.url, credentials: fromEndpoint(endpoint.url) });
    const JobId = "1194931538865782784";
    const answers = await Promise.all([1, 2].map(() => client.send(DescribeImageAnimateJob, { JobId }, { timeout: 5_000 })));
    expect(answers).toMatchObject([{ Status: "RUN" }, { Status: "RUN" }]);
    expect(endpoint.state.hits).toBe(1);
    expect(server.received).toHaveLength(2);
  });
});
