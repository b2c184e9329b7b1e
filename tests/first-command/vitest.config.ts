import { reporting } from "@vclm/tools/vitest";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { include: ["*.test.ts"], testTimeout: 480_000, hookTimeout: 180_000, ...reporting("first-command") },
});
