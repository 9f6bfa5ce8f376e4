"""Every error the API gives, in the request's language (Accept-Language), with the same status and field.

Each bad request below is sent in English, Spanish and Chinese. The English
answer is the catalog's English message for the ids and numbers the request
calls for (so the table is right, and English stays what the other tests
read); the Spanish and Chinese answers are the same message from their own
catalogs, filled with the same numbers, with no English word of the English
answer left in them (code, field names and the caller's values aside).
"""
from __future__ import annotations

import json
import re
import urllib.parse

import pytest

from pooling import PRESETS
from pooling.i18n import catalog, messages
from tests.e2e.server import server_process
from tests.test_bodies import connect, json_error, post_head, read_answer

LANGUAGES = ("en", "es", "zh")
OTHERS = ("es", "zh")
TRACE_FIELDS = "sentence, embeddings, preset, features, seed, layer, pool_size, strides, padding"
GRADIENT_FIELDS = TRACE_FIELDS + ", upstream_pooling, upstream_global"
MAX_BODY = 1024 * 1024
FLOAT32_MAX = "3.4e+38"  # numpy.finfo(float32).max written as "%.1e"


class Sub:
    """A placeholder that is itself a message of the catalog (a counted noun, a reason), in the answer's language."""

    def __init__(self, key: str, **params) -> None:
        self.key, self.params = key, params


def expected(lang: str, key: str, params: dict) -> str:
    lang_messages = messages(lang)
    filled = {name: (lang_messages.t(v.key, **v.params) if isinstance(v, Sub) else v) for name, v in params.items()}
    return lang_messages.t(key, **filled)


def json_reason(text: str) -> tuple[Sub, str, str]:
    """What Python's json says about ``text``: the catalog's reason, line and column (worked out here, not by the app)."""
    reasons = {
        "Expecting value": "errors.json.expecting_value",
        "Expecting ':' delimiter": "errors.json.expecting_colon",
        "Expecting property name enclosed in double quotes": "errors.json.expecting_name",
    }
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return Sub(reasons[exc.msg]), str(exc.lineno), str(exc.colno)
    raise AssertionError(f"{text!r} is valid JSON")


BAD_JSON = '{"sentence": }'
MISSING_COLON = '{"sentence" "a"}'
reason, line, column = json_reason(BAD_JSON)
reason2, line2, column2 = json_reason(MISSING_COLON)

