"""The trace answer cache: the same answer as without it, one entry per canonical request, within its budgets."""
from __future__ import annotations

import gzip

import pytest
import zstandard

from app import create_app
from webapp import views
from webapp.cache import ResponseCache
from webapp.config import TestConfig
from webapp.encoding import MIN_SIZE

WORDS = " ".join(f"word{i}" for i in range(256))
BODIES = [
    {"preset": "classic", "pool_size": 2, "strides": 1},
    {"preset": "negatives", "layer": "average", "pool_size": 3, "strides": 2, "padding": "same"},
    {"sentence": WORDS, "features": 64, "pool_size": 3, "strides": 1},
    {"embeddings": [[1, 2], [3, -4], [0.5, 0.25]], "pool_size": 2},
]
ENCODINGS = {"identity": None, "gzip": gzip.decompress, "gzip, deflate, br, zstd": zstandard.decompress}


def make_app(**settings):
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    return create_app({**config, **settings})


def cache_of(app) -> ResponseCache:
    return app.extensions["trace_cache"]


@pytest.mark.parametrize("body", BODIES, ids=range(len(BODIES)))
def test_cached_answers_are_the_answers_built_without_a_cache(body):
    fresh = make_app(TRACE_CACHE_ENTRIES=0).test_client()
    cached = make_app().test_client()
    expected = fresh.post("/api/trace", json=body, headers={"Accept-Encoding": "identity"})
    assert expected.status_code == 200
    for _ in range(2):  # a miss, then hits
        for accept, decode in ENCODINGS.items():
            if len(expected.data) < MIN_SIZE:
                decode = None  # too small to be worth compressing
            got = cached.post("/api/trace", json=body, headers={"Accept-Encoding": accept})
            assert got.status_code == 200
            assert got.mimetype == "application/json"
            assert "Accept-Encoding" in got.headers["Vary"]
            data = got.data if decode is None else decode(got.data)
            assert data == expected.data
            assert got.headers.get("Content-Encoding") == (None if decode is None else accept.split(",")[-1].strip())


def test_one_entry_per_canonical_request(monkeypatch):
    app = make_app()
    client = app.test_client()
    built = []
    real = views.build_trace
    monkeypatch.setattr(views, "build_trace", lambda req, *floats: built.append(req) or real(req, *floats))
    spelt_out = {"preset": "classic", "layer": "max", "pool_size": 2, "strides": None, "padding": "VALID",
                 "features": 4, "seed": 0}
    first = client.post("/api/trace", json={"preset": "classic"})
    second = client.post("/api/trace", json=spelt_out)
    assert first.data == second.data
    assert len(built) == 1 and len(cache_of(app)) == 1
    client.post("/api/trace", json={"preset": "classic", "strides": 1})
    assert len(built) == 2 and len(cache_of(app)) == 2


def test_errors_are_not_kept():
    app = make_app()
    client = app.test_client()
    assert client.post("/api/trace", json={"preset": "classic", "pool_size": 9}).status_code == 400
    assert client.post("/api/trace", json={"sentence": "one"}).status_code == 400  # pool_size 2 > 1 word
    assert "trace_cache" not in app.extensions or len(cache_of(app)) == 0


def test_the_cache_stays_within_its_entries_and_bytes():
    app = make_app(TRACE_CACHE_ENTRIES=5, TRACE_CACHE_BYTES=20_000)
    client = app.test_client()
    for seed in range(12):
        for accept in ENCODINGS:
            body = {"sentence": "the boy will live here now", "features": 16, "seed": seed}
            assert client.post("/api/trace", json=body, headers={"Accept-Encoding": accept}).status_code == 200
        cache = cache_of(app)
        assert len(cache) <= 5 and cache.size <= 20_000
        held = sum(len(key) + sum(len(b) for b in entry.values()) for key, entry in cache._items.items())
        assert held == cache.size
    # The 256 x 64 answer alone is over the budget: answered, never kept.
    before = dict(cache._items)
    assert client.post("/api/trace", json=BODIES[2]).status_code == 200
    assert cache._items == before


def test_least_recently_used_goes_first():
    cache = ResponseCache(entries=2, max_bytes=1000)
    cache.put(b"a", None, b"1")
    cache.put(b"b", None, b"2")
    assert cache.get(b"a") == {None: b"1"}  # "a" is now the newer
    cache.put(b"c", None, b"3")
    assert cache.get(b"b") is None and cache.get(b"a") == {None: b"1"} and cache.get(b"c") == {None: b"3"}


def test_an_encoding_replaced_is_counted_once():
    cache = ResponseCache(entries=4, max_bytes=1000)
    cache.put(b"k", None, b"12345")
    cache.put(b"k", "gzip", b"123")
    cache.put(b"k", "gzip", b"1234")
    assert cache.get(b"k") == {None: b"12345", "gzip": b"1234"}
    assert cache.size == len(b"k") + 5 + 4


def test_zero_entries_keeps_nothing():
    cache = ResponseCache(entries=0, max_bytes=1000)
    cache.put(b"k", None, b"1")
    assert cache.get(b"k") is None and len(cache) == 0 and cache.size == 0


def test_negative_budgets_are_refused():
    with pytest.raises(ValueError, match="entries >= 0"):
        ResponseCache(entries=-1, max_bytes=10)
