import { fileURLToPath } from "node:url";
import { reporting } from "@vclm/tools/vitest";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The examples import "@vclm/core" as users do; in tests that means these sources.
  resolve: { alias: { "@vclm/core": fileURLToPath(new URL("./src/index.ts", import.meta.url)) } },
  test: { include: ["src/**/*.test.ts", "test/*.test.ts"], ...reporting("core") },
});
