#!/usr/bin/env bash
# Makes dancer.jpg, the sample photo the README's first command animates: a 576×1024 portrait
# (height:width 1.78, inside the service's 1.2..2) of a simple figure. Run once with Debian's ffmpeg;
# the result is committed.
set -euo pipefail
cd "$(dirname "$0")"
ffmpeg -loglevel error -y -f lavfi -i "color=c=0x3b6e8f:s=576x1024:d=1" -frames:v 1 -vf "\
drawbox=x=0:y=760:w=576:h=264:color=0x2d4a2b:t=fill,\
drawbox=x=248:y=170:w=80:h=90:color=0xf1c27d:t=fill,\
drawbox=x=228:y=270:w=120:h=230:color=0xc0392b:t=fill,\
drawbox=x=168:y=280:w=60:h=30:color=0xf1c27d:t=fill,\
drawbox=x=348:y=280:w=60:h=30:color=0xf1c27d:t=fill,\
drawbox=x=238:y=500:w=40:h=260:color=0x2c3e50:t=fill,\
drawbox=x=298:y=500:w=40:h=260:color=0x2c3e50:t=fill" -q:v 4 dancer.jpg
