// A Worker with the relay's store in a Durable Object (RelayStoreObject), for relay-store.test.ts:
// POST /op runs one store operation through durableObjectStore (as every instance of a Worker
// would), POST /relay runs a relay on that store whose upstream is a stub that counts what it is
// sent and answers each Submit with a new JobId (or, with `x-answer: JobNumExceed`, that error).
import { createRelay } from "@vclm/relay";
import { durableObjectStore } from "@vclm/workers";

export { RelayStoreObject } from "@vclm/workers";

let forwarded = 0;

export default {
  async fetch(request, env) {
    const store = durableObjectStore(env.STORE);
    const url = new URL(request.url);
    if (url.pathname === "/op") {
      const { op, args } = await request.json();
      return Response.json({ result: (await store[op](...args)) ?? null });
    }
    if (url.pathname === "/forwarded") return Response.json({ forwarded });
    const answer = request.headers.get("x-answer");
    const relay = createRelay({
      authorize: (incoming) => ({ id: incoming.headers.get("x-user") ?? "" }),
      store,
      submitsPerDay: Number(url.searchParams.get("quota") ?? 20),
      requestsPerMinute: 10_000,
      fetch: async () => {
        forwarded++;
        const Response_ =
          answer === "JobNumExceed"
            ? { Error: { Code: "RequestLimitExceeded.JobNumExceed", Message: "too many jobs" }, RequestId: "r" }
            : { JobId: String(7_000_000_000_000_000_000n + BigInt(forwarded)), RequestId: "r" };
        return new Response(JSON.stringify({ Response: Response_ }), { headers: { "Content-Type": "application/json" } });
      },
    });
    return relay(request);
  },
};
