"""plotly.min.js from the installed plotly package, served without any CDN.

The file is read and gzip-compressed once, at startup, and served from memory
at a URL that names its version, so browsers may cache it for a year.
"""
from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from flask import Flask, Response, request

__all__ = ["Asset", "load_asset", "plotly_js_path", "register_plotly"]

_VERSION = re.compile(rb"plotly\.js v(\d+\.\d+\.\d+)")


@dataclass(frozen=True)
class Asset:
    version: str
    identity: bytes
    gzipped: bytes
    etag: str


def plotly_js_path() -> Path:
    """Where the installed plotly package keeps plotly.min.js (plotly.py is never imported)."""
    spec = find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the plotly package is not installed; see requirements.txt")
    return Path(next(iter(spec.submodule_search_locations))) / "package_data" / "plotly.min.js"


@lru_cache(maxsize=4)
def load_asset(path: Path) -> Asset:
    """Read, version and compress a plotly.min.js once per process."""
    data = path.read_bytes()
    match = _VERSION.search(data[:500])
    if match is None:
        raise RuntimeError(f"no 'plotly.js vX.Y.Z' header in {path}")
    # mtime=0: the same bytes on every start and every replica.
    gzipped = gzip.compress(data, compresslevel=9, mtime=0)
    return Asset(match.group(1).decode(), data, gzipped, hashlib.sha256(data).hexdigest()[:32])


def register_plotly(app: Flask) -> None:
    """Add ``/vendor/plotly-<version>.min.js`` (endpoint ``plotly_js``)."""
    asset = load_asset(Path(app.config.get("PLOTLY_JS_PATH") or plotly_js_path()))

    def plotly_js() -> Response:
        """plotly.min.js, gzip-compressed when the browser accepts it."""
        gzip_ok = request.accept_encodings.quality("gzip") > 0
        response = Response(
            asset.gzipped if gzip_ok else asset.identity,
            content_type="text/javascript; charset=utf-8",
        )
        if gzip_ok:
            response.headers["Content-Encoding"] = "gzip"
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        response.vary.add("Accept-Encoding")
        response.set_etag(asset.etag + ("-gz" if gzip_ok else ""))
        return response.make_conditional(request)

    app.add_url_rule(f"/vendor/plotly-{asset.version}.min.js", "plotly_js", plotly_js)
