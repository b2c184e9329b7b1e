import { reporting } from "@vclm/tools/vitest";
import { defineConfig } from "vitest/config";

// Virtual-time runs of hundreds of jobs take 10-15 s alone and several times that beside CI's
// runtime tests; a stuck run fails on its own (the virtual world throws), so the timeout is only a backstop.
export default defineConfig({ test: { include: ["src/**/*.test.ts", "test/*.test.ts"], testTimeout: 240_000, ...reporting("poller") } });
