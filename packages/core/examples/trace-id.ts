import type { Plugin } from "@vclm/core";

/** Sends an X-TC-TraceId with every call (the official SDKs do) and keeps the one the service echoes. */
export const traceIds =
  (newId: () => string = () => crypto.randomUUID()): Plugin =>
  (client) =>
    client.middleware.add(
      async (context, next) => {
        context.request.headers["X-TC-TraceId"] = newId();
        await next();
        context.state.traceId = context.response?.headers.get("x-tc-traceid") ?? context.request.headers["X-TC-TraceId"];
      },
      { name: "traceId", phase: "serialize", after: "serializeJson" },
    );
