// core's observe() as this runtime runs it: a Submit (throttled once, then let in) and a wait for
// its job, traced, logged and measured by @vclm/tools/recording's hooks under a caller's span,
// against the signature-checking test server (through a same-origin relay in a browser).
import { observe, SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { waitForJob } from "@vclm/poller";
import { retry } from "@vclm/retry";
import { recordingLogger, recordingMeter, recordingTracer } from "@vclm/tools/recording";

export default async function probe({ endpoint, relayTarget, credentials, photoBase64 }) {
  const inBrowser = typeof document !== "undefined";
  const traced = recordingTracer();
  const logged = recordingLogger();
  const measured = recordingMeter();
  const client = new VclmClient({
    region: "ap-singapore",
    credentials,
    ...(inBrowser ? { endpoint: "/relay", signingHost: new URL(relayTarget).hostname } : { endpoint }),
  })
    .use(retry({ throttledBaseDelay: 5 }))
    .use(observe({ tracer: traced.tracer, logger: logged.logger, meter: measured.meter }));

  const caller = traced.tracer.startSpan("caller", {});
  const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64: photoBase64 }, { parent: caller });
  await waitForJob(client, JobId, { parent: caller, minDelay: 5, maxDelay: 10 });
  caller.end();

  const { spans } = traced;
  const named = (id) => spans.find((span) => span.spanId === id)?.name ?? null;
  const submit = spans.find((span) => span.name === "vclm.SubmitImageAnimateJob");
  const clients = spans.filter((span) => span.kind === "client");
  const kinds = {};
  for (const line of logged.lines) kinds[`${line.level} ${line.event}`] = (kinds[`${line.level} ${line.event}`] ?? 0) + 1;
  const everything = JSON.stringify([spans, logged.lines, measured]);
  return {
    tree: spans.map((span) => [span.name, named(span.parentId)]),
    oneTrace: spans.every((span) => span.traceId === caller.record.traceId),
    allEnded: spans.every((span) => span.ended),
    waitEvents: spans.find((span) => span.name === "vclm.wait")?.events.map((event) => event.name),
    submit: {
      kind: submit?.kind,
      events: submit?.events.map((event) => [event.name, event.attributes["vclm.retry.reason"], event.attributes["error.type"]]),
      ...pick(submit?.attributes, ["cloud.provider", "cloud.region", "http.response.status_code", "http.request.resend_count"]),
      jobIdIsTheJob: submit?.attributes["vclm.job_id"] === JobId,
    },
    // Every call: the conventional attributes, the JobId and the service's RequestId.
    callsAttributed: clients.every(
      (span) =>
        span.attributes["cloud.provider"] === "tencent_cloud" &&
        span.attributes["http.response.status_code"] === 200 &&
        span.attributes["vclm.job_id"] === JobId &&
        typeof span.attributes["vclm.request_id"] === "string" &&
        typeof span.attributes["server.address"] === "string",
    ),
    // The trace context each call's requests carried, for the test to find at the server.
    traceparents: clients.map((span) => `00-${span.traceId}-${span.spanId}-01`),
    logKinds: kinds,
    counters: measured.counters,
    durations: measured.histograms["vclm.call.duration"]?.length,
    secretsFound: [
      ["SecretKey", credentials.secretKey],
      ["Signature", "Signature="],
      ["Authorization", "TC3-HMAC-SHA256"],
      ["photo base64", photoBase64.slice(0, 40)],
    ]
      .filter(([, secret]) => everything.includes(secret))
      .map(([name]) => name),
  };
}

const pick = (attributes = {}, names) => Object.fromEntries(names.map((name) => [name, attributes[name]]));
