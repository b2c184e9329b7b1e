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

# The CLI's dependencies, from the lockfile: only the packages it runs on and the build tools
# (not the test runtimes: Bun, Deno, workerd, Chromium's driver, biome...). Skipped while the
# lockfile is the one they were installed from (a full `pnpm install` counts too).
lock=$(node -e 'process.stdout.write(require("node:crypto").createHash("sha256").update(require("node:fs").readFileSync(process.argv[1])).digest("hex"))' "$root/pnpm-lock.yaml")
if [ "$(cat "$stamps/deps" 2>/dev/null)" != "$lock" ] || [ ! -d "$root/packages/cli/node_modules" ]; then
  say "installing the CLI's dependencies from pnpm-lock.yaml (once, and again only when it changes)..."
  (cd "$root" && pnpm install --frozen-lockfile --reporter=silent --filter 'vclm...' --filter @vclm/tools)
  echo "$lock" >"$stamps/deps"
  took "dependencies installed"
fi

# A quick build of the CLI and the packages it uses, when a source is newer than the last one.
if [ ! -f "$stamps/built" ] || [ ! -f "$root/packages/cli/dist/cli.js" ] ||
  [ -n "$(find "$root/packages" -path '*/node_modules' -prune -o \( -path '*/src/*' -o -name package.json \) -newer "$stamps/built" -print -quit)" ]; then
  say "building the CLI (JavaScript only, no type-check; pnpm build is the full build)..."
  touch "$stamps/built.next"
  node "$root/tools/devkit/bin/quick-build.js" "$root/packages/cli" >/dev/null
  mv "$stamps/built.next" "$stamps/built"
  took "built"
fi

exec node "$root/packages/cli/bin/vclm.js" "$@"
