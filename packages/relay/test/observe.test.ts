// The relay watched: a page's client observed by its own recording tracer sends through the relay
// (watched by another, as a backend would be), which forwards over loopback to the emulator (it
// enforces the credentials' qcs:ip condition; the relay sends from 127.0.0.2). The trace crosses
// by headers only: traceparent in, the relay's traceparent to the service, traceresponse back.
import { DescribeImageAnimateJob, observe, SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { toBase64 } from "@vclm/core/internal";
import type { RunningEmulator } from "@vclm/emulator/node";
import { fetchFrom } from "@vclm/tools/fetch-from";
import { makeJpeg } from "@vclm/tools/photos";
import { type RecordedSpan, recordingLogger, recordingTracer } from "@vclm/tools/recording";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Authorize, createCredentialsHandler, createRelay, type RelayStore, RelayStoreError } from "../src/index.js";
import { startBackend } from "./page.js";
import { signedInPage } from "./signed-in-page.js";

const BACKEND = { secretId: "AKIDobserveBackend0000000000000000", secretKey: "observe-backend-permanent-key-0000" };
const SESSIONS: Record<string, string> = { "session-alice": "alice", "session-bob": "bob" };
const authorize: Authorize = (request) => {
  const id = SESSIONS[request.headers.get("x-session") ?? ""];
  return id ? { id } : undefined;
};
const photo = makeJpeg(720, 1280);

let emulator: RunningEmulator;
let store: RelayStore;
let credentials: (request: Request) => Promise<Response>;
const issued: { TmpSecretId: string; TmpSecretKey: string; Token: string }[] = [];
/** The headers of each request the relays forwarded. */
const forwarded: Headers[] = [];
const fromRelay = fetchFrom("127.0.0.2");
const forward: typeof fetch = (input, init) => {
  forwarded.push(new Headers(init?.headers));
  return fromRelay(input, init);
};

/** A relay watched by its own recorders (a backend's), on the shared store. */
function watchedRelay(options: { recordUser?: boolean; store?: RelayStore } = {}) {
  const { tracer, spans } = recordingTracer();
  const { logger, lines } = recordingLogger();
  const relay = createRelay({
    authorize,
    store: options.store ?? store,
    target: emulator.url,
    signingHost: "127.0.0.1",
    fetch: forward,
    tracer,
    logger,
    ...(options.recordUser && { recordUser: true }),
  });
  return { relay, spans, lines };
}

/** A page's client, observed by its own tracer: credentials from the handler, calls through `relay`, as `session`; each answer's traceresponse kept. */
function page(session: string, relay: (request: Request) => Promise<Response>) {
  const { tracer, spans } = recordingTracer();
  const traceresponses: (string | null)[] = [];
  const client = signedInPage(
    { "x-session": session },
    {
      credentials: async (request) => {
        const answer = await credentials(request);
        if (answer.ok) issued.push(((await answer.clone().json()) as { Credentials: (typeof issued)[number] }).Credentials);
        return answer;
      },
      relay: async (request) => {
        const answer = await relay(request);
        traceresponses.push(answer.headers.get("traceresponse"));
        return answer;
      },
    },
  ).use(observe({ tracer }));
  return { client, spans, traceresponses };
}

/** Nothing secret in what was recorded: no key, token, signature or photo byte. */
function expectNothingSecret(recorded: unknown) {
  const written = JSON.stringify(recorded);
  expect(issued.length).toBeGreaterThan(0);
  for (const secret of [
    BACKEND.secretKey,
    ...issued.flatMap(({ TmpSecretKey, Token }) => [TmpSecretKey, Token.slice(0, 24)]),
    "Signature=",
    "Credential=",
    "TC3-HMAC-SHA256",
    toBase64(photo).slice(0, 40),
  ])
    expect(written).not.toContain(secret);
}

beforeAll(async () => {
  ({ emulator, store, credentials } = await startBackend(BACKEND, authorize));
});
afterAll(() => emulator.close());

const traceOf = (span: RecordedSpan) => `00-${span.traceId}-${span.spanId}-01`;

