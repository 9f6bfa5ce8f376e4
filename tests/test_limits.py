"""Bounded work per request: budgets checked before the work, heavy routes a few at a time,
exports compressed like every answer, and rejected bodies refused before they are parsed."""
from __future__ import annotations

import gzip
import http.client
import json
import subprocess
import sys
import threading
import zlib
from urllib.parse import urlsplit

import pytest
import zstandard

from app import create_app
from tests.e2e.server import REPO, server_process
from webapp.config import TestConfig
from webapp.errors import ApiError
from webapp.jsonbody import MAX_LISTS, structure
from webapp.limits import HEAVY_ENDPOINTS, HeavyThreads

JSON = "application/json"
ROWS = [[((i * 7 + j * 13) % 97) / 97 - 0.5 for j in range(64)] for i in range(256)]


def bad(response, field, status=400):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.content_type == JSON
    payload = response.get_json()
    assert set(payload) == {"error", "field"} and payload["field"] == field, payload
    return payload


# Budgets ---------------------------------------------------------------------------------


def test_a_csv_over_its_budget_is_refused_naming_the_field(client):
    body = {"embeddings": ROWS, "pool_size": 256, "strides": 1, "padding": "same"}
    payload = bad(client.post("/api/export/csv", json=body), "pool_size")
    assert "1.5 MB" in payload["error"] and "257 windows" in payload["error"]


@pytest.mark.parametrize(("pool_size", "strides"), [(2, 1), (8, 1), (256, 256), (32, 4)])
def test_csvs_within_the_budget_are_served(client, pool_size, strides):
    body = {"embeddings": ROWS, "pool_size": pool_size, "strides": strides, "padding": "same"}
    response = client.post("/api/export/csv", json=body)
    assert response.status_code == 200
    assert len(response.data) <= 1_500_000


@pytest.mark.parametrize("fmt", ["json", "html", "keras", "pytorch"])
def test_other_exports_of_the_largest_request_are_served(client, fmt):
    body = {"embeddings": ROWS, "pool_size": 256, "strides": 1, "padding": "same"}
    assert client.post(f"/api/export/{fmt}", json=body).status_code == 200


def test_the_largest_trace_is_served(client):
    body = {"embeddings": ROWS, "pool_size": 256, "strides": 1, "padding": "same"}
    assert client.post("/api/trace", json=body).status_code == 200


# Exports compressed ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json", "keras", "pytorch"])
@pytest.mark.parametrize("encoding", ["gzip", "zstd"])
def test_exports_are_compressed_like_every_answer(client, fmt, encoding):
    body = {"embeddings": ROWS[:64], "pool_size": 2, "strides": 1}
    plain = client.post(f"/api/export/{fmt}", json=body)
    packed = client.post(f"/api/export/{fmt}", json=body, headers={"Accept-Encoding": encoding})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    data = gzip.decompress(packed.data) if encoding == "gzip" else zstandard.ZstdDecompressor().decompress(packed.data)
    assert data == plain.data
    assert len(packed.data) < len(plain.data) / 3
    assert packed.headers["Content-Disposition"] == plain.headers["Content-Disposition"]


