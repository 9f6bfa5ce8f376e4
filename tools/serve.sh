#!/usr/bin/env bash
# The README's app command: set up ./.venv, install the app's pinned
# dependencies, and serve the explainer on http://127.0.0.1:8000 with its
# embedded defaults. It opens no browser; Ctrl+C stops it. PORT and HOST
# change the address.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/venv.sh
python -m pip install --quiet --disable-pip-version-check -r requirements.txt
echo "Serving the explainer on http://${HOST:-127.0.0.1}:${PORT:-8000}/ : open that address in a browser. Ctrl+C stops it." >&2
exec python app.py
