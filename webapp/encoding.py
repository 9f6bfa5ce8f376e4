"""How responses are encoded: JSON with orjson, and gzip when the client accepts it.

JSON. orjson writes the same document as the standard library's encoder,
about five times faster on the largest trace (``python bench/perf.py``
prints both): keys in the order they were built, and each float as the
shortest decimal that reads back to the same number, so the float32
decimals of ``json_floats`` come out as they are. Two spellings differ, not
the values: an exponent is written ``3e38`` (Python: ``3e+38``) and text
outside ASCII is sent as UTF-8 rather than ``\\u`` escapes. orjson never
writes the non-standard ``NaN`` or ``Infinity``: a non-finite float would
become ``null``; the API checks its numbers are finite before it answers.

Compression. Responses worth compressing (JSON, HTML, CSS, JavaScript, SVG;
at least ``MIN_SIZE`` bytes) are gzipped when the request's
``Accept-Encoding`` allows gzip, and every such response says
``Vary: Accept-Encoding`` so a cache keeps the two forms apart. Brotli was
measured and left out: at the qualities that cost no more time than gzip it
is no smaller on these numbers (bench/perf.py prints the figures).
"""
from __future__ import annotations

import gzip
from typing import Any

import orjson
from flask import Flask, Request, Response, request
from flask.json.provider import DefaultJSONProvider

__all__ = ["GZIP_LEVEL", "MIN_SIZE", "FastJSONProvider", "accepts_gzip", "compress_response", "register_compression"]

# zlib level 6 (its default): the level at which a 256-word, 64-feature trace
# fits 60 KB; level 1 saves a few milliseconds and sends 20% more.
GZIP_LEVEL = 6
# Below this, gzip's header and checksum eat most of what it would save.
MIN_SIZE = 1024
COMPRESSIBLE = frozenset(
    {"application/json", "text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml"}
)


class FastJSONProvider(DefaultJSONProvider):
    """JSON out in the order it was built, through orjson; never NaN or Infinity."""

    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:
            # A caller asking for options (indent, sort_keys, ...) gets the
            # standard encoder, still strict about NaN.
            kwargs.setdefault("allow_nan", False)
            return super().dumps(obj, **kwargs)
        return orjson.dumps(obj, default=self.default).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        option = orjson.OPT_INDENT_2 if self._app.debug else 0
        return self._app.response_class(
            orjson.dumps(obj, default=self.default, option=option), mimetype=self.mimetype
        )


def accepts_gzip(req: Request) -> bool:
    """Whether the request's Accept-Encoding allows gzip (``gzip;q=0`` does not)."""
    return req.accept_encodings.quality("gzip") > 0


def compress_response(response: Response) -> Response:
    """Gzip a finished response when it is worth it and the client accepts it."""
    if response.mimetype not in COMPRESSIBLE or response.direct_passthrough:
        return response
    response.vary.add("Accept-Encoding")
    if (
        response.status_code < 200
        or response.status_code in (204, 304)
        or "Content-Encoding" in response.headers
        or response.is_streamed
        or not accepts_gzip(request)
    ):
        return response
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    # mtime=0: the same bytes for the same answer, on every replica.
    response.set_data(gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag:
        # Another representation, so another validator.
        response.set_etag(f"{etag}-gzip", weak=weak)
    return response


def register_compression(app: Flask) -> None:
    """Compress every response that qualifies (see :func:`compress_response`)."""
    app.after_request(compress_response)