# (name, method, path, request keywords, status, field, message id, placeholders)
CASES = [
    ("unknown field", "POST", "/api/trace", {"json": {"sentence": "a b", "colour": 1}}, 400, "colour",
     "errors.unknown_field.trace", {"field": "colour", "fields": TRACE_FIELDS}),
    ("unknown field, gradient", "POST", "/api/gradient", {"json": {"sentence": "a b", "colour": 1}}, 400, "colour",
     "errors.unknown_field.other", {"field": "colour", "fields": GRADIENT_FIELDS}),
    ("40 unknown fields", "POST", "/api/trace", {"json": {f"k{i}": i for i in range(40)}}, 400, "k0",
     "errors.unknown_field.too_many", {"field": "k0", "fields": 40}),
    ("a list body", "POST", "/api/trace", {"data": "[1]", "content_type": "application/json"}, 400, "body",
     "errors.body.not_object", {}),
    ("not JSON", "POST", "/api/trace", {"data": "x", "content_type": "text/plain"}, 415, "body",
     "errors.body.not_json", {}),
    ("not UTF-8", "POST", "/api/trace", {"data": b'{"sentence": "\xff"}', "content_type": "application/json"}, 400,
     "body", "errors.body.not_utf8", {}),
    ("nested 100 deep", "POST", "/api/trace", {"data": "[" * 100 + "]" * 100, "content_type": "application/json"},
     400, "body", "errors.body.too_deep", {}),
    ("71 keys", "POST", "/api/trace",
     {"json": {"sentence": "a", "x": {f"k{i}": i for i in range(70)}}}, 400, "body",
     "errors.body.too_many_keys", {"keys": 72, "objects": 2, "max": "14"}),
    ("5,001 lists", "POST", "/api/trace", {"json": {"embeddings": [[1]] * 5000}}, 400, "body",
     "errors.body.too_many_lists", {"lists": 5001}),
    ("a key twice", "POST", "/api/trace",
     {"data": '{"sentence": "a", "sentence": "b"}', "content_type": "application/json"}, 400, "sentence",
     "errors.body.duplicate_key", {"name": "sentence"}),
    ("bad JSON", "POST", "/api/trace", {"data": BAD_JSON, "content_type": "application/json"}, 400, "body",
     "errors.json.syntax", {"reason": reason, "line": line, "column": column}),
    ("no colon", "POST", "/api/trace", {"data": MISSING_COLON, "content_type": "application/json"}, 400, "body",
     "errors.json.syntax", {"reason": reason2, "line": line2, "column": column2}),
    ("5,000 digits", "POST", "/api/trace",
     {"data": '{"seed": ' + "1" * 5000 + "}", "content_type": "application/json"}, 400, "body",
     "errors.body.long_number", {}),
    ("features 0", "POST", "/api/trace", {"json": {"sentence": "a b", "features": 0}}, 400, "features",
     "errors.rule.features", {"max": "64", "got": "0"}),
    ("seed -1", "POST", "/api/trace", {"json": {"sentence": "a b", "seed": -1}}, 400, "seed",
     "errors.rule.seed", {"max": "2147483647", "got": "-1"}),
    ("layer min", "POST", "/api/trace", {"json": {"sentence": "a b", "layer": "min"}}, 400, "layer",
     "errors.rule.layer", {"got": '"min"'}),
    ("pool_size text", "POST", "/api/trace", {"json": {"sentence": "a b", "pool_size": "2"}}, 400, "pool_size",
     "errors.rule.pool_size", {"max": "256", "got": '"2"'}),
    ("strides 0", "POST", "/api/trace", {"json": {"sentence": "a b", "strides": 0}}, 400, "strides",
     "errors.rule.strides", {"max": "256", "got": "0"}),
    ("padding full", "POST", "/api/trace", {"json": {"sentence": "a b", "padding": "full"}}, 400, "padding",
     "errors.rule.padding", {"got": '"full"'}),
    ("preset nope", "POST", "/api/trace", {"json": {"preset": "nope"}}, 400, "preset",
     "errors.rule.preset", {"presets": ", ".join(PRESETS), "got": '"nope"'}),
    ("sentence 5", "POST", "/api/trace", {"json": {"sentence": 5}}, 400, "sentence",
     "errors.rule.sentence", {"max": 10000, "got": "5"}),
    ("embeddings text", "POST", "/api/trace", {"json": {"embeddings": "x"}}, 400, "embeddings",
     "errors.rule.embeddings", {"max_rows": "256", "max_features": "64", "got": '"x"'}),
    ("300 rows", "POST", "/api/trace", {"json": {"embeddings": [[1]] * 300}}, 400, "embeddings",
     "errors.rule.embeddings", {"max_rows": "256", "max_features": "64", "got": Sub("errors.value.list", items="300")}),
    ("embeddings object", "POST", "/api/trace", {"json": {"embeddings": {f"k{i}": i for i in range(9)}}}, 400,
     "embeddings", "errors.rule.embeddings",
     {"max_rows": "256", "max_features": "64", "got": Sub("errors.value.object", items="9")}),
    ("a row that is a number", "POST", "/api/trace", {"json": {"embeddings": [[1, 2], 3]}}, 400, "embeddings",
     "errors.embeddings.row", {"row": "1", "max": "64", "got": "3"}),
    ("a cell that is text", "POST", "/api/trace", {"json": {"embeddings": [[1, "a"]]}}, 400, "embeddings",
     "errors.embeddings.cell", {"row": "0", "column": "1", "got": '"a"'}),
    ("a lone surrogate", "POST", "/api/trace",
     {"data": '{"sentence": "\\ud800"}', "content_type": "application/json"}, 400, "sentence",
     "errors.value.surrogate", {"field": "sentence"}),
    ("a long sentence", "POST", "/api/trace", {"json": {"sentence": "ab " * 4000}}, 400, "sentence",
     "errors.sentence.too_long", {"chars": 12000, "max": 10000}),
    ("no source", "POST", "/api/trace", {"json": {}}, 400, "sentence", "errors.sentence.missing", {}),
    ("no words", "POST", "/api/trace", {"json": {"sentence": "?!"}}, 400, "sentence",
     "errors.sentence.no_words", {"got": '"?!"'}),
    ("300 words", "POST", "/api/trace", {"json": {"sentence": "a " * 300}}, 400, "sentence",
     "errors.sentence.too_many_words", {"words": "300", "max": "256"}),
    ("a long word", "POST", "/api/trace", {"json": {"sentence": "a" * 150}}, 400, "sentence",
     "errors.sentence.long_word", {"word": '"' + "a" * 38 + "\u2026", "chars": 150, "max": "100"}),
    ("words and rows differ", "POST", "/api/trace", {"json": {"sentence": "a b c", "embeddings": [[1], [2]]}}, 400,
     "sentence", "errors.sentence.rows_differ",
     {"words": Sub("errors.count.words", count=3), "rows": Sub("errors.count.rows", count=2)}),
    ("one word, two rows", "POST", "/api/trace", {"json": {"sentence": "a", "embeddings": [[1], [2]]}}, 400,
     "sentence", "errors.sentence.rows_differ",
     {"words": Sub("errors.count.words", count=1), "rows": Sub("errors.count.rows", count=2)}),
    ("ragged rows", "POST", "/api/trace", {"json": {"embeddings": [[1, 2], [3]]}}, 400, "embeddings",
     "errors.embeddings.ragged",
     {"first": Sub("errors.count.numbers", count=2), "row": "1", "other": Sub("errors.count.numbers", count=1)}),
    ("too large for float32", "POST", "/api/trace", {"json": {"embeddings": [[1e39]]}}, 400, "embeddings",
     "errors.embeddings.float32", {"row": "0", "column": "0", "value": "1e+39", "max": FLOAT32_MAX}),
    ("an average that overflows", "POST", "/api/trace",
     {"json": {"embeddings": [[3e38], [3e38]], "layer": "average"}}, 400, "embeddings",
     "errors.embeddings.sum_overflow", {"max": FLOAT32_MAX}),
    ("preset and sentence", "POST", "/api/trace", {"json": {"preset": "classic", "sentence": "a"}}, 400, "preset",
     "errors.preset.combined", {"other": "sentence"}),
    ("two words, pool_size 3", "POST", "/api/trace", {"json": {"sentence": "a b", "pool_size": 3}}, 400,
     "pool_size", "errors.too_short", {"count": 2, "pool_size": 3}),
    ("one word, pool_size 2", "POST", "/api/trace", {"json": {"sentence": "a"}}, 400,
     "pool_size", "errors.too_short", {"count": 1, "pool_size": 2}),
    ("text CNN on two words", "POST", "/api/textcnn", {"json": {"sentence": "a b"}}, 400, "padding",
     "errors.textcnn.too_short", {"width": "3", "steps": "2"}),
    ("a model of one step", "POST", "/api/model", {"json": {"steps": 1}}, 400, "steps",
     "errors.model.steps", {"steps": "1"}),
    ("steps 0", "POST", "/api/model", {"json": {"steps": 0}}, 400, "steps",
     "errors.rule.steps", {"max": "256", "got": "0"}),
    ("filters 9", "POST", "/api/textcnn", {"json": {"sentence": "a b c d", "filters": 9}}, 400, "filters",
     "errors.rule.filters", {"max": "8", "got": "9"}),
    ("filter_seed -1", "POST", "/api/textcnn", {"json": {"sentence": "a b c d", "filter_seed": -1}}, 400,
     "filter_seed", "errors.rule.filter_seed", {"max": "2147483647", "got": "-1"}),
    ("upstream_pooling text", "POST", "/api/gradient", {"json": {"sentence": "a b", "upstream_pooling": "x"}}, 400,
     "upstream_pooling", "errors.rule.upstream_pooling", {"max": "256", "got": '"x"'}),
    ("upstream_global text", "POST", "/api/gradient", {"json": {"sentence": "a b", "upstream_global": "x"}}, 400,
     "upstream_global", "errors.rule.upstream_global", {"got": '"x"'}),
    ("upstream of the wrong shape", "POST", "/api/gradient",
     {"json": {"sentence": "a b", "upstream_pooling": [[1]]}}, 400, "upstream_pooling",
     "errors.upstream.shape", {"field": "upstream_pooling", "expected": "[1, 4]", "got": "[1, 1]"}),
    ("upstream over float32", "POST", "/api/gradient",
     {"json": {"sentence": "a b", "upstream_global": [1e39, 1, 1, 1]}}, 400, "upstream_global",
     "errors.overflow.field", {"field": "upstream_global", "max": FLOAT32_MAX}),
    ("gradient of an average that overflows", "POST", "/api/gradient",
     {"json": {"embeddings": [[3e38], [3e38]], "layer": "average"}}, 400, "embeddings",
     "errors.overflow.average", {"max": FLOAT32_MAX}),
    ("overlapping upstream", "POST", "/api/gradient",
     {"json": {"embeddings": [[1], [3], [2]], "pool_size": 2, "strides": 1, "upstream_pooling": [[3e38], [3e38]]}},
     400, "upstream_pooling", "errors.overflow.upstream_sum", {"max": FLOAT32_MAX}),
    ("questions on an average that overflows", "POST", "/api/questions",
     {"json": {"embeddings": [[3e38], [3e38]]}}, 400, "embeddings", "errors.overflow.average", {"max": FLOAT32_MAX}),
    ("17 lines", "POST", "/api/batch", {"json": {"sentence": "\n".join(["w"] * 17)}}, 400, "sentence",
     "errors.batch.too_many_lines", {"lines": "17", "max": "16"}),
    ("a line of no words", "POST", "/api/batch", {"json": {"sentence": "a b\n!!!"}}, 400, "sentence",
     "errors.batch.line_no_words", {"line": "2", "got": '"!!!"'}),
    ("batch rows differ", "POST", "/api/batch", {"json": {"sentence": "a b\nc", "embeddings": [[1], [2]]}}, 400,
     "sentence", "errors.batch.rows_differ", {"words": "3", "lines": "2", "rows": "2"}),
    ("nothing here", "GET", "/api/nope", {}, 404, "path", "errors.http.not_found", {"path": "/api/nope"}),
    ("GET a POST route", "GET", "/api/trace", {}, 405, "method", "errors.http.method",
     {"verb": "GET", "url": "/api/trace", "ok": "POST"}),
    ("no such export", "POST", "/api/export/pdf", {"json": {"preset": "classic"}}, 404, "path",
     "errors.export.unknown_format", {"name": '"pdf"', "formats": "csv, json, keras, pytorch, html"}),
    ("a body over 1 MiB", "POST", "/api/trace",
     {"data": b" " * (MAX_BODY + 1), "content_type": "application/json"}, 413, "body",
     "errors.body.too_large", {"max": MAX_BODY}),
    ("a Content-Length that is no number", "POST", "/api/trace",
     {"data": b"{}", "content_type": "application/json", "environ_overrides": {"CONTENT_LENGTH": "abc"}}, 400,
     "body", "errors.body.bad_length", {}),
    ("a body shorter than its length", "POST", "/api/trace",
     {"data": b"{}", "content_type": "application/json", "environ_overrides": {"CONTENT_LENGTH": "100"}}, 400,
     "body", "errors.body.cut_short", {}),
    ("a link that is not http", "GET", "/api/qr?link=ftp%3A%2F%2Fx", {}, 400, "link", "errors.qr.link", {}),
    ("a link too long for a QR code", "GET",
     "/api/qr?" + urllib.parse.urlencode({"link": "http://example.org/?" + "a" * 3000}), {}, 400, "link",
     "errors.qr.too_long", {"chars": len("http://example.org/?") + 3000, "max": 2000}),
]


