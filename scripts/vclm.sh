#!/usr/bin/env bash
# The vclm CLI from a clone, as `npx vclm` will run it once the packages are published:
#   bash scripts/vclm.sh animate photo.jpg --emulator
# The first time, it installs only what the CLI needs (pnpm into .cache/, then the CLI's locked
# dependencies) and builds it quickly (JavaScript only); after that, it installs again only when the
# lockfile changes and builds again only when a source file changes. Each stage says what it does on
# stderr. Paths in the arguments are taken from where you run it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 PATH="$root/.cache/tools/node_modules/.bin:$PATH"
stamps="$root/.cache/vclm-cli"
mkdir -p "$stamps"

started=$(date +%s%N)
say() { printf '\033[2m[vclm.sh] %s\033[0m\n' "$*" >&2; }
took() { say "$1 ($(( ($(date +%s%N) - started) / 1000000 )) ms)"; started=$(date +%s%N); }

pnpm_version=$(node -p 'require(process.argv[1]).packageManager.split("@")[1]' "$root/package.json")
if [ ! -x "$root/.cache/tools/node_modules/.bin/pnpm" ]; then
  say "installing pnpm $pnpm_version into .cache/tools (once; nothing global)..."
  npm install --prefix "$root/.cache/tools" --no-audit --no-fund --loglevel=error "pnpm@$pnpm_version" >/dev/null
  took "pnpm installed"
fi

# The CLI's dependencies, from the lockfile: those of the packages it runs on and of the quick
# build, and the root's tools, but none of the test runtimes (Bun, Deno, workerd, Chromium's
# driver: `pnpm install` installs those). Skipped
# while the lockfile is the one they were installed from; a full install is kept full.
lock=$(node "$root/scripts/lockfile-hash.mjs")
if [ "$(cat "$stamps/deps" 2>/dev/null)" != "$lock" ] || [ ! -d "$root/packages/cli/node_modules" ]; then
  if grep -q "devDependencies: true" "$root/node_modules/.modules.yaml" 2>/dev/null; then
    say "updating the full install from pnpm-lock.yaml (it changed)..."
    (cd "$root" && pnpm install --frozen-lockfile --reporter=silent)
  else
    say "installing the CLI's dependencies from pnpm-lock.yaml (once, and again only when it changes)..."
    (cd "$root" && pnpm install --frozen-lockfile --reporter=silent --filter 'vclm...' --filter @vclm/tools)
  fi
  echo "$lock" >"$stamps/deps"
  took "dependencies installed"
fi

# A quick build of the CLI and the packages it uses, when a source is newer than the CLI's build
# (a full `pnpm build` that is current is kept as it is).
built="$root/packages/cli/dist/cli.js"
if [ ! -f "$built" ] ||
  [ -n "$(find "$root/packages" -path '*/node_modules' -prune -o \( -path '*/src/*' -o -name package.json \) -newer "$built" -print -quit)" ]; then
  say "building the CLI (JavaScript only, no type-check; pnpm build is the full build)..."
  node "$root/tools/devkit/bin/quick-build.js" "$root/packages/cli" >/dev/null
  took "built"
fi

exec node "$root/packages/cli/bin/vclm.js" "$@"
