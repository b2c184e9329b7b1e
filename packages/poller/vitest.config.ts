import { reporting } from "@vclm/tools/vitest";
import { defineConfig } from "vitest/config";

// Virtual-time runs of hundreds of jobs take 10-15 s alone and several times that beside CI's
// runtime tests. A run left with nothing to wait for fails on its own (the virtual world throws); this is a backstop.
export default defineConfig({
  test: { include: ["src/**/*.test.ts", "test/*.test.ts"], testTimeout: 240_000, hookTimeout: 60_000, ...reporting("poller") },
});
