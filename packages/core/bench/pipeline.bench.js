// The pipeline's own cost per call, with no network and no signing: a MiddlewareStack of no-op
// middleware running an operation that brings four of its own (as Submit does), and client.send
// with the transport answering at once and signing replaced by a no-op. BEFORE_CORE=<dist of an
// older build> adds it. Each build runs in a fresh process per round (two builds in one process
// skew each other's JIT); builds take turns for 7 rounds, and each figure is the median.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const ROUNDS = 7;
const builds = { now: new URL("../dist/index.js", import.meta.url).href };
if (process.env.BEFORE_CORE) builds.before = new URL(`file://${process.env.BEFORE_CORE}/index.js`).href;

const noop = (_, next) => next();
const answers = {
  DescribeImageAnimateJob: '{"Response":{"Status":"RUN","ErrorCode":"","ErrorMessage":"","ResultVideoUrl":"","RequestId":"r"}}',
  SubmitImageAnimateJob: '{"Response":{"JobId":"1194931538865782784","RequestId":"r"}}',
};

function cases(core) {
  const stack = new core.MiddlewareStack();
  for (const [name, phase] of [
    ["validateInput", "validate"],
    ["serializeJson", "serialize"],
    ["signRequest", "sign"],
    ["fetchTransport", "transport"],
    ["parseEnvelope", "deserialize"],
    ["validateOutput", "deserialize"],
  ])
    stack.add(noop, { name, phase });
  const operation = {
    ...core.SubmitImageAnimateJob,
    middleware: core.SubmitImageAnimateJob.middleware.map((entry) => ({ ...entry, middleware: noop })),
  };
  const context = { operation, state: {} };

  const client = new core.VclmClient({ region: "ap-singapore", credentials: { secretId: "AKIDbench", secretKey: "bench" } });
  client.middleware.replace("signRequest", noop);
  client.middleware.replace("fetchTransport", async (context, next) => {
    context.response = { status: 200, headers: new Headers(), body: answers[context.operation.action] };
    await next();
  });
  return {
    "MiddlewareStack.run: 6 no-op middleware + 4 of the operation's": () => stack.run(context),
    "client.send Describe (no network, no signing)": () => client.send(core.DescribeImageAnimateJob, { JobId: "1194931538865782784" }),
    "client.send Submit, ImageUrl (no network, no signing)": () =>
      client.send(core.SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" }),
  };
}

async function callsPerSecond(call, ms) {
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 100; i++) await call();
    done += 100;
  }
  return (done * 1000) / (performance.now() - start);
}

// One round of one build, in this process: calls per second of each case.
async function round(href) {
  const all = Object.entries(cases(await import(href)));
  for (const [, call] of all) await callsPerSecond(call, 300); // warm-up
  const rates = {};
  for (const [name, call] of all) rates[name] = await callsPerSecond(call, 500);
  return rates;
}

if (process.env.PIPELINE_BENCH_BUILD) {
  console.log(JSON.stringify(await round(process.env.PIPELINE_BENCH_BUILD)));
} else {
  const run = promisify(execFile);
  const samples = {};
  for (let r = 0; r < ROUNDS; r++)
    for (const [build, href] of r % 2 ? Object.entries(builds).reverse() : Object.entries(builds)) {
      const env = { ...process.env, PIPELINE_BENCH_BUILD: href };
      const { stdout } = await run(process.execPath, [new URL(import.meta.url).pathname], { env });
      for (const [name, rate] of Object.entries(JSON.parse(stdout))) {
        samples[name] ??= {};
        samples[name][build] ??= [];
        samples[name][build].push(rate);
      }
    }
  const median = (values) => values.toSorted((a, b) => a - b)[values.length >> 1];
  console.log(`\n@vclm/core pipeline overhead on Node ${process.versions.node} (median of ${ROUNDS} rounds, a fresh process each)`);
  console.table(
    Object.entries(samples).flatMap(([name, byBuild]) =>
      Object.entries(byBuild).map(([build, rates]) => {
        const rate = median(rates);
        return { case: name, build, "calls/s": Math.round(rate).toLocaleString("en-US"), "µs per call": (1e6 / rate).toFixed(2) };
      }),
    ),
  );
}