@pytest.mark.parametrize("body", [{"preset": "classic"}, {"sentence": "caf\u00e9 </script> <b> & 'q'", "pool_size": 1}])
def test_the_html_export_is_one_gzip_file_equal_to_the_plain_one(client, body):
    plain = client.post("/api/export/html", json=body)
    packed = client.post("/api/export/html", json=body, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    # One gzip member, read by any gzip reader (a browser's too), with the right length and checksum.
    reader = zlib.decompressobj(16 + zlib.MAX_WBITS)
    assert reader.decompress(packed.data) == plain.data
    assert reader.eof and reader.unused_data == b""
    assert len(packed.data) < len(plain.data) / 2


# Heavy routes a few at a time -------------------------------------------------------------


def config(**settings):
    return type("Config", (TestConfig,), settings)


@pytest.mark.parametrize("threads", [True, False], ids=["on-heavy-threads", "in-the-request"])
def test_heavy_routes_past_the_limit_are_a_json_503_with_retry_after(threads):
    app = create_app(config(HEAVY_THREADS=threads))
    client = app.test_client()
    slots = app.extensions["heavy_slots"]
    held = 0
    while slots.acquire(blocking=False):  # as if that many exports were running in this worker
        held += 1
    assert held == app.config["HEAVY_CONCURRENCY"]
    try:
        for route in ("/api/export/csv", "/api/export/html", "/api/gradient"):
            response = client.post(route, json={"preset": "classic"})
            bad(response, "path", 503)
            assert response.headers["Retry-After"] == "1"
        # The cheap routes a class uses while typing are not limited.
        assert client.post("/api/trace", json={"preset": "classic"}).status_code == 200
        assert client.post("/api/batch", json={"preset": "classic"}).status_code == 200
        assert client.get("/api/presets").status_code == 200
    finally:
        for _ in range(held):
            slots.release()
    assert client.post("/api/export/csv", json={"preset": "classic"}).status_code == 200


@pytest.mark.parametrize("threads", [True, False], ids=["on-heavy-threads", "in-the-request"])
def test_a_finished_heavy_request_gives_its_slot_back_even_when_it_fails(threads):
    app = create_app(config(HEAVY_THREADS=threads))
    client = app.test_client()
    for _ in range(app.config["HEAVY_CONCURRENCY"] + 3):
        bad(client.post("/api/export/csv", json={"preset": "nope"}), "preset")
        bad(client.post("/api/gradient", json={"sentence": "a", "pool_size": 5}), "pool_size")
    assert client.post("/api/gradient", json={"preset": "classic"}).status_code == 200


def test_the_heavy_endpoints_exist(app):
    assert HEAVY_ENDPOINTS <= set(app.view_functions)


# Heavy work off the event loop ------------------------------------------------------------

HEAVY_REQUESTS = [
    *((f"/api/export/{fmt}", {"embeddings": ROWS, "pool_size": 256, "strides": 1, "padding": "same"})
      for fmt in ("json", "html", "keras", "pytorch")),
    ("/api/export/csv", {"embeddings": ROWS, "pool_size": 8, "strides": 1, "padding": "same"}),
    ("/api/export/html?mode=predict", {"preset": "classic"}),
    ("/api/gradient", {"embeddings": ROWS, "pool_size": 256, "strides": 1, "padding": "same"}),
    ("/api/gradient", {"sentence": "the cat sat", "layer": "average", "upstream_global": [2] * 8}),
    # Errors raised on the heavy thread: the same JSON 400s.
    ("/api/export/csv", {"embeddings": ROWS, "pool_size": 256, "strides": 1, "padding": "same"}),
    ("/api/export/json", {"preset": "nope"}),
    ("/api/gradient", {"sentence": "a", "pool_size": 5}),
]
ENCODINGS = [None, "gzip", "zstd", "gzip, deflate, br, zstd"]


def answers(post, route, body):
    """(status, headers that matter, body bytes) for each Accept-Encoding a client may send."""
    seen = []
    for encoding in ENCODINGS:
        status, headers, data = post(route, json.dumps(body).encode(), encoding)
        seen.append((status, {name: headers.get(name) for name in ("Content-Type", "Content-Encoding",
                                                               "Content-Disposition", "Vary")}, data))
    return seen


def flask_post(client):
    def post(route, data, encoding):
        headers = {"Accept-Encoding": encoding} if encoding else {}
        response = client.post(route, data=data, content_type=JSON, headers=headers)
        return response.status_code, response.headers, response.data

    return post


@pytest.mark.parametrize(("route", "body"), HEAVY_REQUESTS)
def test_heavy_routes_answer_the_same_bytes_on_their_threads(route, body):
    inline = answers(flask_post(create_app(config(HEAVY_THREADS=False)).test_client()), route, body)
    app = create_app(config(HEAVY_THREADS=True))
    assert answers(flask_post(app.test_client()), route, body) == inline
    assert inline[0][0] in (200, 400)


def test_heavy_threads_run_the_work_on_another_thread_and_raise_its_errors_here():
    def fail():
        raise ApiError("body", "errors.body.not_json")

    on = HeavyThreads(1, enabled=True)
    assert on.run(threading.get_ident) != threading.get_ident()
    assert on.run(pow, 2, 10) == 1024
    with pytest.raises(ApiError, match="Send the body as JSON"):
        on.run(fail)
    assert on.run(len, "after an error") == 14  # the pool outlives a failed task
    assert HeavyThreads(1, enabled=False).run(threading.get_ident) == threading.get_ident()


@pytest.mark.parametrize("patched", [True, False])
def test_heavy_threads_are_on_by_default_only_where_gevent_serves(patched):
    # A fresh interpreter: gunicorn's gevent worker patches threading before the app is loaded.
    patch = "from gevent import monkey; monkey.patch_all(); " if patched else ""
    program = f"{patch}from webapp.limits import HeavyThreads; print(HeavyThreads(1).active)"
    result = subprocess.run([sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == str(patched)


def test_the_dockerfiles_server_answers_heavy_routes_with_the_same_bytes():
    # gunicorn's gevent worker, so the heavy threads are on (HEAVY_THREADS unset).
    expected = {(route, json.dumps(body)): answers(flask_post(create_app(TestConfig).test_client()), route, body)
                for route, body in HEAVY_REQUESTS}
    with server_process(workers=1) as (url, _):
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)

        def post(route, data, encoding):
            headers = {"Content-Type": JSON, **({"Accept-Encoding": encoding} if encoding else {})}
            connection.request("POST", route, data, headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read()

        try:
            for route, body in HEAVY_REQUESTS:
                assert answers(post, route, body) == expected[(route, json.dumps(body))], route
        finally:
            connection.close()


# Rejected bodies cost little ---------------------------------------------------------------


def test_structure_is_counted_outside_strings():
    assert structure(b'{"a": "[[{::", "b": [[1, 2], [3]]}') == {"depth": 3, "lists": 3, "objects": 1, "keys": 2}
    assert structure(b'{"a": "\\"[[", "b": []}') == {"depth": 2, "lists": 1, "objects": 1, "keys": 2}


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (json.dumps({f"k{i}": 0 for i in range(88_000)}, separators=(",", ":")).encode(), "88,000 keys"),
        (b'{"embeddings": [' + b",".join([b"[" * 60 + b"]" * 60] * 7000) + b"]}", "420,001 lists"),
        (b'{"embeddings": [' + b",".join([b"[" * 900 + b"]" * 900] * 500) + b"]}", "nested too deeply"),
        (b'{"embeddings": [' + b",".join([b"{}"] * 100_000) + b"]}", "100,001 objects"),
    ],
    ids=["88k-keys", "420k-lists", "deep-rows", "100k-objects"],
)
@pytest.mark.parametrize("route", ["/api/trace", "/api/export/json", "/api/gradient", "/api/model"])
def test_bodies_no_request_could_be_are_refused_before_parsing(client, route, data, words):
    assert len(data) < 1024 * 1024
    payload = bad(client.post(route, data=data, content_type=JSON), "body")
    assert words in payload["error"]


def test_room_is_left_for_every_mistake_the_validator_explains(client):
    # 2,000 rows is refused by the validator, naming embeddings, not by the structure check.
    assert 2000 < MAX_LISTS
    bad(client.post("/api/trace", json={"embeddings": [[0.5] * 64] * 2000}), "embeddings")
