#!/usr/bin/env bash
# The README's first command: animates samples/dancer.jpg with the ke3 dance against the embedded
# emulator (no account needed) and leaves a playable MP4, printing where it is. Installs what it
# needs first (see bootstrap.sh). Extra arguments go to `vclm animate`, e.g. --template tuziwu.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
pnpm exec turbo run build --filter=vclm... --output-logs=errors-only >/dev/null
node packages/cli/bin/vclm.js animate samples/dancer.jpg --template ke3 --emulator "$@"
