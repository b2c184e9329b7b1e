import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The review's repro tests only: `pnpm exec vitest run --config test/review25/vitest.config.ts` in packages/core.
// "@vclm/core" is the built package here (dist: build first), as the emulator uses it.
export default defineConfig({ root: fileURLToPath(new URL("../..", import.meta.url)), test: { include: ["test/review25/*.test.ts"] } });
