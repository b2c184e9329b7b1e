#!/usr/bin/env bash
# Every check vclm has, from a fresh clone on a machine with only Node and npm: installs pnpm (into
# .cache/, no global writes) and the locked dependencies, then builds, type-checks, lints, tests
# in Node and in every runtime (Node 24, Deno, workerd, Chromium: tests/runtimes/setup.sh installs
# the last two it cannot get from npm), checks size budgets and builds the API docs.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 CI="${CI:-true}"

pnpm_version=$(node -p 'require("./package.json").packageManager.split("@")[1]')
if [ ! -x .cache/tools/node_modules/.bin/pnpm ]; then
  npm install --prefix .cache/tools --no-audit --no-fund --loglevel=error "pnpm@$pnpm_version" >/dev/null
fi
export PATH="$PWD/.cache/tools/node_modules/.bin:$PATH"

pnpm install --frozen-lockfile --reporter=append-only
rm -rf .cache/reports
pnpm exec biome check .
pnpm exec turbo run build typecheck lint test test:runtimes size --output-logs=new-only --continue
pnpm run docs
node scripts/summarize-tests.mjs
