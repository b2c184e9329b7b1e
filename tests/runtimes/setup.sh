#!/usr/bin/env bash
# Installs the runtimes these tests need and npm cannot list as dependencies: Node 24 (from the
# npm registry, beside the Node that runs the tests) and Debian's Chromium. Idempotent.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .cache/node24/node_modules/.bin/node ]; then
  npm install --prefix .cache/node24 --no-audit --no-fund --loglevel=error node@24 >/dev/null
fi
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  else
    echo "Chromium is missing: run 'sudo apt-get install chromium' (Debian) and retry." >&2
    exit 1
  fi
fi
