// A call context for testing one middleware alone, with the client's settings filled in.
import type { Operation } from "../src/operation.js";
import { DescribeImageAnimateJob } from "../src/operations/describe-image-animate-job.js";
import type { ClientState, Context } from "../src/pipeline/context.js";

export const credentials = { secretId: "AKIDtest", secretKey: "test-secret-key" };

export function makeContext(
  overrides: Partial<Omit<Context, "client">> & { client?: Partial<ClientState>; operation?: Operation } = {},
): Context {
  const { client, ...rest } = overrides;
  return {
    operation: DescribeImageAnimateJob,
    input: { JobId: "1194931538865782784" },
    request: { url: "http://127.0.0.1:9/", headers: {}, body: "" },
    response: undefined,
    output: undefined,
    signal: undefined,
    timeout: 5_000,
    preflight: true,
    state: {},
    ...rest,
    client: {
      region: "ap-singapore",
      endpoint: "http://127.0.0.1:9/",
      signingHost: "vclm.intl.tencentcloudapi.com",
      language: undefined,
      requestClient: "vclm-js",
      credentials,
      fetch: globalThis.fetch,
      clockOffset: 0,
      ...client,
    },
  };
}

/** Runs one middleware with a `next` that records it was called. */
export async function runAlone(middleware: (context: Context, next: () => Promise<void>) => Promise<void>, context: Context) {
  let nextCalls = 0;
  await middleware(context, async () => {
    nextCalls++;
  });
  return nextCalls;
}