describe("createRelay with a tracer and a logger", () => {
  it("continues the page's call span with its own server span, sends the service its span, and answers with traceresponse", async () => {
    const watched = watchedRelay();
    const alice = page("session-alice", watched.relay);
    const sent = forwarded.length;
    const { JobId } = await alice.client.send(SubmitImageAnimateJob, { TemplateId: "ke3", photo });
    await alice.client.send(DescribeImageAnimateJob, { JobId });

    const calls = alice.spans.filter((span) => span.kind === "client");
    expect(calls.map((span) => span.name)).toEqual(["vclm.SubmitImageAnimateJob", "vclm.DescribeImageAnimateJob"]);
    expect(watched.spans.map((span) => [span.name, span.kind])).toEqual([
      ["vclm.relay SubmitImageAnimateJob", "server"],
      ["vclm.relay DescribeImageAnimateJob", "server"],
    ]);
    for (const [at, served] of watched.spans.entries()) {
      const call = calls[at] as RecordedSpan;
      // The same trace, the relay's span a child of the page's call: learnt from traceparent alone.
      expect([served.traceId, served.parentId]).toEqual([call.traceId, call.spanId]);
      expect(served).toMatchObject({
        ended: true,
        error: undefined,
        attributes: {
          "http.request.method": "POST",
          "http.response.status_code": 200,
          "vclm.upstream.status_code": 200,
          "vclm.action": call.attributes["vclm.action"],
          "vclm.request_id": call.attributes["vclm.request_id"],
          "vclm.job_id": JobId,
        },
      });
      expect(served.attributes["enduser.id"]).toBeUndefined(); // personal data: only with recordUser
      // The service got the relay's span (and accepted the signature: the call succeeded); the page got it back.
      expect(forwarded[sent + at]?.get("traceparent")).toBe(traceOf(served));
      expect(alice.traceresponses[at]).toBe(traceOf(served));
    }
    // A debug line per request answered, with the service's status and RequestId.
    expect(watched.lines).toEqual([
      expect.objectContaining({
        level: "debug",
        event: "vclm.relay",
        action: "SubmitImageAnimateJob",
        status: 200,
        upstreamStatus: 200,
        jobId: JobId,
      }),
      expect.objectContaining({
        level: "debug",
        event: "vclm.relay",
        action: "DescribeImageAnimateJob",
        status: 200,
        upstreamStatus: 200,
        jobId: JobId,
      }),
    ]);
    expect(watched.lines[0]?.msg).toMatch(/^SubmitImageAnimateJob: 200, the service answered 200 \(RequestId [\w-]+\) in \d+ ms$/);
    expectNothingSecret([watched.spans, watched.lines, alice.spans]);
  });

  it("an anonymous caller gets 401 and a span that says so, naming no user; a replayed Submit gets 403, one job made", async () => {
    const watched = watchedRelay();
    const anonymous = await watched.relay(
      new Request("https://app.example/vclm", { method: "POST", headers: { "X-TC-Action": "SubmitImageAnimateJob" }, body: "{}" }),
    );
    expect(anonymous.status).toBe(401);
    expect(watched.spans.at(-1)?.attributes).toMatchObject({
      "http.response.status_code": 401,
      "vclm.relay.refusal": expect.stringMatching(/sign in/),
    });
    expect(watched.spans.at(-1)?.attributes).not.toHaveProperty("enduser.id");

    // Alice's signed Submit, sent once through her page and then replayed as it was.
    let signed: Request | undefined;
    const keep = (request: Request) => {
      if (request.headers.get("x-tc-action") === "SubmitImageAnimateJob") signed = request.clone();
      return watched.relay(request);
    };
    const jobsBefore = emulator.emulator.jobs.size;
    await page("session-alice", keep).client.send(SubmitImageAnimateJob, { TemplateId: "ke3", photo });
    const replayed = await watched.relay(signed as Request);
    expect(replayed.status).toBe(403);
    expect(emulator.emulator.jobs.size - jobsBefore).toBe(1);
    expect(watched.spans.at(-1)?.attributes["vclm.relay.refusal"]).toMatch(/replay/);
    expect(watched.lines.filter((line) => line.level === "warn").map((line) => String(line.msg))).toEqual([
      expect.stringMatching(/sign in/),
      expect.stringMatching(/replay/),
    ]);
    expectNothingSecret([watched.spans, watched.lines]);
  });

  it("a refused request's span says why (a 4xx does not fail it, a 503 does), and each refusal is a warning", async () => {
    const watched = watchedRelay();
    const alice = page("session-alice", watched.relay);
    const { JobId } = await alice.client.send(SubmitImageAnimateJob, { TemplateId: "ke3", photo });
    // Bob, signed in with credentials of his own, asks after Alice's job.
    await expect(page("session-bob", watched.relay).client.send(DescribeImageAnimateJob, { JobId })).rejects.toThrow(/HTTP 403/);
    const refused = watched.spans.filter((span) => span.attributes["http.response.status_code"] === 403);
    expect(refused).toEqual([
      expect.objectContaining({
        name: "vclm.relay DescribeImageAnimateJob",
        ended: true,
        error: undefined,
        attributes: expect.objectContaining({ "vclm.relay.refusal": `job ${JobId} is not one of yours` }),
      }),
    ]);
    expect(refused[0]?.attributes["vclm.upstream.status_code"]).toBeUndefined(); // not forwarded
    // An action it does not forward: 403, and its span is not named by what the client wrote.
    const anonymous = await watched.relay(
      new Request("https://app.example/vclm", { method: "POST", headers: { "X-TC-Action": "GetFederationToken" } }),
    );
    expect(anonymous.status).toBe(403);
    expect(watched.spans.at(-1)).toMatchObject({
      name: "vclm.relay",
      attributes: { "http.response.status_code": 403, "vclm.relay.refusal": "the relay does not forward GetFederationToken" },
    });
    expect(anonymous.headers.get("traceresponse")).toBe(traceOf(watched.spans.at(-1) as RecordedSpan));
    expect(watched.lines.filter((line) => line.level === "warn")).toEqual([
      expect.objectContaining({
        event: "vclm.relay",
        status: 403,
        reason: `job ${JobId} is not one of yours`,
        action: "DescribeImageAnimateJob",
      }),
      expect.objectContaining({
        event: "vclm.relay",
        status: 403,
        msg: "vclm.relay: refused, 403: the relay does not forward GetFederationToken",
      }),
    ]);

    // A store that cannot keep its records: 503, and the span fails.
    const failing: RelayStore = {
      ...store,
      get: async () => {
        throw new RelayStoreError("the store is full");
      },
    };
    const busy = watchedRelay({ store: failing });
    await expect(page("session-alice", busy.relay).client.send(DescribeImageAnimateJob, { JobId })).rejects.toThrow();
    expect(busy.spans[0]).toMatchObject({
      attributes: {
        "http.response.status_code": 503,
        "vclm.relay.refusal": expect.stringMatching(/^the relay is busy: the store is full/),
      },
      error: { type: "503", message: expect.stringMatching(/^the relay is busy/) },
    });
    expectNothingSecret([watched.spans, watched.lines, busy.spans, busy.lines]);
  });

  it("puts the user's id in its span (enduser.id) and log line only when told to (recordUser)", async () => {
    const watched = watchedRelay({ recordUser: true });
    await page("session-alice", watched.relay).client.send(SubmitImageAnimateJob, { TemplateId: "ke3", photo });
    expect(watched.spans[0]?.attributes["enduser.id"]).toBe("alice");
    expect(watched.lines[0]?.user).toBe("alice");
  });
});

