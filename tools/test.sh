#!/usr/bin/env bash
# The README's test command, and what .ci/run calls unchanged: set up
# ./.venv with everything the tests need on a fresh Debian or Ubuntu
# machine, then run the whole suite. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/venv.sh

python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt

# Browser tests drive Debian's chromium through Playwright
# (never `playwright install`: it downloads a browser build of its own).
if ! command -v chromium >/dev/null 2>&1; then
  _root_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive _root_cmd apt-get install -y -qq chromium >/dev/null
fi

export KERAS_BACKEND=jax
# One pytest worker per core (pytest-xdist): a browser test mostly waits on
# Chromium and the server, and the Keras tests are single-threaded, so one
# process leaves the second core of a 2-core machine mostly idle. Each
# worker starts its own server on a free port and its own Chromium. A file
# runs whole, in order, on one worker (loadfile), as it does alone: module
# fixtures are made once, and tests/test_api_fuzz.py counts the requests of
# its earlier tests. `bash tools/test.sh -n 0` runs in one process.
exec python -m pytest -n auto --dist loadfile "$@"
