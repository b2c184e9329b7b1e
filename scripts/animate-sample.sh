#!/usr/bin/env bash
# The README's first command: animates samples/dancer.jpg with the ke3 dance against the embedded
# emulator (no account needed) and leaves a playable MP4 in the folder you run it from, printing
# where it is. Installs and builds what the CLI needs first, once (see vclm.sh). Extra arguments go
# to `vclm animate`, e.g. --template tuziwu.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/vclm.sh" animate "$(dirname "${BASH_SOURCE[0]}")/../samples/dancer.jpg" --template ke3 --emulator "$@"