def ask(client, lang, method, path, kwargs):
    headers = {"Accept-Language": lang}
    return client.open(path, method=method, headers=headers, **kwargs)


def english_words(text: str) -> set[str]:
    """The English words of an English answer: not code (no digit, underscore or dot), four letters or more."""
    return {word.lower() for word in re.findall(r"(?<![\w.\\/-])[A-Za-z]{4,}(?![\w.(-])", text)}


# Words that are code or data in every language: the caller's values, header and format names, the example sentence.
CODE_WORDS = {"null", "json", "unicode", "utf", "content", "type", "length", "application", "will", "live", "keras",
              "post", "http", "https", "trace", "presets", "openapi", "export", "emoji", "filters", "steps", "link",
              "average", "valid", "same", *GRADIENT_FIELDS.split(", ")}
# Spanish words spelt as the English ones ("secuencia de escape", "1.048.576 bytes").
SPANISH_TOO = {"es": {"escape", "bytes"}, "zh": set()}


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_an_error_is_in_the_requests_language_with_the_same_status_and_field(client, case):
    name, method, path, kwargs, status, field, key, params = case
    english = ask(client, "en", method, path, kwargs)
    assert english.status_code == status, english.get_data(as_text=True)[:300]
    assert english.get_json() == {"error": expected("en", key, params), "field": field}
    words = english_words(expected("en", key, params)) - CODE_WORDS - {str(v).lower() for v in params.values()}
    words -= {field.lower()} | {w.lower() for v in params.values() if isinstance(v, str) for w in re.findall(r"\w+", v)}
    assert words, f"{name}: the English message has words to translate"
    for lang in OTHERS:
        answer = ask(client, lang, method, path, kwargs)
        assert answer.status_code == status
        assert answer.content_type == "application/json"
        assert answer.headers["Content-Language"] == lang
        assert "Accept-Language" in answer.headers["Vary"]
        body = answer.get_json()
        assert body == {"error": expected(lang, key, params), "field": field}
        left = {w for w in words - SPANISH_TOO[lang] if re.search(rf"\b{w}\b", body["error"], re.IGNORECASE)}
        assert left == set(), f"{name} in {lang}: English words {sorted(left)} in {body['error']!r}"


