"""Hostile and odd input (issue 4, item 3): each gives a clear error naming the field, or renders correctly."""
from __future__ import annotations

import io
import json
import math

import pytest

from webapp.schemas import LIMITS

MAX_BODY = LIMITS["max_body_bytes"]
JSON = "application/json"


def post_raw(client, data, content_type=JSON, **kwargs):
    return client.post("/api/trace", data=data, content_type=content_type, **kwargs)


def ok(response):
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def bad(response, field, status=400, *words):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.content_type == JSON
    payload = response.get_json()
    assert set(payload) == {"error", "field"}
    assert payload["field"] == field, payload
    for word in words:
        assert word in payload["error"], payload
    return payload


# Size limit ---------------------------------------------------------------------------


def padded_to(size: int, body: dict) -> bytes:
    """``body`` as JSON followed by spaces (valid JSON white space) up to ``size`` bytes."""
    data = json.dumps(body).encode()
    return data + b" " * (size - len(data))


def test_body_of_exactly_the_limit_is_served(client):
    body = ok(post_raw(client, padded_to(MAX_BODY, {"preset": "classic"})))
    assert body["global"]["output"] == [0.8, -0.1, 0.8]


def test_body_one_byte_over_the_limit_is_413_json(client):
    response = post_raw(client, padded_to(MAX_BODY + 1, {"preset": "classic"}))
    bad(response, "body", 413, "1 MB", f"{MAX_BODY:,} bytes")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_streamed_body_without_length_over_the_limit_is_413(client):
    # Chunked transfer: no Content-Length, so the limit is enforced while reading.
    response = post_raw(
        client,
        None,
        input_stream=io.BytesIO(padded_to(MAX_BODY + 100, {"preset": "classic"})),
        environ_overrides={"wsgi.input_terminated": True},
    )
    bad(response, "body", 413)


def test_body_under_the_byte_limit_but_over_the_row_limit_names_embeddings(client):
    rows = [[0.5] * 64] * 2000  # about 700 kB
    data = json.dumps({"embeddings": rows}).encode()
    assert len(data) < MAX_BODY
    bad(post_raw(client, data), "embeddings", 400, "1 to 256 rows")


def test_largest_allowed_matrix_is_served(client):
    rows = [[(i * 64 + j) % 97 / 97 - 0.5 for j in range(64)] for i in range(256)]
    body = ok(client.post("/api/trace", json={"embeddings": rows, "pool_size": 256, "padding": "same", "strides": 1}))
    assert body["pooling"]["output_shape"] == [1, 256, 64]
    assert len(body["pooling"]["frames"]) == 256


# Nesting ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "[" * 100_000,
        '{"a":' * 100_000,
        '{"embeddings": ' + "[" * 100_000,
        '{"sentence": ' + "[" * 50_000 + "]" * 50_000 + "}",
    ],
    ids=["arrays", "objects", "inside-embeddings", "closed-and-valid"],
)
def test_deeply_nested_json_is_400_not_a_crash(client, data):
    bad(post_raw(client, data), "body", 400, "nested too deeply")


def test_moderately_nested_embeddings_name_the_cell(client):
    data = '{"embeddings": ' + "[" * 50 + "1" + "]" * 50 + "}"
    bad(post_raw(client, data), "embeddings", 400, "embeddings[0][0]")


# Content types ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "text/html", "application/xml", "application/octet-stream",
     "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
def test_non_json_content_type_is_415(client, content_type):
    bad(post_raw(client, '{"preset": "classic"}', content_type=content_type), "body", 415, "application/json")


def test_json_with_charset_is_accepted(client):
    ok(post_raw(client, '{"preset": "classic"}', content_type="application/json; charset=utf-8"))


@pytest.mark.parametrize(
    "data",
    [b'{"sentence": "\xff"}', '{"sentence": "x"}'.encode("utf-16"), b'\xef\xbb\xbf{"sentence": "x"}'],
    ids=["invalid-utf8", "utf16", "bom"],
)
def test_body_must_be_plain_utf8(client, data):
    bad(post_raw(client, data), "body")


