"""Plotly.js, served from this server (never a CDN).

By default the page gets Plotly's official cartesian partial bundle
(``plotly.js-cartesian-dist-min``: heatmaps, shapes, annotations, react,
relayout, toImage), vendored in ``static/vendor/`` by
``tools/refresh_plotly.py`` at the version the ``plotly`` package ships:
1.5 MB instead of 4.8 MB, about a third of the parsing on a first visit.
``PLOTLY_JS_PATH`` may point at another build, such as the full bundle from
the plotly package (:func:`full_plotly_js_path`).

The file is read and gzip-compressed once, at startup, and served from memory
at a URL that names its version and a hash of its bytes, so browsers may
cache it for a year and never keep a stale copy.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from flask import Flask, Response

from .assets import IMMUTABLE, StaticFile, file_response, load_file

__all__ = ["Asset", "full_plotly_js_path", "load_asset", "plotly_js_path", "register_plotly"]

# "plotly.js v4.1.1" (full bundle) or "plotly.js (cartesian - minified) v4.1.1".
_VERSION = re.compile(rb"plotly\.js (?:\([^)\n]*\) )?v(\d+\.\d+\.\d+)")
VENDORED = Path(__file__).resolve().parent.parent / "static" / "vendor" / "plotly-cartesian.min.js"


@dataclass(frozen=True)
class Asset:
    version: str
    file: StaticFile


def plotly_js_path() -> Path:
    """The Plotly.js the page gets by default: the vendored cartesian bundle."""
    return VENDORED


def full_plotly_js_path() -> Path:
    """Where the installed plotly package keeps the full plotly.min.js (plotly.py is never imported)."""
    spec = find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the plotly package is not installed; see requirements.txt")
    return Path(next(iter(spec.submodule_search_locations))) / "package_data" / "plotly.min.js"


@lru_cache(maxsize=4)
def load_asset(path: Path) -> Asset:
    """Read, version and compress a Plotly.js bundle once per process."""
    file = load_file(path)
    match = _VERSION.search(file.identity[:500])
    if match is None:
        raise RuntimeError(f"no 'plotly.js ... vX.Y.Z' header in {path}")
    return Asset(match.group(1).decode(), file)


def register_plotly(app: Flask) -> None:
    """Add ``/vendor/plotly-<version>-<hash>.min.js`` (endpoint ``plotly_js``)."""
    asset = load_asset(Path(app.config.get("PLOTLY_JS_PATH") or plotly_js_path()))

    def plotly_js() -> Response:
        """Plotly.js, gzip-compressed when the browser accepts it."""
        return file_response(asset.file, IMMUTABLE)

    app.add_url_rule(f"/vendor/plotly-{asset.version}-{asset.file.etag[:12]}.min.js", "plotly_js", plotly_js)