def test_the_table_reaches_every_error_message_the_test_client_can():
    """Every errors.* id is asked for above, or below with the reason it needs another test."""
    reached = {case[6] for case in CASES}
    reached |= {sub.key for case in CASES for sub in case[7].values() if isinstance(sub, Sub)}
    elsewhere = {
        # test_busy_and_budget_errors_are_translated
        "errors.budget.csv", "errors.busy.heavy",
        # test_the_qr_note_is_translated
        "errors.qr.note_lan", "errors.qr.note_loopback",
        # test_the_frame_notice_is_translated
        "errors.frame.title", "errors.frame.heading", "errors.frame.why_html", "errors.frame.open",
        # test_a_stalled_body_is_a_408_and_a_flood_a_503_in_the_requests_language (a real server)
        "errors.body.timeout", "errors.busy.bodies",
        # test_werkzeugs_other_errors_are_translated
        "errors.http.other",
        # Python's json says these for other mistakes (the last two from Python 3.13 on); test_json_reasons
        "errors.json.expecting_comma", "errors.json.unterminated_string", "errors.json.expecting_name",
        "errors.json.control_character",
        "errors.json.bad_escape", "errors.json.bad_unicode_escape", "errors.json.extra_data",
        "errors.json.trailing_comma_object", "errors.json.trailing_comma_array",
    }
    # No request reaches these through the app as it stands (kept for what might):
    # a field without a rule, Werkzeug's 400, a 500, a convolution past float32
    # (toy filters' weights are small: the average overflows first).
    unreachable = {"errors.rule.other", "errors.http.bad_request", "errors.http.server", "errors.overflow.convolution"}
    ids = {key for key in catalog("en") if key.startswith("errors.")}
    assert sorted(ids - reached - elsewhere - unreachable) == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('{"a": 1 "b": 2}', "errors.json.expecting_comma"),
        ('{"a": "b', "errors.json.unterminated_string"),
        ('{"a": "\x01"}', "errors.json.control_character"),
        ('{"a": "\\q"}', "errors.json.bad_escape"),
        ('{"a": "\\u12"}', "errors.json.bad_unicode_escape"),
        ("{} 1", "errors.json.extra_data"),
        ('{"a": 1, }', "errors.json.expecting_name"),
    ],
)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_json_reasons(client, text, key, lang):
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        where = {"line": str(exc.lineno), "column": str(exc.colno)}
    answer = ask(client, lang, "POST", "/api/trace", {"data": text.encode(), "content_type": "application/json"})
    assert answer.status_code == 400
    assert answer.get_json() == {"error": expected(lang, "errors.json.syntax", {"reason": Sub(key), **where}),
                                 "field": "body"}


