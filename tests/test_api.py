"""The API contract: what the page, the tools and other clients rely on."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from openapi_spec_validator import validate as validate_openapi

from app import create_app
from pooling import PRESETS, tokenize, toy_embeddings
from pooling.i18n import LANGUAGES, PSEUDO
from webapp.config import TestConfig
from webapp.schemas import LIMITS
from webapp.security import CONTENT_SECURITY_POLICY
from webapp.vendor import full_plotly_js_path, plotly_js_path

ROOT = Path(__file__).resolve().parents[1]
CLASSIC_X = [[0.7, -0.2, 0.1], [0.8, -0.3, 0.2], [0.2, -0.1, 0.4], [0.4, -0.4, 0.8]]
CLASSIC_POOLED = [[0.8, -0.2, 0.2], [0.8, -0.1, 0.4], [0.4, -0.1, 0.8]]
PLOTLY_VERSION = "4.1.1"
# The vendored cartesian bundle, named by version and the first 12 hex digits of its SHA-256.
PLOTLY_URL = f"/vendor/plotly-{PLOTLY_VERSION}-{hashlib.sha256(plotly_js_path().read_bytes()).hexdigest()[:12]}.min.js"
REQUEST_FIELDS = ("sentence", "embeddings", "preset", "features", "seed", "layer", "pool_size", "strides", "padding")


def trace(client, **body):
    response = client.post("/api/trace", json=body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def error(client, body, status=400):
    response = client.post("/api/trace", json=body)
    assert response.status_code == status
    assert response.content_type == "application/json"
    payload = response.get_json()
    assert set(payload) == {"error", "field"}
    return payload


# The classic example ------------------------------------------------------

CLASSIC_SOURCES = {
    "preset": {"preset": "classic"},
    "embeddings+sentence": {"embeddings": CLASSIC_X, "sentence": "The boy will LIVE!"},
}


@pytest.mark.parametrize("source", CLASSIC_SOURCES.values(), ids=CLASSIC_SOURCES.keys())
def test_classic_example(client, source):
    body = trace(client, **source, pool_size=2, strides=1)
    assert body["tokens"] == ["the", "boy", "will", "live"]
    assert body["x"] == CLASSIC_X
    pooling = body["pooling"]
    assert pooling["name"] == "MaxPooling1D"
    assert pooling["call"] == 'MaxPooling1D(pool_size=2, strides=1, padding="valid")'
    assert pooling["config"] == {
        "pool_size": 2, "strides": 1, "padding": "valid", "data_format": "channels_last"
    }
    assert pooling["output"] == CLASSIC_POOLED
    assert pooling["input_shape"] == [1, 4, 3]
    assert pooling["output_shape"] == [1, 3, 3]
    assert pooling["frames"] == [
        {"index": 0, "start": 0, "stop": 2, "winner_offsets": [1, 0, 1]},  # rows 1, 0, 1
        {"index": 1, "start": 1, "stop": 3, "winner_offsets": [0, 1, 1]},  # rows 1, 2, 2
        {"index": 2, "start": 2, "stop": 4, "winner_offsets": [1, 0, 1]},  # rows 3, 2, 3
    ]
    assert body["format"] == 2
    assert pooling["formula"].endswith("= 3")
    glob = body["global"]
    assert glob["name"] == "GlobalMaxPooling1D"
    assert glob["output"] == [0.8, -0.1, 0.8]
    assert glob["winners"] == [1, 2, 3]
    assert glob["is_single_row"] is False and glob["single_row"] is None
    assert glob["output_shape"] == [1, 3]


def test_numbers_read_like_the_learner_typed_them(client):
    text = client.post("/api/trace", json={"preset": "classic"}).get_data(as_text=True)
    assert "0.8," in text and "0.800000" not in text


# The three sources -----------------------------------------------------------


def test_sentence_gets_toy_embeddings(client):
    body = trace(client, sentence="The cat sat on the mat.", features=5, seed=3)
    tokens = tokenize("The cat sat on the mat.")
    assert body["tokens"] == tokens
    expected = toy_embeddings(tokens, features=5, seed=3).astype(np.float32)
    assert np.array_equal(np.array(body["x"], dtype=np.float32), expected)
    assert body["pooling"]["input_shape"] == [1, 6, 5]
    # The same word gets the same vector.
    assert body["x"][0] == body["x"][4]


def test_sentence_defaults_are_four_features_seed_zero(client):
    body = trace(client, sentence="one two three")
    assert np.array_equal(
        np.array(body["x"], dtype=np.float32),
        toy_embeddings(["one", "two", "three"], 4, 0).astype(np.float32),
    )
    assert body["request"]["features"] == 4 and body["request"]["seed"] == 0


def test_seed_picks_another_vocabulary(client):
    assert trace(client, sentence="a b c", seed=0)["x"] != trace(client, sentence="a b c", seed=1)["x"]


def test_embeddings_without_sentence_are_labelled_w0_w1(client):
    body = trace(client, embeddings=[[1, 2], [3, 4], [5, 0]])
    assert body["tokens"] == ["w0", "w1", "w2"]
    assert body["x"] == [[1.0, 2.0], [3.0, 4.0], [5.0, 0.0]]
    assert body["pooling"]["output"] == [[3.0, 4.0]]
    assert body["global"]["output"] == [5.0, 4.0]


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_traces_with_its_own_words(client, name):
    preset = PRESETS[name]
    body = trace(client, preset=name, features=9, seed=7)  # ignored for a preset
    assert body["tokens"] == list(preset.tokens)
    assert body["x"] == [list(row) for row in preset.embeddings]


def test_single_preset_says_one_word_holds_every_maximum(client):
    glob = trace(client, preset="single")["global"]
    assert glob["is_single_row"] is True and glob["single_row"] == 2


def test_presets_endpoint(client):
    response = client.get("/api/presets")
    assert response.status_code == 200
    assert response.get_json() == [p.to_dict() for p in PRESETS.values()]


def test_presets_carry_their_size_and_layer_settings(client):
    for preset in client.get("/api/presets").get_json():
        assert preset["steps"] == len(preset["embeddings"]) == len(preset["tokens"])
        assert preset["features"] == len(preset["embeddings"][0])
        assert set(preset["settings"]) == {"layer", "pool_size", "strides", "padding"}
        # The settings are request fields: sent with the preset, they are echoed unchanged.
        body = trace(client, preset=preset["name"], **preset["settings"])
        assert {k: body["request"][k] for k in preset["settings"]} == preset["settings"]
        assert body["pooling"]["input_shape"] == [1, preset["steps"], preset["features"]]


def test_classic_settings_are_the_pages_default_view(page_client):
    boot = boot_of(page_client.get("/").get_data(as_text=True))
    classic = next(p for p in boot["presets"] if p["name"] == "classic")
    assert boot["defaults"]["preset"] == "classic"
    assert {k: boot["defaults"][k] for k in classic["settings"]} == classic["settings"]


def test_negatives_preset_opens_on_the_padding_it_teaches(client):
    settings = PRESETS["negatives"].settings
    assert settings["padding"] == "same"
    pooling = trace(client, preset="negatives", **settings)["pooling"]
    steps = pooling["steps"]
    padded = [f for f in pooling["frames"] if f["start"] < 0 or f["stop"] > steps]
    assert padded, "the preset's own settings must show a padded window"
    # What it teaches: padding never wins, so every output stays negative.
    assert all(v < 0 for row in pooling["output"] for v in row)
    for frame in padded:
        assert all(0 <= frame["start"] + w < steps for w in frame["winner_offsets"])


def test_ties_preset_opens_on_a_window_with_equal_words(client):
    body = trace(client, preset="ties", **PRESETS["ties"].settings)
    x, pooling = body["x"], body["pooling"]
    ties = [
        (frame, rows, f, value)
        for frame, output in zip(pooling["frames"], pooling["output"])
        for rows in [range(max(frame["start"], 0), min(frame["stop"], len(x)))]
        for f, value in enumerate(output)
        if sum(x[r][f] == value for r in rows) > 1
    ]
    assert ties, "some window must hold two equal maxima"
    for frame, rows, f, value in ties:
        first = min(r for r in rows if x[r][f] == value)
        assert frame["start"] + frame["winner_offsets"][f] == first


def test_single_preset_settings_show_its_vector_in_a_window(client):
    body = trace(client, preset="single", **PRESETS["single"].settings)
    single = body["global"]["single_row"]
    assert body["global"]["is_single_row"]
    assert body["x"][single] in body["pooling"]["output"]


# Layers, padding, strides ------------------------------------------------------


def test_average_layer(client):
    body = trace(client, preset="classic", layer="average", pool_size=2, strides=1)
    pooling = body["pooling"]
    assert pooling["name"] == "AveragePooling1D"
    assert pooling["output"] == [[0.75, -0.25, 0.15], [0.5, -0.2, 0.3], [0.3, -0.25, 0.6]]
    assert pooling["frames"] == [{"index": i, "start": i, "stop": i + 2} for i in range(3)]
    glob = body["global"]
    assert glob["name"] == "GlobalAveragePooling1D"
    # Summed in float32, as Keras does: (.7 + .8 + .2 + .4) / 4 is 0.52500004 there.
    assert glob["output"] == [0.52500004, -0.25, 0.375]
    assert "winners" not in glob


def test_same_padding_pads_the_right_and_never_lets_padding_win(client):
    # 5 steps, windows of 2 every 2: ceil(5 / 2) = 3 windows, one padded cell on the right.
    pooling = trace(client, preset="negatives", pool_size=2, strides=2, padding="same")["pooling"]
    assert pooling["output_shape"] == [1, 3, 3]
    assert (pooling["pad_left"], pooling["pad_right"]) == (0, 1)
    assert pooling["frames"][-1] == {"index": 2, "start": 4, "stop": 6, "winner_offsets": [0, 0, 0]}  # word 5 and a pad
    assert pooling["output"][-1] == [-0.5, -0.6, -0.7]  # the word's own values, not a padded 0
    assert pooling["formula"] == "ceil(steps / strides) = ceil(5 / 2) = 3"


def test_same_padding_average_divides_by_real_cells(client):
    pooling = trace(
        client, preset="negatives", layer="average", pool_size=2, strides=2, padding="same"
    )["pooling"]
    assert [(f["start"], f["stop"]) for f in pooling["frames"]] == [(0, 2), (2, 4), (4, 6)]  # 6 is padding
    assert pooling["output"][-1] == [-0.5, -0.6, -0.7]  # divided by 1, its one real cell


@pytest.mark.parametrize("padding", ["SAME", "Same", "same"])
def test_padding_is_case_insensitive_and_echoed_in_lower_case(client, padding):
    body = trace(client, preset="classic", padding=padding)
    assert body["pooling"]["config"]["padding"] == "same"
    assert body["request"]["padding"] == "same"


def test_strides_null_means_pool_size(client):
    body = trace(client, preset="classic", pool_size=2, strides=None)
    assert body["pooling"]["config"]["strides"] == 2
    assert body["pooling"]["call"] == 'MaxPooling1D(pool_size=2, strides=None, padding="valid")'
    assert body["pooling"]["output"] == [[0.8, -0.2, 0.2], [0.4, -0.1, 0.8]]
    assert body["request"]["strides"] is None


def test_defaults_are_keras_defaults(client):
    body = trace(client, sentence="the boy will live")
    assert body["request"] == {
        "sentence": "the boy will live",
        "embeddings": None,
        "preset": None,
        "features": 4,
        "seed": 0,
        "layer": "max",
        "pool_size": 2,
        "strides": None,
        "padding": "valid",
    }
    assert body["pooling"]["config"]["strides"] == 2


@pytest.mark.parametrize(
    "body",
    [
        {"preset": "ties", "pool_size": 3, "strides": 1, "padding": "same", "layer": "average"},
        {"sentence": "Don't stop me now", "features": 7, "seed": 11, "pool_size": 3},
        {"embeddings": [[1, -2], [0.5, 3]], "sentence": "x y", "pool_size": 1},
        {"embeddings": [[1.5]], "padding": "SAME", "pool_size": 4},
    ],
)
def test_request_echo_is_complete_and_reproduces_the_trace(client, body):
    first = trace(client, **body)
    assert set(first["request"]) == set(REQUEST_FIELDS)
    again = trace(client, **first["request"])
    assert again == first


@pytest.mark.parametrize("value, expected", [(2.0, 2), (3, 3)])
def test_integral_floats_count_as_whole_numbers(client, value, expected):
    body = trace(client, preset="classic", pool_size=value, strides=1.0)
    assert body["request"]["pool_size"] == expected
    assert body["pooling"]["call"] == f'MaxPooling1D(pool_size={expected}, strides=1, padding="valid")'


# Errors: status, field and a sentence ----------------------------------------------

ERRORS = [
    # (request body, field, words the message must contain)
    ({}, "sentence", ["sentence"]),
    ({"sentence": None}, "sentence", ["sentence"]),
    ({"preset": "classic", "sentence": "a b"}, "preset", ["preset", "sentence"]),
    ({"preset": "classic", "embeddings": [[1]]}, "preset", ["preset", "embeddings"]),
    ({"preset": "nope"}, "preset", ["classic", "negatives", "single", "ties"]),
    ({"preset": 1}, "preset", ["preset"]),
    # In the learner's words, plural and singular (issue 15).
    ({"sentence": "a b", "pool_size": 3}, "pool_size", ["pool_size 3 is larger than the sentence: 2 words need pool_size ≤ 2, or padding 'same'."]),
    ({"sentence": "a", "pool_size": 2}, "pool_size", ["1 word needs pool_size 1, or padding 'same'."]),
    ({"sentence": "a b", "pool_size": 0}, "pool_size", ["1 to 256", "got 0"]),
    ({"sentence": "a b", "pool_size": 257}, "pool_size", ["1 to 256", "257"]),
    ({"sentence": "a b", "pool_size": 2.5}, "pool_size", ["whole number", "2.5"]),
    ({"sentence": "a b", "pool_size": True}, "pool_size", ["whole number", "true"]),
    ({"sentence": "a b", "pool_size": "2"}, "pool_size", ["whole number", '"2"']),
    ({"sentence": "a b", "pool_size": None}, "pool_size", ["pool_size"]),
    ({"sentence": "a b", "strides": 0}, "strides", ["null", "1 to 256"]),
    ({"sentence": "a b", "strides": 257}, "strides", ["1 to 256"]),
    ({"sentence": "a b", "strides": False}, "strides", ["strides"]),
    ({"sentence": "a b", "strides": 1.5}, "strides", ["strides"]),
    ({"sentence": "a b", "padding": "causal"}, "padding", ['"valid" or "same"', "causal"]),
    ({"sentence": "a b", "padding": 1}, "padding", ["padding"]),
    ({"sentence": "a b", "layer": "min"}, "layer", ['"max" or "average"']),
    ({"sentence": "a b", "layer": "MAX"}, "layer", ["layer"]),
    ({"sentence": "a b", "features": 0}, "features", ["1 to 64"]),
    ({"sentence": "a b", "features": 65}, "features", ["1 to 64"]),
    ({"sentence": "a b", "features": 4.5}, "features", ["whole number"]),
    ({"sentence": "a b", "seed": -1}, "seed", ["0 to 2147483647"]),
    ({"sentence": "a b", "seed": 2**31}, "seed", ["0 to 2147483647"]),
    ({"sentence": "a b", "seed": True}, "seed", ["seed"]),
    ({"sentence": ""}, "sentence", ["at least one word"]),
    ({"sentence": 42}, "sentence", ["sentence", "42"]),
    ({"sentence": ["a", "b"]}, "sentence", ["sentence"]),
    ({"embeddings": []}, "embeddings", ["1 to 256 rows"]),
    ({"embeddings": [[]]}, "embeddings", ["row 0", "1 to 64 numbers"]),
    ({"embeddings": [[1, 2], [3]]}, "embeddings", ["same length", "row 1 has 1"]),
    ({"embeddings": [1, 2]}, "embeddings", ["row 0"]),
    ({"embeddings": [[1, "2"]]}, "embeddings", ["embeddings[0][1]", "finite number"]),
    ({"embeddings": [[1, None]]}, "embeddings", ["embeddings[0][1]"]),
    ({"embeddings": [[True]]}, "embeddings", ["embeddings[0][0]", "true"]),
    ({"embeddings": [[[1]]]}, "embeddings", ["embeddings[0][0]"]),
    ({"embeddings": [[1.0] * 65]}, "embeddings", ["1 to 64 numbers"]),
    ({"embeddings": [[1.0]] * 257}, "embeddings", ["1 to 256 rows"]),
    ({"embeddings": "[[1]]"}, "embeddings", ["embeddings"]),
    ({"embeddings": [[1e39]]}, "embeddings", ["float32", "3.4e+38"]),
    ({"embeddings": [[1], [2]], "sentence": "one"}, "sentence", ["has 1 word but", "has 2 rows."]),
    ({"embeddings": [[1]], "sentence": "one two"}, "sentence", ["has 2 words but", "has 1 row."]),
    ({"embeddings": [[1], [2, 3]]}, "embeddings", ["row 0 has 1 number but row 1 has 2 numbers."]),
    ({"embeddings": [[1], [2]], "pool_size": 3}, "pool_size", ["pool_size 3", "2 words"]),
    ({"sentence": "a", "pool": 2}, "pool", ['Unknown field "pool"', "pool_size"]),
    ({"Sentence": "a"}, "Sentence", ["Unknown field"]),
]


@pytest.mark.parametrize("body, field, words", ERRORS, ids=[json.dumps(e[0])[:60] for e in ERRORS])
def test_errors_name_the_field_and_say_what_is_wrong(client, body, field, words):
    payload = error(client, body)
    assert payload["field"] == field
    for word in words:
        assert word in payload["error"]


# Numbers and the noun they count: "1 word", never "1 words".
ONE_PLURAL = re.compile(r"(?<![\d.,])1 (words|rows|numbers|steps|features|items|characters|cells|positions)\b")


@pytest.mark.parametrize("body, field, words", ERRORS, ids=[json.dumps(e[0])[:60] for e in ERRORS])
def test_errors_are_sentences_with_the_right_plurals(client, body, field, words):
    message = error(client, body)["error"]
    assert message.endswith("."), message
    assert not ONE_PLURAL.search(message), message


def test_unknown_field_is_reported_before_other_mistakes(client):
    assert error(client, {"pool_size": 0, "colour": "red"})["field"] == "colour"


@pytest.mark.parametrize(
    "data, content_type, status, field",
    [
        ("{", "application/json", 400, "body"),
        ('{"sentence": "a"} x', "application/json", 400, "body"),
        ("", "application/json", 400, "body"),
        ("[1, 2]", "application/json", 400, "body"),
        ('"the boy"', "application/json", 400, "body"),
        ("null", "application/json", 400, "body"),
        ('{"sentence": "a"}', "text/plain", 415, "body"),
        ("sentence=a", "application/x-www-form-urlencoded", 415, "body"),
        ('{"sentence": "a"}', None, 415, "body"),
    ],
)
def test_body_errors(client, data, content_type, status, field):
    response = client.post("/api/trace", data=data, content_type=content_type)
    assert response.status_code == status
    assert response.get_json()["field"] == field


@pytest.mark.parametrize(
    "method, path, status, field",
    [
        ("get", "/api/nothing", 404, "path"),
        ("post", "/api/nothing", 404, "path"),
        ("get", "/nothing/at/all", 404, "path"),
        ("get", "/vendor/plotly-0.0.1.min.js", 404, "path"),
        ("get", "/api/trace", 405, "method"),
        ("put", "/api/trace", 405, "method"),
        ("delete", "/api/presets", 405, "method"),
        ("post", "/healthz", 405, "method"),
    ],
)
def test_http_errors_are_json_too(client, method, path, status, field):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response.content_type == "application/json"
    assert response.get_json()["field"] == field
    assert "<" not in response.get_data(as_text=True)
    assert response.get_json()["error"].endswith(".")


def test_405_names_the_allowed_method(client):
    response = client.get("/api/trace")
    assert "POST" in response.headers["Allow"]
    assert "use POST" in response.get_json()["error"]


def test_an_unexpected_crash_is_still_json_and_says_nothing_inside():
    app = create_app({"TESTING": False})

    def boom():
        raise RuntimeError("secret detail")

    app.add_url_rule("/api/boom", "boom", boom)
    response = app.test_client().get("/api/boom")
    assert response.status_code == 500
    assert response.get_json()["field"] == "body"
    assert "secret" not in response.get_data(as_text=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_oversized_body_is_413_json(client):
    response = client.post("/api/trace", data=b" " * (LIMITS["max_body_bytes"] + 1), content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["field"] == "body"
    assert "1,048,576" in response.get_json()["error"]


# OpenAPI -----------------------------------------------------------------------


def test_openapi_is_a_valid_3_1_document(openapi):
    assert openapi["openapi"].startswith("3.1")
    validate_openapi(openapi)
    assert set(openapi["paths"]) == {
        "/api/trace", "/api/export/{format}", "/api/presets", "/api/openapi.json", "/healthz",
        "/api/gradient", "/api/batch", "/api/model", "/api/textcnn", "/api/questions",
    }


def test_openapi_request_schema_is_the_model(openapi):
    request = openapi["components"]["schemas"]["TraceRequest"]
    assert request["additionalProperties"] is False
    assert set(request["properties"]) == set(REQUEST_FIELDS)
    assert request["properties"]["pool_size"]["maximum"] == LIMITS["max_pool_size"]
    responses = openapi["paths"]["/api/trace"]["post"]["responses"]
    assert {"200", "400", "413", "415"} <= set(responses)


@pytest.mark.parametrize(
    "body",
    [
        {"preset": "classic", "strides": 1},
        {"preset": "ties", "layer": "average", "padding": "same", "pool_size": 3},
        {"sentence": "hello world again", "features": 2},
    ],
)
def test_responses_match_the_published_schema(client, assert_matches, body):
    assert_matches("TraceResponse", trace(client, **body))


def test_errors_and_presets_match_the_published_schema(client, assert_matches):
    assert_matches("ErrorBody", error(client, {}))
    presets = client.get("/api/presets").get_json()
    for preset in presets:
        assert_matches("PresetBody", preset)


def test_published_schema_is_strict_enough_to_catch_drift(client, assert_matches):
    body = trace(client, preset="classic")
    body["pooling"]["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        assert_matches("TraceResponse", body)


# Headers, Plotly, health ---------------------------------------------------------


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("post", "/api/trace", {"preset": "classic"}),
        ("post", "/api/trace", {}),
        ("get", "/api/presets", None),
        ("get", "/api/openapi.json", None),
        ("get", "/healthz", None),
        ("get", PLOTLY_URL, None),
        ("get", "/api/missing", None),
        ("put", "/api/trace", None),
    ],
)
def test_security_headers_on_every_response(client, method, path, body):
    response = getattr(client, method)(path, json=body)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    csp = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert csp["script-src"] == "'self'"
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_plotly_version_in_url_is_the_files_version():
    header = plotly_js_path().read_bytes()[:200].decode()
    assert f"plotly.js (cartesian - minified) v{PLOTLY_VERSION}\n" in header


def test_vendored_bundle_is_the_plotly_packages_version():
    # After a change of the plotly pin, run tools/refresh_plotly.py.
    full = full_plotly_js_path().read_bytes()[:200].decode()
    assert f"plotly.js v{PLOTLY_VERSION}\n" in full
    record = json.loads((ROOT / "static" / "vendor" / "plotly.json").read_text())
    assert record["version"] == PLOTLY_VERSION
    assert record["sha256"] == hashlib.sha256(plotly_js_path().read_bytes()).hexdigest()
    assert (ROOT / "static" / "vendor" / "LICENSE.plotly.js.txt").read_text().startswith("MIT License")


@pytest.mark.parametrize(
    "feature",
    # What the page calls or draws, and what the PNG/SVG export will need.
    [b"heatmap", b"texttemplate", b"annotations", b"shapes", b"relayout", b"react", b"toImage", b"downloadImage"],
)
def test_vendored_bundle_has_what_the_page_uses(feature):
    assert feature in plotly_js_path().read_bytes()


def test_plotly_gzip(client):
    response = client.get(PLOTLY_URL, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert gzip.decompress(response.data) == plotly_js_path().read_bytes()
    assert len(response.data) < plotly_js_path().stat().st_size / 2


@pytest.mark.parametrize("accept", [None, "identity", "gzip;q=0, identity", "br"])
def test_plotly_identity_when_gzip_is_not_accepted(client, accept):
    headers = {"Accept-Encoding": accept} if accept else {}
    response = client.get(PLOTLY_URL, headers=headers)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert response.data == plotly_js_path().read_bytes()
    assert "Accept-Encoding" in response.headers["Vary"]


def test_plotly_revalidation_gives_304(client):
    etag = client.get(PLOTLY_URL, headers={"Accept-Encoding": "gzip"}).headers["ETag"]
    response = client.get(PLOTLY_URL, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert response.status_code == 304 and response.data == b""


# The page ---------------------------------------------------------------------------

BOOT_TEMPLATE = (
    '<script src="{{ plotly_src }}"></script>'
    '<script type="application/json" id="boot">{{ boot|tojson }}</script>'
)


@pytest.fixture
def page_client(tmp_path):
    (tmp_path / "index.html").write_text(BOOT_TEMPLATE)
    return create_app({**vars_of(TestConfig), "TEMPLATE_FOLDER": str(tmp_path)}).test_client()


def vars_of(config):
    return {k: getattr(config, k) for k in dir(config) if k.isupper()}


def boot_of(html: str) -> dict:
    start = html.index('id="boot">') + len('id="boot">')
    return json.loads(html[start : html.index("</script>", start)])


def test_page_gets_plotly_src_and_boot(page_client):
    response = page_client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'src="{PLOTLY_URL}"' in html
    boot = boot_of(html)
    assert set(boot) == {"presets", "defaults", "limits", "api", "languages"}
    assert boot["languages"] == [*LANGUAGES, PSEUDO]
    assert boot["presets"] == [p.to_dict() for p in PRESETS.values()]
    assert boot["api"] == {
        "trace": "/api/trace", "presets": "/api/presets", "export": "/api/export/", "quiz": "/api/quiz", "qr": "/api/qr",
    }
    assert boot["limits"] == LIMITS
    assert boot["limits"]["max_tokens"] == 256 and boot["limits"]["max_features"] == 64
    assert boot["defaults"] == {
        "sentence": None,
        "embeddings": None,
        "preset": "classic",
        "features": 4,
        "seed": 0,
        "layer": "max",
        "pool_size": 2,
        "strides": 1,
        "padding": "valid",
    }


def test_page_defaults_post_as_is_to_the_classic_example(page_client):
    defaults = boot_of(page_client.get("/").get_data(as_text=True))["defaults"]
    body = trace(page_client, **defaults)
    assert body["pooling"]["output"] == CLASSIC_POOLED
    assert " ".join(body["tokens"]) == PRESETS["classic"].sentence == "the boy will live"


def test_page_boot_cannot_break_out_of_its_script(page_client, monkeypatch):
    from webapp import views

    monkeypatch.setitem(views.DEFAULT_REQUEST, "sentence", "</script><script>alert(1)</script>")
    html = page_client.get("/").get_data(as_text=True)
    assert html.count("<script") == 2
    assert boot_of(html)["defaults"]["sentence"] == "</script><script>alert(1)</script>"


@pytest.mark.skipif(not (ROOT / "templates" / "index.html").exists(), reason="page template not written yet")
def test_real_page_embeds_boot_as_json(client):
    html = client.get("/").get_data(as_text=True)
    assert 'id="boot"' in html and 'type="application/json"' in html
    assert boot_of(html)["defaults"]["preset"] == "classic"
    assert PLOTLY_URL in html


# Configuration and the process --------------------------------------------------------


def config_in_subprocess(env: dict) -> list:
    code = "import json; from webapp.config import Config; print(json.dumps([Config.DEBUG, Config.PORT, Config.HOST]))"
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "FLASK_DEBUG", "PORT", "HOST"}}
    out = subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, [False, 8000, "127.0.0.1"]),
        ({"DEBUG": "0"}, [False, 8000, "127.0.0.1"]),
        ({"DEBUG": "1", "PORT": "5001"}, [True, 5001, "127.0.0.1"]),
        ({"FLASK_DEBUG": "true", "HOST": "0.0.0.0"}, [True, 8000, "0.0.0.0"]),
    ],
)
def test_config_reads_the_environment_and_debug_is_off_by_default(env, expected):
    assert config_in_subprocess(env) == expected


def test_config_mapping_overrides_defaults():
    app = create_app({"MAX_CONTENT_LENGTH": 10})
    assert app.config["MAX_CONTENT_LENGTH"] == 10 and app.debug is False and not app.testing
    response = app.test_client().post("/api/trace", json={"sentence": "the boy will live"})
    assert response.status_code == 413


def test_request_path_never_imports_plotly_py_or_a_deep_learning_framework():
    code = (
        "import sys; from app import create_app; c = create_app().test_client();"
        "r = c.post('/api/trace', json={'sentence': 'the boy will live'}); assert r.status_code == 200;"
        "c.get('/api/presets'); c.get('/api/openapi.json');"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'plotly', 'keras', 'jax', 'torch', 'tensorflow'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_python_app_py_serves_on_localhost():
    port = free_port()
    env = {**os.environ, "PORT": str(port)}
    env.pop("DEBUG", None)
    env.pop("FLASK_DEBUG", None)
    process = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        # Only a cap on waiting, as for the e2e server (tests/e2e/server.py): on a busy
        # 2-core machine importing NumPy and Flask alone can take over 30 s.
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                    assert json.load(response) == {"status": "ok"}
                    break
            except OSError:
                assert process.poll() is None, "python app.py exited"
                assert time.monotonic() < deadline, "python app.py did not answer in 180 s"
                time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=10)
