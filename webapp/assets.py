"""The page's own static files at versioned URLs, cached for a year, gzipped from memory.

``url_for("static", filename="js/main.js")`` builds
``/static/v/<version>/js/main.js``, where ``<version>`` is a hash of every
file under ``static/``. The ES modules import each other by relative URLs
(``./heatmap.js``), so they inherit the version segment and the long cache
with no change to the JavaScript; any edit to any static file gives every
file a new URL, so a browser never mixes old and new modules. Templates
keep calling ``url_for("static", ...)``.

Versioned answers say ``Cache-Control: public, max-age=31536000, immutable``:
a repeat visit asks for none of them again. A URL naming another version
(a page from a replica that runs a different release, during a rolling
deploy) still gets the current file, with ``no-cache``, so it revalidates
instead of being kept for a year. ``/static/<path>`` without a version works
as before, also with ``no-cache``.

The files are listed once per process, at start-up, in one table keyed by
their path inside ``static/`` (``js/main.js``); each is read and gzipped
once, the first time it is asked for, and kept under that key. A request
is answered from that table or not at all: any other spelling of a file
(``a/../js/main.js``, ``./js/main.js``, ``%2e%2e``, ``//js/main.js``) is a
404 that reads nothing from disk and stores nothing, so the memory a worker
holds for static files is bounded by the files there are (1.7 MB, about
2.3 MB with their gzip forms) whatever URLs it is sent. In debug mode the
table is rebuilt when a file's name, size or mtime changes, so edits show
at once.
"""
from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, abort, request

from .encoding import COMPRESSIBLE, MIN_SIZE, accepts_gzip

__all__ = ["IMMUTABLE", "StaticFile", "file_response", "load_file", "register_static", "static_table", "static_version"]

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass(frozen=True)
class StaticFile:
    content_type: str
    identity: bytes
    gzipped: bytes | None
    etag: str


def _files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def static_version(folder: Path) -> str:
    """A hash of the names and bytes of every file under ``folder``: the same on every replica."""
    digest = hashlib.sha256()
    for path in _files(folder):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


def load_file(path: Path) -> StaticFile:
    """Read a file once, with its type, its gzip form when worth it, and a hash of its bytes."""
    data = path.read_bytes()
    content_type = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    compressible = content_type.split(";")[0] in COMPRESSIBLE and len(data) >= MIN_SIZE
    # mtime=0: the same bytes on every start and every replica.
    gzipped = gzip.compress(data, compresslevel=9, mtime=0) if compressible else None
    return StaticFile(content_type, data, gzipped, hashlib.sha256(data).hexdigest()[:32])


def file_response(asset: StaticFile, cache_control: str) -> Response:
    """Send a file read by :func:`load_file`: gzipped when accepted, with its ETag, 304 when unchanged."""
    gzip_ok = asset.gzipped is not None and accepts_gzip(request)
    response = Response(asset.gzipped if gzip_ok else asset.identity, content_type=asset.content_type)
    if gzip_ok:
        response.headers["Content-Encoding"] = "gzip"
    if asset.gzipped is not None:
        response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = cache_control
    response.set_etag(asset.etag + ("-gz" if gzip_ok else ""))
    return response.make_conditional(request)


def static_table(folder: Path) -> dict[str, Path]:
    """Every file under ``folder``, keyed by its path inside it (``js/main.js``)."""
    return {path.relative_to(folder).as_posix(): path for path in _files(folder)}


def register_static(app: Flask) -> None:
    """Serve ``static/`` under ``/static/v/<version>/`` (and ``/static/``) from a table built now."""
    folder = Path(app.static_folder or "static")
    # "loaded" holds a file's bytes and gzip form once it is first asked for (so
    # that a worker starts fast), only ever under a key of "table".
    state: dict = {"version": static_version(folder), "table": static_table(folder), "loaded": {}}
    # Readable by tests and tools: neither ever gains a key outside the files there are.
    app.extensions["static_files"] = state

    def current() -> tuple[str, dict[str, Path]]:
        if app.debug:
            # Reread only when a file's name, size or mtime changed.
            stamp = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in _files(folder))
            if state.get("stamp") != stamp:
                state.update(stamp=stamp, version=static_version(folder), table=static_table(folder), loaded={})
        return state["version"], state["table"]

    def current_version() -> str:
        return current()[0]

    def serve(filename: str, version: str | None = None) -> Response:
        """A static file, gzipped when accepted; a year's cache at the current version."""
        latest, table = current()
        # Only the canonical spelling is a key: "a/../x", "./x" and "/x" are not.
        path = table.get(filename)
        if path is None:
            abort(404)
        loaded = state["loaded"]
        asset = loaded.get(filename)
        if asset is None:
            asset = loaded[filename] = load_file(path)
        fresh = version is not None and version == latest
        return file_response(asset, IMMUTABLE if fresh else REVALIDATE)

    # The "static" endpoint keeps its rule /static/<path:filename> and gains
    # a second one; URL building prefers the rule with more arguments, so
    # url_for("static", filename=...) gets the version filled in below.
    app.view_functions["static"] = serve
    app.add_url_rule(f"{app.static_url_path}/v/<version>/<path:filename>", "static", serve)

    @app.url_defaults
    def _static_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "version" not in values:
            values["version"] = current_version()
