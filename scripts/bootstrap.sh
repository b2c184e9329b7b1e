#!/usr/bin/env bash
# Sourced by the README's commands: on a machine with only Node and npm, installs pnpm (into .cache/,
# no global writes) and the locked dependencies, and puts pnpm on PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
pnpm_version=$(node -p 'require("./package.json").packageManager.split("@")[1]')
if [ ! -x .cache/tools/node_modules/.bin/pnpm ]; then
  npm install --prefix .cache/tools --no-audit --no-fund --loglevel=error "pnpm@$pnpm_version" >/dev/null
fi
export PATH="$PWD/.cache/tools/node_modules/.bin:$PATH"
# Everything, over a smaller install of the CLI's alone (scripts/vclm.sh) if there is one.
pnpm install --frozen-lockfile --reporter=silent --config.confirm-modules-purge=false
# What vclm.sh checks to skip its install: this one has all the CLI needs.
mkdir -p .cache/vclm-cli
node scripts/lockfile-hash.mjs >.cache/vclm-cli/deps
