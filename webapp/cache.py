"""A small cache of trace answers, per worker: a class opening the same lesson costs one trace.

Keyed by the canonical request (the validated request with every default
filled in, so ``{"preset": "classic"}`` and the same request spelt out
share an entry), it holds the answer's JSON and, once asked for, its zstd
and gzip encodings, so a hit costs neither the engine, nor the encoder, nor
the compressor. Bounded twice: at most ``TRACE_CACHE_ENTRIES`` answers and
``TRACE_CACHE_BYTES`` bytes (the encodings count), the least recently used
going first; an answer larger than the whole budget is never kept. Only
answers are cached: a request that fails validation or the engine raises
before it gets here. ``TRACE_CACHE_ENTRIES = 0`` turns it off.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import orjson
from flask import Flask, Response, current_app, request

from .encoding import MIN_SIZE, choose_encoding, compress

__all__ = ["ResponseCache", "cached_json", "request_key"]


class ResponseCache:
    """Least recently used bodies under a count and a byte budget; safe across threads.

    Each entry maps an encoding (``None`` for plain JSON, ``"zstd"``,
    ``"gzip"``) to the body in that encoding.

    >>> cache = ResponseCache(entries=2, max_bytes=10)
    >>> cache.put(b"a", None, b"1234"); cache.put(b"b", None, b"5678")
    >>> cache.put(b"c", None, b"90")  # key and body: 5 + 5 + 3 bytes is over, "a" goes
    >>> cache.get(b"a"), cache.get(b"c"), len(cache), cache.size
    (None, {None: b'90'}, 2, 8)
    """

    def __init__(self, entries: int, max_bytes: int) -> None:
        if entries < 0 or max_bytes < 0:
            raise ValueError(f"a cache needs entries >= 0 and max_bytes >= 0, got {entries} and {max_bytes}")
        self.entries = entries
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[bytes, dict[str | None, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: bytes) -> dict[str | None, bytes] | None:
        """The entry's bodies by encoding (a copy), marked as just used; None if absent."""
        with self._lock:
            entry = self._items.get(key)
            if entry is None:
                return None
            self._items.move_to_end(key)
            return dict(entry)

    def put(self, key: bytes, encoding: str | None, body: bytes) -> None:
        """Keep ``body`` as the entry's ``encoding``, then evict down to both budgets."""
        cost = len(body) + len(key)
        if cost > self.max_bytes or self.entries == 0:
            return
        with self._lock:
            entry = self._items.setdefault(key, {})
            old = entry.get(encoding)
            if old is not None:
                self.size -= len(old)
            elif not entry:
                self.size += len(key)
            entry[encoding] = body
            self.size += len(body)
            self._items.move_to_end(key)
            while len(self._items) > self.entries or self.size > self.max_bytes:
                evicted_key, evicted = self._items.popitem(last=False)
                self.size -= len(evicted_key) + sum(len(b) for b in evicted.values())


def request_key(canonical: Any) -> bytes:
    """A short key for a canonical request (a ``model_dump()``): 16 bytes of BLAKE2b of its JSON.

    >>> request_key({"preset": "classic", "pool_size": 2}) == request_key({"preset": "classic", "pool_size": 2})
    True
    >>> len(request_key({"preset": "classic"}))
    16
    """
    return hashlib.blake2b(orjson.dumps(canonical), digest_size=16).digest()


def _cache(app: Flask) -> ResponseCache:
    cache = app.extensions.get("trace_cache")
    if cache is None:
        # setdefault: two threads of one worker may both get here first.
        cache = app.extensions.setdefault(
            "trace_cache",
            ResponseCache(int(app.config.get("TRACE_CACHE_ENTRIES", 0)), int(app.config.get("TRACE_CACHE_BYTES", 0))),
        )
    return cache


def cached_json(canonical: Any, build: Callable[[], Any]) -> Response:
    """The JSON response for a request, from the cache or from ``build()`` (then kept).

    The body is encoded as the client accepts (zstd, gzip, or plain), as
    :func:`webapp.encoding.compress_response` would, and that encoding is
    kept too; ``Vary: Accept-Encoding`` as for every compressible answer.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cache = _cache(app)
    key = request_key(canonical)
    entry = cache.get(key) or {}
    plain = entry.get(None)
    if plain is None:
        plain = app.json.response(build()).get_data()
        cache.put(key, None, plain)
    encoding = choose_encoding(request) if len(plain) >= MIN_SIZE else None
    body = plain
    if encoding is not None:
        body = entry.get(encoding) or b""
        if not body:
            body = compress(plain, encoding)
            cache.put(key, encoding, body)
    response = app.response_class(body, mimetype="application/json")
    if encoding is not None:
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    return response
