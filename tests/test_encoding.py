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


# Float32 values orjson may write itself (webapp.encoding.json_array) and the
# neighbours of the bounds, as bit patterns: random ones over every exponent,
# powers of ten, and thousands of values either side of 1e-5 and 1e13.
def _float32_samples():
    import numpy as np

    rng = np.random.default_rng(20)
    bits = rng.integers(0, 2**32, 100_000, dtype=np.uint64).astype(np.uint32)
    edges = [int(np.float32(bound).view(np.uint32)) for bound in (1e-5, 1e13)]
    near = np.concatenate([np.arange(edge - 3000, edge + 3000, dtype=np.uint32) for edge in edges])
    powers = (10.0 ** np.arange(-45, 39)).astype(np.float32).view(np.uint32)
    values = np.concatenate([bits, near, powers]).view(np.float32)
    values = values[np.isfinite(values)]
    specials = np.array(
        [0.0, -0.0, 1e-45, -1e-45, 1.1754942e-38, 1.17549435e-38, 3.4028235e38, -3.4e38, 0.125, 2.5, -0.5,
         33554436.0, 16777217.0, 0.1, 0.8, 1 / 3, 9.999999e12, 1e-5],
        dtype=np.float32,
    )
    return np.concatenate([values, -values, specials])


def test_orjson_writes_float32_arrays_as_json_floats_decimals_within_the_bounds():
    import numpy as np
    import orjson

    from pooling import json_floats
    from webapp.encoding import JSON_OPTIONS, NUMPY_BEYOND, NUMPY_LOWEST, json_array

    values = _float32_samples()
    magnitude = np.abs(values)
    within = (magnitude == 0) | ((magnitude >= NUMPY_LOWEST) & (magnitude < NUMPY_BEYOND))
    inside, outside = values[within], values[~within]
    assert inside.size > 50_000 and outside.size > 50_000
    given = json_array(inside)
    assert isinstance(given, np.ndarray)
    assert orjson.dumps(given, option=JSON_OPTIONS) == orjson.dumps(json_floats(inside))
    # One value beyond the bounds and a row goes to json_floats, the other rows stay arrays.
    for value in (outside[0], outside[-1], np.float32(np.nan), np.float32(np.inf)):
        row = np.append(inside[:99], value)
        assert isinstance(json_array(row), list)
        table = np.stack([inside[100:200], row, inside[200:300]])
        given = json_array(table)
        assert [type(part) for part in given] == [np.ndarray, list, np.ndarray]
        if np.isfinite(value):
            assert orjson.dumps(given, option=JSON_OPTIONS) == orjson.dumps(json_floats(table))
    # The bounds are where orjson's own text starts to differ, not guesses.
    below = np.nextafter(NUMPY_LOWEST, np.float32(0))
    for value in (below, NUMPY_BEYOND, -NUMPY_BEYOND):
        alone = np.array([value], np.float32)
        assert orjson.dumps(alone, option=JSON_OPTIONS) != orjson.dumps(json_floats(alone))


def test_json_array_keeps_shapes_and_empty_arrays():
    import numpy as np
    import orjson

    from pooling import json_floats
    from webapp.encoding import JSON_OPTIONS, json_array

    blocks = np.arange(12, dtype=np.float32).reshape(2, 3, 2) / 7
    blocks[1, 2, 0] = 1e-6
    for array in (np.zeros((0, 3), np.float32), np.zeros(0, np.float32), np.arange(12, dtype=np.float32).reshape(2, 3, 2),
                  np.arange(12, dtype=np.float32).reshape(3, 4).T, blocks):
        assert orjson.dumps(json_array(array), option=JSON_OPTIONS) == orjson.dumps(json_floats(array))


ODD = [[1e-45, -0.0, 0.0, 3.4028235e38], [1.5e-39, -1e-45, 1e-5, 9.99e12], [0.5, 0.5, -3.4e38, 1e13],
       [0.5, -0.0, 1e-45, 0.0], [-2.5e-7, 1e16, 0.1, 0.5]]
TIES = [[0.25, -1.0, 0.0], [0.25, -1.0, -0.0], [0.1, 0.25, 0.0], [0.25, 0.25, 0.3]]
# Within the bounds, but their averages (5e-06) are not: x goes to orjson, the output to json_floats.
SMALL_MEANS = [[2e-5, 1e-5], [0.0, 1e-5], [1e-5, 0.0]]


@pytest.mark.parametrize(
    "body",
    [
        CLASSIC,
        {"preset": "classic", "layer": "average", "pool_size": 3, "strides": 2, "padding": "same"},
        *(
            {"sentence": WORDS, "features": 64, "layer": layer, "pool_size": 3, "strides": strides, "padding": padding}
            for layer in ("max", "average")
            for strides in (1, 2, 3)
            for padding in ("valid", "same")
        ),
        {"sentence": "one two three four five six seven", "features": 5, "pool_size": 4, "strides": None},
        *(
            {"embeddings": rows, "layer": layer, "pool_size": pool, "strides": strides, "padding": padding}
            for rows in (ODD, TIES, SMALL_MEANS, [[3e-6, 0.5], [2.5e-7, 0.25], [0.1, 9e-6]])
            for layer in ("max", "average")
            for pool, strides, padding in ((2, 1, "valid"), (3, 2, "same"), (1, None, "valid"))
        ),
    ],
)
def test_trace_answer_bytes_are_those_of_json_floats_lists(app, client, body):
    from webapp.schemas import TraceRequest
    from webapp.service import build_trace

    response = post(client, body)
    assert response.status_code == 200, response.data[:300]
    with app.app_context():
        # What the answer was before arrays went to orjson: json_floats' lists.
        lists = app.json.response(build_trace(TraceRequest.model_validate(body))).get_data()
    assert response.data == lists