describe("createCredentialsHandler with a tracer and a logger", () => {
  it("makes a server span per request, continuing the page's traceparent; a refusal's says why; the credentials are in no span or line", async () => {
    const { tracer, spans } = recordingTracer();
    const { logger, lines } = recordingLogger();
    const sts = new VclmClient({ region: "ap-singapore", endpoint: emulator.url, credentials: BACKEND });
    const handler = createCredentialsHandler({ authorize, sts, store, bindTo: "127.0.0.2/32", tracer, logger });
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const answer = await handler(
      new Request("https://app.example/api/credentials", { method: "POST", headers: { "x-session": "session-bob", traceparent } }),
    );
    expect(answer.status).toBe(200);
    const { Credentials } = (await answer.json()) as { Credentials: (typeof issued)[number] };
    issued.push(Credentials);
    const anonymous = await handler(new Request("https://app.example/api/credentials", { method: "POST" }));
    expect(anonymous.status).toBe(401);
    expect(spans.map((span) => [span.name, span.kind, span.attributes["http.response.status_code"]])).toEqual([
      ["vclm.credentials", "server", 200],
      ["vclm.credentials", "server", 401],
    ]);
    expect(spans[0]).toMatchObject({
      traceId: "0af7651916cd43dd8448eb211c80319c",
      parentId: "b7ad6b7169203331",
      attributes: { "vclm.credentials.duration_s": 900, "vclm.request_id": expect.any(String) },
    });
    expect(answer.headers.get("traceresponse")).toBe(traceOf(spans[0] as RecordedSpan));
    expect(spans[1]?.attributes["vclm.relay.refusal"]).toMatch(/^sign in first/);
    expect(lines.map((line) => [line.level, line.event])).toEqual([
      ["debug", "vclm.credentials"],
      ["warn", "vclm.credentials"],
    ]);
    expect(JSON.stringify([spans, lines])).not.toContain(Credentials.TmpSecretId);
    expectNothingSecret([spans, lines]);
  });
});
