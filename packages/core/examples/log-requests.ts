import type { Plugin } from "@vclm/core";

const SECRET = /^(authorization|x-tc-token)$/i;

/** Logs each attempt's action, status and time; the Authorization and token values never reach the log. */
export const logRequests =
  (log: (line: string) => void = console.log): Plugin =>
  (client) =>
    client.middleware.add(
      async (context, next) => {
        const headers = Object.entries(context.request.headers).map(
          ([name, value]) => `${name}: ${SECRET.test(name) ? "[redacted]" : value}`,
        );
        const start = Date.now();
        try {
          await next();
          log(`${context.operation.action} ${context.response?.status} in ${Date.now() - start} ms; ${headers.join("; ")}`);
        } catch (error) {
          log(`${context.operation.action} failed in ${Date.now() - start} ms: ${(error as Error).message}`);
          throw error;
        }
      },
      { name: "logRequests", phase: "sign", after: "signRequest" },
    );
