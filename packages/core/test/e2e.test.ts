// The client end to end over real HTTP on loopback, against a server that checks every signature.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { makePng } from "@vclm/tools/photos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logRequests } from "../examples/log-requests.js";
import { type CallMetric, metrics } from "../examples/metrics.js";
import { traceIds } from "../examples/trace-id.js";
import {
  DescribeImageAnimateJob,
  isServiceError,
  photoToBase64,
  SubmitImageAnimateJob,
  VclmClient,
  type VclmClientOptions,
  VclmPhotoError,
  VclmResponseError,
  VclmValidationError,
} from "../src/index.js";
import { jobsHandler, startTestServer, type TestServer } from "./server.js";

const SECRET_KEY = "e2e-secret-key-never-shown";
const TOKEN = "e2e-session-token-never-shown";
const accounts = { AKIDe2e: SECRET_KEY };
const handler = jobsHandler();
const jobs = handler.jobs;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(accounts, handler);
});
afterAll(() => server.close());

const client = (options: Partial<VclmClientOptions> = {}) =>
  new VclmClient({ region: "ap-singapore", endpoint: server.url, credentials: { secretId: "AKIDe2e", secretKey: SECRET_KEY }, ...options });

describe("VclmClient end to end", () => {
  it("submits a checked photo and follows the job to DONE, every request signed and accepted", async () => {
    const vclm = client();
    const ImageBase64 = await photoToBase64(makePng(600, 1000));
    const { JobId, RequestId } = await vclm.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64 });
    expect(JobId).toMatch(/^\d{19}$/);
    expect(RequestId).toBeTruthy();
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await vclm.send(DescribeImageAnimateJob, { JobId })).Status);
    expect(statuses).toEqual(["WAIT", "RUN", "DONE"]);
    const last = server.received.at(-1);
    expect(last?.headers["x-tc-region"]).toBe("ap-singapore");
    expect(last?.headers["x-tc-version"]).toBe("2024-05-23");
  });

  it("sends X-TC-Token for temporary credentials from an async provider", async () => {
    const vclm = client({ credentials: async () => ({ secretId: "AKIDe2e", secretKey: SECRET_KEY, token: TOKEN }) });
    await expect(vclm.send(DescribeImageAnimateJob, { JobId: "0" })).rejects.toThrow("FailedOperation.JobNotFound");
    expect(server.received.at(-1)?.headers["x-tc-token"]).toBe(TOKEN);
  });

  it("surfaces the service's errors as typed errors with the RequestId", async () => {
    const error = await client()
      .send(DescribeImageAnimateJob, { JobId: "42" })
      .catch((e) => e);
    expect(isServiceError(error, "FailedOperation.JobNotFound")).toBe(true);
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("is refused by a server that does not know the key: wrong signatures do not pass", async () => {
    const error = await client({ credentials: { secretId: "AKIDe2e", secretKey: "wrong" } })
      .send(DescribeImageAnimateJob, { JobId: "1" })
      .catch((e) => e);
    expect(isServiceError(error, "AuthFailure.SignatureFailure")).toBe(true);
  });

  it("sends nothing for a bad input or a photo the service would refuse", async () => {
    const before = server.received.length;
    await expect(client().send(SubmitImageAnimateJob, { TemplateId: "ke3" } as never)).rejects.toBeInstanceOf(VclmValidationError);
    const square = Buffer.from(makePng(800, 800)).toString("base64");
    await expect(client().send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64: square })).rejects.toBeInstanceOf(VclmPhotoError);
    expect(server.received.length).toBe(before);
    await client().send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64: square }, { preflight: false });
    expect(server.received.length).toBe(before + 1);
  });

  it("still submits, and still checks the photo, with validateInput removed (the photo check falls back to its phase)", async () => {
    const vclm = client();
    vclm.middleware.remove("validateInput");
    const ImageBase64 = await photoToBase64(makePng(600, 1000));
    const { JobId } = await vclm.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64 });
    expect(server.received.at(-1)?.action).toBe("SubmitImageAnimateJob");
    expect((await vclm.send(DescribeImageAnimateJob, { JobId })).Status).toBe("WAIT");
    const { JobId: second } = await vclm.send(SubmitImageAnimateJob, { TemplateId: "tuziwu", photo: makePng(600, 1000) });
    expect(second).toMatch(/^\d{19}$/);
    const before = server.received.length;
    const square = Buffer.from(makePng(800, 800)).toString("base64");
    await expect(vclm.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64: square })).rejects.toBeInstanceOf(VclmPhotoError);
    expect(server.received.length).toBe(before);
  });

  it("runs a plugin applied between calls from the next call on, and stops running its group once removed by tag", async () => {
    const vclm = client();
    await vclm.send(DescribeImageAnimateJob, { JobId: "404" }).catch(() => {});
    vclm.use(traceIds(() => "late"));
    vclm.middleware.add(
      async (context, next) => {
        context.request.headers["X-TC-TraceId"] = `${context.request.headers["X-TC-TraceId"]}+tagged`;
        await next();
      },
      { name: "tagged", phase: "serialize", after: "traceId", tags: ["tracing"] },
    );
    await vclm.send(DescribeImageAnimateJob, { JobId: "404" }).catch(() => {});
    expect(server.received.at(-1)?.headers["x-tc-traceid"]).toBe("late+tagged");
    expect(vclm.middleware.remove({ tag: "tracing" })).toBe(true);
    await vclm.send(DescribeImageAnimateJob, { JobId: "404" }).catch(() => {});
    expect(server.received.at(-1)?.headers["x-tc-traceid"]).toBe("late");
  });

  it("reports a gateway failure and a malformed answer clearly, with the RequestId where there is one", async () => {
    server.rawOnce(502, "<html>Bad Gateway</html>", { "content-type": "text/html" });
    await expect(client().send(DescribeImageAnimateJob, { JobId: "1" })).rejects.toThrow(/HTTP 502 from the gateway/);
    server.rawOnce(200, '{"Response":{"Status":"MAYBE","RequestId":"req-x"}}');
    const error = await client()
      .send(DescribeImageAnimateJob, { JobId: "1" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(VclmResponseError);
    expect(error.requestId).toBe("req-x");
  });

  it("stops at once on an aborted signal, sending nothing", async () => {
    const before = server.received.length;
    const error = await client()
      .send(DescribeImageAnimateJob, { JobId: "1" }, { signal: AbortSignal.abort() })
      .catch((e) => e);
    expect(error.name).toBe("AbortError");
    expect(server.received.length).toBe(before);
  });

  it("goes through a same-origin relay that forwards the signed request unchanged", async () => {
    const relay: Server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => name !== "host" && name !== "content-length"),
      ) as Record<string, string>;
      const answer = await fetch(server.url, { method: "POST", headers, body: Buffer.concat(chunks) });
      response.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
    });
    await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = relay.address() as AddressInfo;
      const vclm = client({ endpoint: `http://localhost:${port}/vclm-relay`, signingHost: "127.0.0.1" });
      const { JobId } = await vclm.send(SubmitImageAnimateJob, { TemplateId: "huajiangwu", ImageUrl: "https://example.com/a.jpg" });
      expect((await vclm.send(DescribeImageAnimateJob, { JobId })).Status).toBe("WAIT");
    } finally {
      await new Promise((resolve) => relay.close(resolve));
    }
  });

  it("never lets a secret into an error message, its JSON, or a log line", async () => {
    const lines: string[] = [];
    const vclm = client({ credentials: async () => ({ secretId: "AKIDe2e", secretKey: SECRET_KEY, token: TOKEN }) }).use(
      logRequests((line) => lines.push(line)),
    );
    const errors = await Promise.all([
      vclm.send(DescribeImageAnimateJob, { JobId: "404" }).catch((e) => e),
      vclm.send(DescribeImageAnimateJob, { JobId: 1 } as never).catch((e) => e),
      client({ credentials: { secretId: "AKID e2e", secretKey: SECRET_KEY } })
        .send(DescribeImageAnimateJob, { JobId: "1" })
        .catch((e) => e),
      client({ endpoint: "http://127.0.0.1:9/" })
        .send(DescribeImageAnimateJob, { JobId: "1" })
        .catch((e) => e),
    ]);
    await vclm.send(DescribeImageAnimateJob, { JobId: [...jobs.keys()][0] as string });
    const text = [...errors.map((e) => `${e.message} ${JSON.stringify(e)} ${e.stack}`), ...lines].join("\n");
    expect(errors.every((e) => e instanceof Error)).toBe(true);
    expect(lines.length).toBe(2);
    expect(lines.at(-1)).toContain("Authorization: [redacted]");
    for (const secret of [SECRET_KEY, TOKEN, "Signature="]) expect(text).not.toContain(secret);
  });
});

describe("the README's plugins", () => {
  it("trace ids go out on every call and the call's state keeps them", async () => {
    let n = 0;
    const vclm = client().use(traceIds(() => `trace-${++n}`));
    await vclm.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" });
    expect(server.received.at(-1)?.headers["x-tc-traceid"]).toBe("trace-1");
    expect(vclm.middleware.list().map((m) => m.name)).toContain("traceId");
  });

  it("metrics report each call's outcome and duration", async () => {
    const seen: CallMetric[] = [];
    const vclm = client().use(metrics((m) => seen.push(m)));
    await vclm.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" });
    await vclm.send(DescribeImageAnimateJob, { JobId: "404" }).catch(() => {});
    expect(seen.map(({ action, outcome }) => `${action}:${outcome}`)).toEqual([
      "SubmitImageAnimateJob:ok",
      "DescribeImageAnimateJob:FailedOperation.JobNotFound",
    ]);
    expect(seen.every((m) => m.ms >= 0)).toBe(true);
  });
});
