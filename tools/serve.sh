#!/usr/bin/env bash
# The README's app command: set up ./.venv, install the app's pinned
# dependencies, and serve the explainer on http://127.0.0.1:8000 with its
# embedded defaults. It opens no browser; Ctrl+C stops it. PORT and HOST
# change the address; HOST=0.0.0.0 lets phones and laptops on the same
# network (a classroom's Wi-Fi) connect, and the address to give them is
# printed.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/venv.sh
python -m pip install --quiet --disable-pip-version-check -r requirements.txt
host="${HOST:-127.0.0.1}"
port="${PORT:-8000}"
if [ "$host" = "0.0.0.0" ] || [ "$host" = "::" ]; then
  echo "Serving the explainer on every network interface: on this computer open http://127.0.0.1:${port}/ . Ctrl+C stops it." >&2
  # This machine's address on the network: the one a route out would leave
  # from (a UDP "connect" sends nothing), else every address hostname -I knows.
  addresses="$(python - <<'PY' 2>/dev/null || true
import socket
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
    probe.connect(("10.255.255.255", 1))
    print(probe.getsockname()[0])
PY
)"
  case "$addresses" in ""|127.*) addresses="$(hostname -I 2>/dev/null || true)" ;; esac
  if [ -n "${addresses// /}" ]; then
    for address in $addresses; do
      case "$address" in *:*) url="http://[${address}]:${port}/" ;; *) url="http://${address}:${port}/" ;; esac
      echo "Phones and laptops on this network open: ${url}" >&2
    done
  else
    echo "Phones and laptops on this network open http://<this computer's address>:${port}/ (no network address found)." >&2
  fi
  echo "Anyone on this network can reach it: serve on a classroom network, not a public one." >&2
else
  echo "Serving the explainer on http://${host}:${port}/ : open that address in a browser. Ctrl+C stops it." >&2
fi
exec python app.py
