import { fileURLToPath } from "node:url";
import { reporting } from "@vclm/tools/vitest";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The examples import "@vclm/core" as users do; in tests that means these sources.
  // "#files", "#client-default" and "#network-cause" are the server's, as package.json picks them for Node.
  resolve: {
    alias: {
      "@vclm/core": fileURLToPath(new URL("./src/index.ts", import.meta.url)),
      "#files": fileURLToPath(new URL("./src/runtime/files.server.ts", import.meta.url)),
      "#client-default": fileURLToPath(new URL("./src/credentials/client-default.server.ts", import.meta.url)),
      "#network-cause": fileURLToPath(new URL("./src/errors/network-cause.server.ts", import.meta.url)),
    },
  },
  test: { include: ["src/**/*.test.ts", "test/*.test.ts"], hookTimeout: 60_000, ...reporting("core") },
});
