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

Float32 arrays. Writing decimals was about half a large trace's cost, and
orjson writes a float32 array itself (its numpy option) in half the time
``json_floats`` and its lists take, or less (a tenth for an average's
eight-digit means): the same shortest decimals that read back to the same
float32, spelt the same way, for every value from 1e-5 up to (not
including) 1e13 and for zeros. Below and above, the two
switch to exponents at other places (``0.000001`` against ``1e-6``,
``1e+13`` against ``10000000000000.0``), so :func:`json_array` hands a
row with such a value to ``json_floats`` instead: the answer's bytes are
the same either way (tests/test_encoding.py compares them).

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

import numpy as np
import orjson
import zstandard
from flask import Flask, Request, Response, request
from flask.json.provider import DefaultJSONProvider
from numpy.typing import NDArray

from pooling import json_floats

__all__ = [
    "GZIP_LEVEL",
    "JSON_OPTIONS",
    "MIN_SIZE",
    "NUMPY_BEYOND",
    "NUMPY_LOWEST",
    "ZSTD_LEVEL",
    "FastJSONProvider",
    "accepts_gzip",
    "choose_encoding",
    "compress",
    "compress_response",
    "encode_response",
    "json_array",
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
# non-string keys become strings, as with the standard encoder; NumPy arrays
# are written by orjson (json_array says which ones may be).
JSON_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS
    | orjson.OPT_SERIALIZE_NUMPY
)
# The float32 magnitudes orjson writes as it writes json_floats' decimals
# (see the module's docstring): zero, and LOWEST <= |v| < BEYOND, compared
# as float32, since float32(1e13) is below 1e13 yet its decimal is "1e13".
NUMPY_LOWEST = np.float32(1e-5)
NUMPY_BEYOND = np.float32(1e13)


def json_array(values: NDArray[np.float32]) -> NDArray[np.float32] | list:
    """A float32 array as the answer holds it: the array, which orjson writes, or ``json_floats``' lists.

    The array itself when every value is zero or has a magnitude from 1e-5
    up to 1e13, where orjson writes the very text it writes for
    ``json_floats(values)``. Otherwise a list of its rows (first axis), each
    the row itself or, when it holds a value outside those bounds (or NaN
    or an infinity), ``json_floats``' list for it: an average's few
    rounding residues such as 5e-09 cost their own rows only. The bytes are
    the same either way.

    >>> orjson.dumps(json_array(np.array([0.8, -0.0, 1e-5], np.float32)), option=JSON_OPTIONS)
    b'[0.8,-0.0,0.00001]'
    >>> json_array(np.array([1e-6, 0.8], np.float32))
    [1e-06, 0.8]
    >>> json_array(np.array([[1e-6, 0.8], [0.5, 0.25]], np.float32))
    [[1e-06, 0.8], array([0.5 , 0.25], dtype=float32)]
    """
    array = np.ascontiguousarray(values, dtype=np.float32)
    magnitude = np.abs(array)
    # NaN fails every comparison, so it is outside as well.
    outside = ~((magnitude < NUMPY_BEYOND) & ((magnitude >= NUMPY_LOWEST) | (magnitude == 0)))
    if not outside.any():
        return array
    if array.ndim < 2:
        return json_floats(array)
    rows = outside.reshape(len(array), -1).any(axis=1)
    lists = iter(json_floats(array[rows]))
    return [next(lists) if bad else row for row, bad in zip(array, rows)]


class FastJSONProvider(DefaultJSONProvider):
    """JSON out in the order it was built, through orjson; never NaN or Infinity."""

    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:
            # A caller asking for options (indent, sort_keys, ...) gets the
            # standard encoder, still strict about NaN.
            kwargs.setdefault("allow_nan", False)
            return super().dumps(obj, **kwargs)
        return orjson.dumps(obj, default=self.default, option=JSON_OPTIONS).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        option = JSON_OPTIONS | (orjson.OPT_INDENT_2 if self._app.debug else 0)
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
