import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The review's repro tests: run with `pnpm exec vitest run --config test/review25/vitest.config.ts` in packages/relay.
export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: { include: ["test/review25/*.test.ts"], testTimeout: 60_000 },
});
