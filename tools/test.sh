#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine, then run them.
# This is the README's test command, and .ci/run calls it unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -r requirements-test.txt

# Browser tests drive Debian's chromium through Playwright
# (never `playwright install`: it downloads a browser build of its own).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
  $apt_get update -qq
  DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq chromium >/dev/null
fi

export KERAS_BACKEND=jax
exec python3 -m pytest "$@"
