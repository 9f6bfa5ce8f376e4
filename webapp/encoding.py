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
at least ``MIN_SIZE`` bytes) are compressed when the request's
``Accept-Encoding`` allows it: zstd (level 3) for the browsers that name it
(Chromium 123+, Firefox 126+), gzip (level 4) for the others, such as
Safari. Every such response says ``Vary: Accept-Encoding``. The figures
decided it (bench/perf.py; 256 words x 64 features, 219 KB of JSON with the
default strides): zstd-3 sends 47 KB in 0.7 ms; gzip-4 63 KB in 2.7 ms,
while gzip-6 would send 57 KB for 19 ms, more than the whole request.
Brotli was left out: at the qualities that cost no more time than gzip it
is no smaller on these numbers (brotli-4: 59 KB, 2.9 ms).
"""
from __future__ import annotations

import gzip
from typing import Any

import orjson
import zstandard
from flask import Flask, Request, Response, request
from flask.json.provider import DefaultJSONProvider

__all__ = [
    "GZIP_LEVEL",
    "MIN_SIZE",
    "ZSTD_LEVEL",
    "FastJSONProvider",
    "accepts_gzip",
    "choose_encoding",
    "compress",
    "compress_response",
    "encode_response",
    "register_compression",
]

# zlib level 4: past it, the numbers' many short matches make gzip slow (level
# 6 takes seven times as long for 9% fewer bytes); level 1 sends 12% more.
GZIP_LEVEL = 4
# zstd's default level: a twentieth of gzip-6's time here, and smaller.
ZSTD_LEVEL = 3
# Below this, gzip's header and checksum eat most of what it would save.
MIN_SIZE = 1024
# text/csv and text/x-python: the exports (webapp/exports.py), compressed like every other answer.
COMPRESSIBLE = frozenset(
    {"application/json", "text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml",
     "text/csv", "text/x-python"}
)


# Dates and dataclasses go to Flask's own ``default`` (an HTTP date, asdict), and
# non-string keys become strings, as with the standard encoder.
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS


class FastJSONProvider(DefaultJSONProvider):
    """JSON out in the order it was built, through orjson; never NaN or Infinity."""

    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:
            # A caller asking for options (indent, sort_keys, ...) gets the
            # standard encoder, still strict about NaN.
            kwargs.setdefault("allow_nan", False)
            return super().dumps(obj, **kwargs)
        return orjson.dumps(obj, default=self.default, option=_OPTIONS).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        option = _OPTIONS | (orjson.OPT_INDENT_2 if self._app.debug else 0)
        return self._app.response_class(
            orjson.dumps(obj, default=self.default, option=option), mimetype=self.mimetype
        )


def accepts_gzip(req: Request) -> bool:
    """Whether the request's Accept-Encoding allows gzip (``gzip;q=0`` does not)."""
    return req.accept_encodings.quality("gzip") > 0


def choose_encoding(req: Request) -> str | None:
    """``"zstd"`` if the request names it (not merely ``*``) at least as gladly as gzip, else ``"gzip"`` if allowed."""
    accept = req.accept_encodings
    gzip_q = accept.quality("gzip")
    if any(value == "zstd" and q > 0 for value, q in accept) and accept.quality("zstd") >= gzip_q:
        return "zstd"
    return "gzip" if gzip_q > 0 else None


def compress(body: bytes, encoding: str) -> bytes:
    """``body`` in ``encoding`` (``"zstd"`` or ``"gzip"``), at the levels above."""
    if encoding == "zstd":
        return zstandard.compress(body, ZSTD_LEVEL)
    # mtime=0: the same bytes for the same answer, on every replica.
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def compress_response(response: Response) -> Response:
    """Compress a finished response when it is worth it and the client accepts it."""
    return encode_response(response, choose_encoding(request))


def encode_response(response: Response, encoding: str | None) -> Response:
    """:func:`compress_response` for a client that accepts ``encoding`` (from :func:`choose_encoding`).

    Needs no request, so a heavy route compresses its answer on its own
    thread (webapp/limits.py); ``compress_response`` then leaves it as it is.
    """
    if response.mimetype not in COMPRESSIBLE or response.direct_passthrough:
        return response
    response.vary.add("Accept-Encoding")
    if (
        response.status_code < 200
        or response.status_code in (204, 304)
        or "Content-Encoding" in response.headers
        or response.is_streamed
    ):
        return response
    if encoding is None:
        return response
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(compress(body, encoding))
    response.headers["Content-Encoding"] = encoding
    etag, weak = response.get_etag()
    if etag:
        # Another representation, so another validator.
        response.set_etag(f"{etag}-{encoding}", weak=weak)
    return response


def register_compression(app: Flask) -> None:
    """Compress every response that qualifies (see :func:`compress_response`)."""
    app.after_request(compress_response)