@pytest.mark.parametrize("lang", OTHERS)
def test_busy_and_budget_errors_are_translated(app, client, lang):
    # The budget test's request (tests/test_limits.py): 257 windows of 64 features.
    rows = [[((i * 7 + j * 13) % 97) / 97 - 0.5 for j in range(64)] for i in range(256)]
    body = {"embeddings": rows, "pool_size": 256, "strides": 1, "padding": "same"}
    english = ask(client, "en", "POST", "/api/export/csv", {"json": body}).get_json()
    size = re.search(r"about (\d+\.\d) MB", english["error"]).group(1)
    decimal = {"es": ",", "zh": "."}[lang]
    answer = ask(client, lang, "POST", "/api/export/csv", {"json": body})
    assert answer.status_code == 400
    assert answer.get_json() == {
        "error": messages(lang).t("errors.budget.csv", size=size.replace(".", decimal), windows="257",
                                  features="64", limit="1" + decimal + "5"),
        "field": "pool_size",
    }
    slots = app.extensions["heavy_slots"]
    held = 0
    while slots.acquire(blocking=False):
        held += 1
    try:
        answer = ask(client, lang, "POST", "/api/gradient", {"json": {"preset": "classic"}})
    finally:
        for _ in range(held):
            slots.release()
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "1"
    assert answer.get_json() == {"error": messages(lang).t("errors.busy.heavy"), "field": "path"}


