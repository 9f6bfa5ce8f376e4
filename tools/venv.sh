# Sourced by tools/serve.sh and tools/test.sh: make ./.venv and activate it.
#
# A virtual environment, because Debian's and Ubuntu's own Python refuses
# `pip install` outside one ("externally managed environment"). It sees the
# system's site-packages, so packages already installed there (as on a CI
# machine) are not downloaded again; the pinned versions win where they differ.

_root_cmd() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

if [ ! -x .venv/bin/python ]; then
  if ! python3 -m venv --system-site-packages .venv >/dev/null 2>&1; then
    # Debian and Ubuntu ship venv's pip bootstrap separately.
    rm -rf .venv
    echo "Installing python3-venv with apt-get (Debian/Ubuntu keep it apart from python3)..." >&2
    _root_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive _root_cmd apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv --system-site-packages .venv
  fi
fi
# shellcheck disable=SC1091
. .venv/bin/activate
