import type { Plugin } from "@vclm/core";

/** What one call reports: action, outcome, duration. */
export interface CallMetric {
  action: string;
  outcome: "ok" | string;
  ms: number;
}

/** Reports every call's action, outcome (ok, or the error's code or name) and duration. */
export const metrics =
  (report: (metric: CallMetric) => void): Plugin =>
  (client) =>
    client.middleware.add(
      async (context, next) => {
        const start = performance.now();
        let outcome = "ok";
        try {
          await next();
        } catch (error) {
          outcome = (error as { code?: string }).code ?? (error as Error).name;
          throw error;
        } finally {
          report({ action: context.operation.action, outcome, ms: performance.now() - start });
        }
      },
      { name: "metrics", phase: "initialize" },
    );