def qr_client(**settings):
    from app import create_app
    from webapp.config import TestConfig

    return create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}, **settings}).test_client()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_qr_note_is_translated(lang):
    link = urllib.parse.urlencode({"link": "http://localhost:8000/?mode=predict"})
    alone = qr_client(HOST="127.0.0.1", PUBLIC_URL="").get(f"/api/qr?{link}", headers={"Accept-Language": lang})
    assert alone.get_json()["note"] == messages(lang).t("errors.qr.note_loopback", host="localhost")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_frame_notice_is_translated(client, lang):
    # A page, not the API: the link's lang would choose too; here the browser's language does.
    response = client.get("/", headers={"Sec-Fetch-Dest": "iframe", "Accept-Language": lang})
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    for key in ("errors.frame.title", "errors.frame.heading", "errors.frame.open"):
        assert messages(lang).t(key).replace('"', "&#34;") in html
    assert messages(lang).t("errors.frame.why_html") in html
    assert client.get("/?lang=zh", headers={"Sec-Fetch-Dest": "iframe"}).get_data(as_text=True).count(
        messages("zh").t("errors.frame.heading")) == 1


def test_werkzeugs_other_errors_are_translated(app):
    # No route of the app raises another of Werkzeug's errors today; one added here does (a 429).
    from flask import abort

    @app.get("/api/too-many")
    def _too_many():
        abort(429)

    client = app.test_client()
    for lang in LANGUAGES:
        answer = client.get("/api/too-many", headers={"Accept-Language": lang})
        assert answer.status_code == 429
        assert answer.get_json() == {"error": messages(lang).t("errors.http.other", status="429"), "field": "body"}


