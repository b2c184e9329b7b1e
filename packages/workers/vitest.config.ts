import { reporting } from "@vclm/tools/vitest";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { include: ["test/*.test.ts", "test/simulation/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000, ...reporting("workers") },
});
