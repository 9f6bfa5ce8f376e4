"""Compressed responses and the orjson encoder: fewer bytes, the same document."""
from __future__ import annotations

import gzip
import json

import pytest
import zstandard

WORDS = " ".join(f"word{i}" for i in range(256))
BIG = {"sentence": WORDS, "features": 64, "pool_size": 2, "strides": 1}
CLASSIC = {"preset": "classic", "pool_size": 2, "strides": 1}


def post(client, body, encoding=None):
    headers = {} if encoding is None else {"Accept-Encoding": encoding}
    return client.post("/api/trace", json=body, headers=headers)


DECODE = {"gzip": gzip.decompress, "zstd": zstandard.decompress}


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("gzip", "gzip"),
        ("gzip, deflate, br", "gzip"),
        ("br;q=1, gzip;q=0.5", "gzip"),
        ("*", "gzip"),  # zstd only when named
        ("gzip, deflate, br, zstd", "zstd"),  # what Chromium sends
        ("zstd", "zstd"),
        ("zstd;q=0.5, gzip", "gzip"),
        ("zstd;q=0, gzip", "gzip"),
    ],
)
def test_api_answer_is_compressed_when_accepted(client, accept, encoding):
    plain = post(client, BIG)
    packed = post(client, BIG, accept)
    assert packed.status_code == plain.status_code == 200
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 3
    assert DECODE[encoding](packed.data) == plain.data


@pytest.mark.parametrize("encoding", [None, "identity", "br", "gzip;q=0", "deflate", "gzip;q=0, zstd;q=0"])
def test_api_answer_is_plain_otherwise(client, encoding):
    response = post(client, BIG, encoding)
    assert "Content-Encoding" not in response.headers
    # The answer depends on Accept-Encoding even when it is not compressed.
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.get_json()["pooling"]["out_steps"] == 255


def test_small_answers_are_not_worth_compressing(client):
    response = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers
    assert response.get_json() == {"status": "ok"}


def test_errors_are_compressed_like_answers(client):
    body = {"sentence": WORDS, "features": 64, "pool_size": 300}
    packed = post(client, body, "gzip")
    plain = post(client, body)
    assert packed.status_code == plain.status_code == 400
    encoding = packed.headers.get("Content-Encoding")
    data = DECODE[encoding](packed.data) if encoding else packed.data
    assert json.loads(data) == plain.get_json()


def test_page_is_gzipped(client):
    plain = client.get("/")
    packed = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data


def test_head_request_of_a_compressed_answer(client):
    response = client.head("/", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.data == b""


def pairs(data: bytes):
    """The document with every object as a list of (key, value) pairs, so key order counts."""
    return json.loads(data, object_pairs_hook=list)


@pytest.mark.parametrize(
    "body",
    [
        CLASSIC,
        BIG,
        {"sentence": "Café ☕ naïve 😀 don't", "layer": "average", "pool_size": 3, "padding": "same"},
        # Tiny and huge float32 values, written with exponents.
        {"embeddings": [[1e-45, 3e38], [-1e-05, 1.5e16], [0.1, -2.5e-7]], "pool_size": 1},
    ],
    ids=["classic", "256x64", "unicode", "exponents"],
)
def test_orjson_writes_the_document_the_standard_encoder_writes(app, client, body):
    response = post(client, body)
    assert response.status_code == 200
    standard = json.dumps(json.loads(response.data), allow_nan=False, separators=(",", ":")).encode()
    # The same keys in the same order and the same numbers: float32 values
    # keep their shortest decimals.
    assert pairs(response.data) == pairs(standard)
    assert b"NaN" not in response.data and b"Infinity" not in response.data


def test_dates_dataclasses_and_number_keys_as_flask_writes_them(app):
    import dataclasses
    import datetime

    @dataclasses.dataclass
    class Point:
        b: int
        a: float

    value = {1: datetime.date(2026, 11, 25), "p": Point(1, 0.5)}
    with app.app_context():
        assert json.loads(app.json.dumps(value)) == json.loads(app.json.dumps(value, sort_keys=False))
        assert json.loads(app.json.response(value).data) == {
            "1": "Wed, 25 Nov 2026 00:00:00 GMT",
            "p": {"b": 1, "a": 0.5},
        }


def test_jsonify_with_options_uses_the_strict_standard_encoder(app):
    with app.app_context():
        assert app.json.dumps({"b": 1, "a": [0.8]}) == '{"b":1,"a":[0.8]}'
        assert app.json.dumps({"b": 1, "a": 2}, sort_keys=True) == '{"a": 2, "b": 1}'
        with pytest.raises(ValueError, match="Out of range float"):
            app.json.dumps([float("nan")], indent=1)