def test_the_api_reads_only_accept_language(client):
    """Not the link's lang nor the lang cookie: the page sends its language as Accept-Language."""
    client.set_cookie("lang", "zh")
    answer = client.post("/api/trace?lang=zh", json={}, headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert answer.get_json()["error"] == messages("es").t("errors.sentence.missing")
    answer = client.post("/api/trace?lang=zh", json={})
    assert answer.get_json()["error"] == messages("en").t("errors.sentence.missing")
    assert answer.headers["Content-Language"] == "en"


def test_the_pseudo_locale_reaches_the_api_when_the_page_asks_for_it(client):
    answer = client.post("/api/trace", json={}, headers={"Accept-Language": "en-XA"})
    assert answer.get_json()["error"] == messages("en-XA").t("errors.sentence.missing")


@pytest.mark.parametrize("lang", OTHERS)
def test_odd_keys_are_still_escaped_in_every_language(client, lang):
    data = '{"sentence": "a b", "\\ud800": 1}'
    answer = ask(client, lang, "POST", "/api/trace", {"data": data, "content_type": "application/json"})
    assert answer.status_code == 400
    body = answer.get_json()
    assert body["field"] == "\\ud800"
    assert body["error"] == messages(lang).t("errors.unknown_field.trace", field="\\ud800", fields=TRACE_FIELDS)


@pytest.fixture(scope="module")
def tight_url():
    patch = pytest.MonkeyPatch()
    patch.setenv("BODY_MEMORY", str(96 * 1024))
    patch.setenv("BODY_GRACE_SECONDS", "1")
    patch.setenv("BODY_MIN_RATE", "1024")
    try:
        with server_process(workers=1) as (base, _):
            yield base
    finally:
        patch.undo()


def with_language(head: bytes, lang: str) -> bytes:
    return head.replace(b"\r\n\r\n", f"\r\nAccept-Language: {lang}\r\n\r\n".encode(), 1)


@pytest.mark.parametrize("lang", OTHERS)
def test_a_stalled_body_is_a_408_and_a_flood_a_503_in_the_requests_language(tight_url, lang):
    # A body of 1,000 bytes must arrive within 1 s + 1,000 / 1,024 s; this one stops early.
    with connect(tight_url) as sock:
        sock.sendall(with_language(post_head(1000), lang) + b'{"preset": "cla')
        payload = json_error(*read_answer(sock), 408, "body")
    assert payload["error"] == messages(lang).t("errors.body.timeout", idle="5", grace="1", rate="1")
    # Two bodies of 200 KiB arriving at once would take the worker past its 96 KiB: one is refused.
    import selectors

    first, second = connect(tight_url), connect(tight_url)
    try:
        for sock in (first, second):
            sock.sendall(with_language(post_head(200 * 1024), lang) + b"[" * (70 * 1024))
        selector = selectors.DefaultSelector()
        for sock in (first, second):
            selector.register(sock, selectors.EVENT_READ)
        events = selector.select(timeout=120)
        assert len(events) == 1
        payload = json_error(*read_answer(events[0][0].fileobj), 503, "body")
        assert payload["error"] == messages(lang).t("errors.busy.bodies")
    finally:
        first.close()
        second.close()