# Huge, tiny and signed numbers --------------------------------------------------------------


@pytest.mark.parametrize("value", [1e308, -1e308, 3.5e38, 1.7976931348623157e308])
def test_values_that_overflow_float32_are_rejected(client, value):
    bad(client.post("/api/trace", json={"embeddings": [[0.5], [value]]}), "embeddings", 400,
        "embeddings[1][0]", "float32", "3.4e+38")


def test_largest_float32_is_served(client):
    body = ok(client.post("/api/trace", json={"embeddings": [[3.4e38], [-3.4e38]]}))
    assert body["x"] == [[3.4e38], [-3.4e38]]
    assert body["global"]["output"] == [3.4e38]


def test_average_that_overflows_float32_is_a_clear_400(client):
    body = {"embeddings": [[3e38], [3e38]], "layer": "average"}
    bad(client.post("/api/trace", json=body), "embeddings", 400, "overflows float32")
    # The same values under max pooling are fine: nothing is summed.
    ok(client.post("/api/trace", json={**body, "layer": "max"}))


@pytest.mark.parametrize(
    "value, shown",
    [(5e-324, 0.0), (1e-45, 1e-45), (-0.0, -0.0), (0.1, 0.1), (1e-7, 1e-7)],
)
def test_tiny_and_signed_values_render_as_float32(client, value, shown):
    body = ok(client.post("/api/trace", json={"embeddings": [[value]], "pool_size": 1}))
    got = body["x"][0][0]
    assert got == shown and math.copysign(1, got) == math.copysign(1, shown)
    assert body["pooling"]["output"] == [[got]]


def test_input_is_echoed_exactly_as_sent(client):
    body = ok(client.post("/api/trace", json={"embeddings": [[5e-324], [-0.0]]}))
    assert body["request"]["embeddings"] == [[5e-324], [-0.0]]
    assert math.copysign(1, body["request"]["embeddings"][1][0]) == -1


# NaN and Infinity tokens ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, field, shown",
    [
        ('{"embeddings": [[NaN]]}', "embeddings", "NaN"),
        ('{"embeddings": [[1, Infinity]]}', "embeddings", "Infinity"),
        ('{"embeddings": [[-Infinity], [1]]}', "embeddings", "-Infinity"),
        ('{"embeddings": [[1e999]]}', "embeddings", "Infinity"),
        ('{"sentence": "a b", "pool_size": NaN}', "pool_size", "NaN"),
        ('{"sentence": "a b", "strides": Infinity}', "strides", "Infinity"),
        ('{"sentence": "a b", "seed": -Infinity}', "seed", "-Infinity"),
        ('{"sentence": NaN}', "sentence", "NaN"),
        ('{"sentence": "a", "nan": NaN}', "nan", "Unknown field"),
    ],
)
def test_nan_and_infinity_are_rejected_naming_the_field(client, data, field, shown):
    bad(post_raw(client, data), field, 400, shown)


@pytest.mark.parametrize("data", ["NaN", "Infinity", "-Infinity"])
def test_bare_non_finite_body(client, data):
    bad(post_raw(client, data), "body", 400, "JSON object")


# Integers and floats --------------------------------------------------------------------------------


def test_integer_embeddings_are_floats_to_the_layer(client):
    body = ok(client.post("/api/trace", json={"embeddings": [[1, -2], [3, 4.5]], "pool_size": 2}))
    assert body["pooling"]["output"] == [[3.0, 4.5]]
    assert all(isinstance(v, float) for row in body["x"] for v in row)


@pytest.mark.parametrize(
    "field, value, status",
    [
        ("pool_size", 2.0, 200),
        ("pool_size", 2.000000001, 400),
        ("pool_size", 1e308, 400),
        ("strides", 1.0, 200),
        ("features", 3.0, 200),
        ("seed", 7.0, 200),
        ("seed", 1e20, 400),
        ("seed", 2**31 - 1, 200),
        ("pool_size", "2", 400),
        ("pool_size", [2], 400),
        ("pool_size", {"value": 2}, 400),
    ],
)
def test_whole_number_fields(client, field, value, status):
    body = {"sentence": "the boy will live", field: value}
    response = client.post("/api/trace", json=body)
    if status == 200:
        assert ok(response)["request"][field] == int(value)
    else:
        bad(response, field, 400, "whole number")


