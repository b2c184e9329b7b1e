#!/usr/bin/env bash
# Every check vclm has, from a fresh clone on a machine with only Node and npm: installs pnpm (into
# .cache/, no global writes) and the locked dependencies, then builds, type-checks, lints, tests
# in Node and in every runtime (Node 24, Deno, workerd, Chromium: tests/runtimes/setup.sh installs
# the last two it cannot get from npm), checks size budgets and builds the API docs.
set -euo pipefail
export CI="${CI:-true}"
source "$(dirname "$0")/bootstrap.sh"
rm -rf .cache/reports
pnpm exec biome check .
pnpm exec turbo run build typecheck lint test test:runtimes size --output-logs=new-only --continue
pnpm run docs
node scripts/summarize-tests.mjs
