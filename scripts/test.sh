#!/usr/bin/env bash
# Every check vclm has, from a fresh clone on a machine with only Node and npm: installs pnpm (into
# .cache/, no global writes) and the locked dependencies, then builds, type-checks, lints, tests
# in Node and in every runtime (Node 24, Deno, Bun, workerd, Chromium: tests/runtimes/setup.sh
# installs Node 24 and Chromium, which npm cannot list as dependencies), runs the example apps,
# runs the Redis tests on Debian's redis-server (installed here as root when missing),
# checks size budgets, proves the publish path (scripts/check-publish.mjs) and builds the API docs.
set -euo pipefail
export CI="${CI:-true}"
source "$(dirname "$0")/bootstrap.sh"
# Node 24 and Chromium, once, before tasks that need them run in parallel.
bash tests/runtimes/setup.sh
# Debian's redis-server for the Redis tests (Node fleets), once, before they run in parallel.
if ! command -v redis-server >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >/dev/null
  else
    echo "redis-server is missing: run 'sudo apt-get install redis-server' (Debian) and retry." >&2
    exit 1
  fi
fi
# Each workspace's test reports (a test task's output: a cached task restores its own), and the repo's own.
rm -rf .reports packages/*/.reports apps/*/.reports tests/*/.reports tools/*/.reports
pnpm exec biome check .
node scripts/check-changesets.mjs
node scripts/check-architecture.mjs
# README.md's package table lists every published package; docs/README.md links every guide.
node scripts/check-doc-lists.mjs
# A test task that does not hash every file its tests read could pass on a stale cache.
node scripts/check-task-inputs.mjs
# On a failure, the tests' own summary (each failure with its message) still ends the log.
if ! pnpm exec turbo run build typecheck lint test test:runtimes size --output-logs=new-only --continue; then
  node scripts/summarize-tests.mjs || true
  echo "some task failed: its output is above (search for ERROR)"
  exit 1
fi
# The packed packages installed with npm and used from Node, npx and Deno, and a release dry run.
# Its checks are counted in the closing line; a run that wrote no report still fails after it.
publish=passed
node scripts/check-publish.mjs || publish=failed
# Every size the docs state is what the size measurement gives (the size task above checked the
# budgets). Each size is a check counted in the closing line.
sizes=passed
node scripts/check-doc-sizes.mjs || sizes=failed
pnpm run docs
node scripts/summarize-tests.mjs
[ "$publish" = passed ] && [ "$sizes" = passed ]