def test_integer_with_thousands_of_digits_is_400(client):
    bad(post_raw(client, '{"sentence": "a", "seed": 1' + "0" * 5000 + "}"), "body", 400, "digits")


# Duplicate and unknown keys ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, key",
    [
        ('{"sentence": "a b", "sentence": "c d"}', "sentence"),
        ('{"preset": "classic", "pool_size": 2, "pool_size": 2}', "pool_size"),
        ('{"preset": "classic", "x": 1, "x": 2}', "x"),
    ],
)
def test_duplicate_keys_are_rejected_naming_the_key(client, data, key):
    bad(post_raw(client, data), key, 400, f'"{key}" appears more than once')


@pytest.mark.parametrize(
    "key", ["kernel_size", "data_format", "Sentence", "", "__proto__", "poolSize", "sentence "]
)
def test_unknown_fields_are_rejected_naming_them(client, key):
    bad(client.post("/api/trace", json={"preset": "classic", key: 1}), key, 400, f'Unknown field "{key}"')


def test_a_very_long_unknown_key_is_named_in_short(client):
    key = "k" * 5000
    payload = bad(client.post("/api/trace", json={"preset": "classic", key: 1}), "k" * 99 + "\u2026")
    assert len(payload["error"]) < 400


# Sentences ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    ["", " ", "   \t\n  ", "!!! ... ???", "\u2014 -- !", "\u200b\u200b", "\u200d", "\ufe0f"],
    ids=["empty", "space", "whitespace", "punctuation", "dashes", "zero-width-spaces", "lone-zwj", "lone-vs16"],
)
def test_sentence_without_words(client, sentence):
    bad(client.post("/api/trace", json={"sentence": sentence}), "sentence", 400, "at least one word")


def test_256_words_are_served_and_257_are_not(client):
    words = [f"w{i}" for i in range(257)]
    body = ok(client.post("/api/trace", json={"sentence": " ".join(words[:256])}))
    assert len(body["tokens"]) == 256 and body["pooling"]["output_shape"] == [1, 128, 4]
    bad(client.post("/api/trace", json={"sentence": " ".join(words)}), "sentence", 400, "257 words", "256")


def test_word_length_limit(client):
    ok(client.post("/api/trace", json={"sentence": "a" * 100 + " b"}))
    bad(client.post("/api/trace", json={"sentence": "a" * 101 + " b"}), "sentence", 400,
        "101 characters", "at most 100")


def test_sentence_length_limit(client):
    sentence = " ".join(["a" * 99] * 100)  # 9,999 characters
    ok(client.post("/api/trace", json={"sentence": sentence + "!"}))
    bad(client.post("/api/trace", json={"sentence": sentence + "!!"}), "sentence", 400,
        "10,001 characters", "10,000")


def test_a_word_of_combining_marks_is_too_long_not_a_crash(client):
    bad(client.post("/api/trace", json={"sentence": "e" + "\u0301" * 500}), "sentence", 400, "at most 100")


# Unicode -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, tokens",
    [
        ("I \u2764\ufe0f \U0001f40d", ["i", "\u2764\ufe0f", "\U0001f40d"]),
        ("\U0001f468\u200d\U0001f469\u200d\U0001f467 family", ["\U0001f468\u200d\U0001f469\u200d\U0001f467", "family"]),
        ("\U0001f44d\U0001f3fd ok", ["\U0001f44d\U0001f3fd", "ok"]),
        ("cafe\u0301 noir", ["caf\u00e9", "noir"]),
        ("\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
         ["\u0645\u0631\u062d\u0628\u0627", "\u0628\u0627\u0644\u0639\u0627\u0644\u0645"]),
        ("\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd", ["\u05e9\u05dc\u05d5\u05dd", "\u05e2\u05d5\u05dc\u05dd"]),
        ("\u202eevil\u202c text", ["evil", "text"]),
        ("zero\u200bwidth", ["zero", "width"]),
        ("nul\u0000byte", ["nul", "byte"]),
        ("Stra\u00dfe STRASSE", ["stra\u00dfe", "strasse"]),
    ],
    ids=["emoji", "zwj-family", "skin-tone", "combining", "arabic", "hebrew", "bidi-override", "zero-width", "nul", "eszett"],
)
def test_unicode_words_render(client, sentence, tokens):
    body = ok(client.post("/api/trace", json={"sentence": sentence, "pool_size": 1}))
    assert body["tokens"] == tokens
    assert body["request"]["sentence"] == sentence
    assert len(body["x"]) == len(tokens)


