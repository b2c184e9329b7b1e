// `pnpm bench` for @vclm/retry: the same seeded fault schedule (30% of attempts fail, evenly: a
// 502 from the gateway, a connection dropped before processing, an answer lost after processing,
// throttling) replayed for four strategies, on 1,000 Describe and 1,000 Submit calls:
// - no retry;
// - @vclm/retry with its defaults, and with the retry budget off (the real plugin in a real client;
//   only the transport is the schedule, and waits really happen, 100 calls at a time);
// - the official Python SDK's rule (retry network errors and RequestLimitExceeded), fixed 2^n s;
// - the official Go SDK's rule (retry RequestLimitExceeded only), fixed 2^n s.
// The official rules are simulated (their waits added up, not slept), with 3 retries at most.
import { DescribeImageAnimateJob, SubmitImageAnimateJob, VclmClient, VclmNetworkError } from "@vclm/core";
import { retry } from "../dist/index.js";

const CALLS = 1000;
const FAULTS = ["gateway502", "droppedBefore", "lostAfter", "throttled"];

// The outcome of attempt `attempt` of call `call`: the same for every strategy.
function outcome(call, attempt) {
  let seed = (call * 7919 + attempt * 104729 + 20261127) | 0;
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return next() < 0.3 ? FAULTS[Math.floor(next() * FAULTS.length)] : "ok";
}
const processed = (o) => o === "ok" || o === "lostAfter";

/** The official SDKs' way: which outcomes they retry, waiting 2^n seconds, simulated. */
function official(retries) {
  return (call) => {
    let waited = 0;
    let jobs = 0;
    for (let attempt = 1; ; attempt++) {
      const o = outcome(call, attempt);
      if (processed(o)) jobs++;
      if (o === "ok") return { ok: true, attempts: attempt, waited, jobs };
      if (attempt > 3 || !retries(o)) return { ok: false, attempts: attempt, waited, jobs };
      waited += 2 ** (attempt - 1) * 1000;
    }
  };
}
const python = official((o) => o !== "gateway502"); // network errors (dropped, lost) and RequestLimitExceeded
const go = official((o) => o === "throttled");
const none = (call) => {
  const o = outcome(call, 1);
  return { ok: o === "ok", attempts: 1, waited: 0, jobs: processed(o) ? 1 : 0 };
};

/** @vclm/retry for real: a client whose transport answers from the schedule. */
async function ours(operation, options = {}) {
  const results = new Map();
  const client = new VclmClient({ region: "ap-singapore", credentials: { secretId: "AKID", secretKey: "k" } }).use(
    retry({
      ...options,
      onRetry: (event) => {
        const result = results.get(event.error.callIndex);
        if (result) result.waited += event.delay;
      },
    }),
  );
  client.middleware.replace("fetchTransport", async (context, next) => {
    const call = context.state.call;
    const result = results.get(call);
    result.attempts++;
    const o = outcome(call, result.attempts);
    if (processed(o)) result.jobs++;
    const fail = (error) => Object.assign(error, { callIndex: call });
    if (o === "droppedBefore" || o === "lostAfter")
      throw fail(
        new VclmNetworkError("https://x/", context.operation.action, Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })),
      );
    const body =
      o === "ok"
        ? { Response: { JobId: "1", Status: "RUN", ErrorCode: "", ErrorMessage: "", ResultVideoUrl: "", RequestId: "r" } }
        : { Response: { Error: { Code: "RequestLimitExceeded", Message: "slow down" }, RequestId: "r" } };
    context.response = { status: o === "gateway502" ? 502 : 200, headers: new Headers(), body: JSON.stringify(body) };
    try {
      await next();
    } catch (error) {
      throw fail(error);
    }
  });
  // Each call's index travels in its context, for the schedule.
  client.middleware.add(
    async (context, next) => {
      context.state.call = context.input.call;
      context.input = operation === SubmitImageAnimateJob ? { TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" } : { JobId: "1" };
      await next();
    },
    { name: "benchCall", phase: "initialize" },
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: 100 }, async () => {
      while (next < CALLS) {
        const call = next++;
        const result = { ok: false, attempts: 0, waited: 0, jobs: 0 };
        results.set(call, result);
        result.ok = await client.send(operation, { call }).then(
          () => true,
          () => false,
        );
      }
    }),
  );
  return (call) => results.get(call);
}

const rows = [];
for (const operation of [DescribeImageAnimateJob, SubmitImageAnimateJob]) {
  const strategies = {
    "no retry": none,
    "@vclm/retry (defaults: budget 500)": await ours(operation),
    "@vclm/retry, budget off": await ours(operation, { budget: false }),
    "official Python rule, 2^n s": python,
    "official Go rule, 2^n s": go,
  };
  for (const [name, run] of Object.entries(strategies)) {
    let ok = 0;
    let attempts = 0;
    let waited = 0;
    let duplicates = 0;
    for (let call = 0; call < CALLS; call++) {
      const r = run(call);
      ok += r.ok ? 1 : 0;
      attempts += r.attempts;
      waited += r.waited;
      duplicates += Math.max(0, r.jobs - 1);
    }
    rows.push({
      action: operation.action,
      strategy: name,
      "success rate": `${((ok / CALLS) * 100).toFixed(1)}%`,
      "calls per success": (attempts / ok).toFixed(2),
      "mean wait per call (s)": (waited / CALLS / 1000).toFixed(2),
      ...(operation === SubmitImageAnimateJob && { "duplicate paid jobs": duplicates }),
    });
  }
}
console.log(
  `\n@vclm/retry on Node ${process.versions.node}: 1,000 calls per action, 30% of attempts failing (502, dropped, lost after processing, throttled), the same seeded schedule for every strategy`,
);
console.table(rows);
