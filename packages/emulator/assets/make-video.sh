#!/usr/bin/env bash
# Makes dance.mp4, the video the emulator serves for DONE jobs: 2 s of a portrait test pattern,
# H.264 baseline (plays in every browser), faststart. Run once with Debian's ffmpeg; the result is
# committed, and embedded by ../scripts/embed-video.mjs, so the emulator needs no ffmpeg at run time.
set -euo pipefail
cd "$(dirname "$0")"
ffmpeg -loglevel error -y -f lavfi -i "testsrc2=size=240x432:rate=12,drawbox=x=mod(t*120\,200):y=180:w=40:h=40:color=white@0.9:t=fill" \
  -t 2 -c:v libx264 -profile:v baseline -level 3.0 -pix_fmt yuv420p -crf 32 -movflags +faststart -an dance.mp4