def test_unicode_labels_embeddings(client):
    body = ok(client.post("/api/trace", json={"sentence": "\U0001f40d \u05e9\u05dc\u05d5\u05dd", "embeddings": [[1], [2]]}))
    assert body["tokens"] == ["\U0001f40d", "\u05e9\u05dc\u05d5\u05dd"]


def test_escaped_surrogate_pair_is_one_emoji(client):
    body = ok(post_raw(client, '{"sentence": "snake \\ud83d\\udc0d", "pool_size": 1}'))
    assert body["tokens"] == ["snake", "\U0001f40d"]


@pytest.mark.parametrize("escape", ["\\ud800", "\\udc0d", "\\ud83d x"])
def test_lone_surrogate_is_a_clear_400(client, escape):
    bad(post_raw(client, '{"sentence": "a ' + escape + ' b"}'), "sentence", 400, "Unicode")


@pytest.mark.parametrize(
    "payload",
    ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>',
     "</script>", "javascript:alert(1)", "{{7*7}}"],
)
def test_markup_is_data_never_markup(client, payload):
    response = client.post("/api/trace", json={"sentence": payload, "pool_size": 1})
    body = ok(response)
    assert response.content_type == JSON
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert body["request"]["sentence"] == payload
    assert all("<" not in token and ">" not in token for token in body["tokens"])
    assert "49" not in body["tokens"]  # {{7*7}} was never evaluated


# Lone surrogates anywhere, on every POST route -----------------------------------------

POST_ROUTES = ["/api/trace", "/api/export/csv", "/api/export/html", "/api/gradient", "/api/batch", "/api/textcnn"]


@pytest.mark.parametrize("route", POST_ROUTES)
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ('{"sentence": "a b", "features": "\\ud800"}', "features"),
        ('{"sentence": "a b", "layer": "\\udc00"}', "layer"),
        ('{"sentence": "a b", "padding": "\\ud800same"}', "padding"),
        ('{"sentence": "a b", "embeddings": [["\\ud800"], [1]]}', "embeddings"),
        ('{"sentence": "a b", "pool_size": 1, "\\ud800": 1}', "\\ud800"),
        ('{"sentence": "a b", "pool_size": 1, "x\\udfffy": 1}', "x\\udfffy"),
        ('{"sentence": "a b", "\\ud800": 1, "\\ud800": 2}', "\\ud800"),
    ],
)
def test_lone_surrogates_are_a_json_400_naming_the_field_on_every_route(client, route, data, field):
    payload = bad(client.post(route, data=data, content_type=JSON), field)
    # The message can be sent as UTF-8: the surrogate is written as its escape.
    payload["error"].encode("utf-8")


@pytest.mark.parametrize("route", POST_ROUTES)
def test_an_unknown_key_with_a_lone_surrogate_is_called_unknown(client, route):
    data = '{"sentence": "a b", "pool_size": 1, "ab\\ud800": 1}'
    payload = bad(client.post(route, data=data, content_type=JSON), "ab\\ud800", 400, "Unknown field")
    assert "sentence" in payload["error"]


def test_a_lone_surrogate_on_the_model_route_is_named(client):
    bad(client.post("/api/model", data='{"steps": 2, "\\ud800": 1}', content_type=JSON), "\\ud800", 400, "Unknown field")
    bad(client.post("/api/model", data='{"steps": "\\ud800"}', content_type=JSON), "steps")
