"""Exports (issue 8, item 4), server side: CSV and JSON of the trace, and the endpoint.

``pooling.export`` is pure; ``POST /api/export/<format>`` takes a trace body
and answers a file.
"""
from __future__ import annotations

import csv
import io
import json

import pytest

from pooling import get_preset, trace_global, trace_pooling
from pooling.export import (
    CSV_COLUMNS,
    CSV_ENCODING,
    MAX_WORDS_CELL,
    neutralise_formula,
    trace_csv,
    trace_json,
    trace_rows,
)


def make_trace(tokens, x, layer="max", pool_size=2, strides=None, padding="valid"):
    return {
        "tokens": list(tokens),
        "pooling": trace_pooling(x, layer, pool_size, strides, padding).to_dict(),
        "global": trace_global(x, layer).to_dict(),
    }


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


CLASSIC = get_preset("classic")


# --- The rows: worked out by hand on the classic example ------------------------------


def test_rows_of_max_pooling_by_hand():
    rows = trace_rows(make_trace(CLASSIC.tokens, CLASSIC.x(), "max", 2, 1))
    assert len(rows) == 3 * 3 + 3
    assert [tuple(r.values()) for r in rows[:3]] == [
        # Window 1 covers words 1 to 2, as the page says; features are f0, f1, f2.
        ("MaxPooling1D", 1, 1, 2, "the boy", 0, 0, 0.8, 2, "boy", None),
        ("MaxPooling1D", 1, 1, 2, "the boy", 0, 1, -0.2, 1, "the", None),
        ("MaxPooling1D", 1, 1, 2, "the boy", 0, 2, 0.2, 2, "boy", None),
    ]
    assert rows[4]["words"] == "boy will" and rows[4]["winner_word"] == "will" and rows[4]["output"] == -0.1
    assert [(r["layer"], r["output"], r["winner_word"], r["last_word"]) for r in rows[-3:]] == [
        ("GlobalMaxPooling1D", 0.8, "boy", 4),
        ("GlobalMaxPooling1D", -0.1, "will", 4),
        ("GlobalMaxPooling1D", 0.8, "live", 4),
    ]


def test_rows_of_average_same_padding_by_hand():
    # steps 4, pool 3, strides 2, "same": 2 windows, padding 1 = 0 before + 1 after.
    rows = trace_rows(make_trace(CLASSIC.tokens, CLASSIC.x(), "average", 3, 2, "same"))
    first, last_window = rows[0], rows[3]
    assert (first["first_word"], first["last_word"], first["words"], first["padded"], first["divisor"]) == (1, 3, "the boy will", 0, 3)
    assert first["output"] == pytest.approx((0.7 + 0.8 + 0.2) / 3)
    # Words 3 to 5 of 4: the fifth is padding.
    assert (last_window["window"], last_window["first_word"], last_window["last_word"]) == (2, 3, 5)
    assert (last_window["words"], last_window["padded"]) == ("will live", 1)
    assert last_window["divisor"] == 2 and last_window["output"] == pytest.approx(0.3)
    assert last_window["winner_word_number"] is None and last_window["winner_word"] is None
    global_rows = [r for r in rows if r["layer"] == "GlobalAveragePooling1D"]
    assert [r["divisor"] for r in global_rows] == [4, 4, 4]
    assert global_rows[2]["output"] == pytest.approx((0.1 + 0.2 + 0.4 + 0.8) / 4)


def test_long_word_lists_are_shortened():
    tokens = [f"word{i:03d}" for i in range(60)]
    x = [[float(i)] for i in range(60)]
    rows = trace_rows(make_trace(tokens, x, "max", 60, 1, "same"))
    assert all(len(r["words"]) <= MAX_WORDS_CELL for r in rows)
    assert rows[-1]["words"].startswith("word000 word001 ") and rows[-1]["words"].endswith("more)")


@pytest.mark.parametrize(
    "trace, match",
    [
        ({}, "^trace must be a mapping"),
        ({"tokens": ["a"], "pooling": {}, "global": {}}, "^trace must be a mapping"),
        ("not a trace", "^trace must be a mapping"),
    ],
)
def test_bad_trace_raises(trace, match):
    with pytest.raises(ValueError, match=match):
        trace_rows(trace)


def test_tokens_must_match_the_rows():
    trace = make_trace(CLASSIC.tokens, CLASSIC.x())
    trace["tokens"] = ["too", "few"]
    with pytest.raises(ValueError, match="^trace tokens must be 4 words"):
        trace_csv(trace)


# --- CSV: parses, and neutralises formulas but not numbers ----------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(1)", "'@SUM(1)"),
        # A tab or CR both starts a formula and splits cells on import: both are guarded.
        ("\t=1", "'\t'=1"),
        ("\r=1", "'\r'=1"),
        ("boy", "boy"),
        ("a=1", "a=1"),
        ("'quoted", "'quoted"),
        ("", ""),
        # Every position a spreadsheet may start a formula, not only the first character.
        (" =1", "' =1"),
        ('"=1', "'\"=1"),
        ("the;=1+1", "the;'=1+1"),
        ("a,=1", "a,'=1"),
        ("a|-2", "a|'-2"),
        ("x\n@SUM(1)", "x\n'@SUM(1)"),
        ("x\t=1", "x\t'=1"),
        ("x; +1", "x;' +1"),
        ("well-known", "well-known"),
        ("a - b", "a - b"),
    ],
)
def test_neutralise_formula(text, expected):
    assert neutralise_formula(text) == expected


def test_neutralise_formula_takes_text_only():
    with pytest.raises(ValueError, match="^text must be a str"):
        neutralise_formula(-0.2)  # type: ignore[arg-type]


HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+cmd|'/c calc'!A0", "-2+3", "@SUM(1+1)", "\tx", "\r=1", "plain"]


def test_csv_neutralises_every_text_cell_and_no_number():
    x = [[-0.25, 0.5], [0.75, -1.5], [-0.5, 0.25], [0.0, 1.0], [1.0, -1.0], [0.5, 0.5], [-2.0, 3.0]]
    text = trace_csv(make_trace(HOSTILE, x, "max", 2, 1, "same"))
    rows = read_csv(text)
    assert list(rows[0]) == list(CSV_COLUMNS)
    formula_starts = ("=", "+", "-", "@", "\t", "\r")
    for row in rows:
        for column in ("layer", "words", "winner_word"):
            assert not row[column].startswith(formula_starts), (column, row[column])
        for column in ("window", "first_word", "last_word", "padded", "feature", "output", "winner_word_number", "divisor"):
            if row[column]:
                float(row[column])  # a plain number: negative numbers stay numbers
    # The first window is 0 words before + "=HYPERLINK(...)" and "+cmd...", under "same" (pool 2, stride 1).
    assert rows[0]["words"] == "'" + HOSTILE[0] + " " + HOSTILE[1]
    winners = {row["winner_word"] for row in rows}
    assert "'-2+3" in winners or "'@SUM(1+1)" in winners
    assert any(row["output"].startswith("-") for row in rows)  # -0.25 etc. are written as numbers
    # Cells with quotes, commas and line breaks still round-trip through the csv module,
    # with a quote after the line end that "=1" follows (a cell may start there on import).
    words = " ".join(HOSTILE).replace("\r=1", "\r'=1")
    assert {row["words"].lstrip("'") for row in rows if row["layer"] == "GlobalMaxPooling1D"} == {words}


def test_csv_outputs_equal_the_trace():
    trace = make_trace(CLASSIC.tokens, CLASSIC.x(), "max", 2, 1)
    rows = read_csv(trace_csv(trace))
    outputs = [[float(r["output"]) for r in rows[w * 3:(w + 1) * 3]] for w in range(3)]
    assert outputs == trace["pooling"]["output"]
    assert trace_csv(trace).endswith("\r\n") and "\r\n" in trace_csv(trace)[:120]


def test_json_is_the_trace():
    trace = make_trace(["caf\u00e9", "=x"], [[1.5], [-2.0]], "average", 2)
    text = trace_json(trace)
    assert json.loads(text) == trace
    assert "caf\u00e9" in text  # readable words, not \\u escapes
    with pytest.raises(ValueError):
        trace_json({"bad": float("nan")})
    with pytest.raises(ValueError, match="^trace must be a mapping"):
        trace_json([1, 2])  # type: ignore[arg-type]


# --- POST /api/export/<format> ------------------------------------------------------

BODIES = [
    {"preset": "classic", "strides": 1},
    {"sentence": "the cat sat on the mat", "layer": "average", "pool_size": 4, "strides": 1, "padding": "same"},
    {"embeddings": [[-0.5, 2.25], [1e-3, -7.0], [3.5, 0.1]], "pool_size": 2, "strides": 1},
]


@pytest.mark.parametrize("body", BODIES)
def test_csv_export_is_the_trace(client, body):
    expected = client.post("/api/trace", json=body).get_json()
    response = client.post("/api/export/csv", json=body)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith("\ufeff".encode("utf-8"))  # Excel reads UTF-8 with a BOM
    rows = read_csv(response.data.decode(CSV_ENCODING))
    pooling = expected["pooling"]
    assert len(rows) == pooling["out_steps"] * pooling["features"] + pooling["features"]
    for row in rows[: pooling["out_steps"] * pooling["features"]]:
        frame = pooling["frames"][int(row["window"]) - 1]
        feature = int(row["feature"])
        real = [r for r in range(frame["start"], frame["stop"]) if 0 <= r < pooling["steps"]]
        assert float(row["output"]) == pooling["output"][frame["index"]][feature]
        # Counted from 1 and both included, as the page counts words.
        assert (int(row["first_word"]) - 1, int(row["last_word"])) == (frame["start"], frame["stop"])
        assert int(row["padded"]) == frame["stop"] - frame["start"] - len(real)
        assert row["words"] == " ".join(expected["tokens"][i] for i in real)
        if "winner_offsets" in frame:
            winner = frame["start"] + frame["winner_offsets"][feature]
            assert int(row["winner_word_number"]) - 1 == winner
            assert row["winner_word"] == expected["tokens"][winner]
        else:
            assert int(row["divisor"]) == len(real)
    global_rows = rows[pooling["out_steps"] * pooling["features"]:]
    assert [float(r["output"]) for r in global_rows] == expected["global"]["output"]


@pytest.mark.parametrize("body", BODIES)
def test_json_export_equals_the_trace(client, body):
    response = client.post("/api/export/json", json=body)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert json.loads(response.data) == client.post("/api/trace", json=body).get_json()


@pytest.mark.parametrize(
    "fmt, content_type, name",
    [
        ("csv", "text/csv; charset=utf-8", "max_pooling1d_pool2_strides1_valid.csv"),
        ("json", "application/json", "max_pooling1d_pool2_strides1_valid.json"),
        ("keras", "text/x-python; charset=utf-8", "max_pooling1d_pool2_strides1_valid_keras.py"),
        ("pytorch", "text/x-python; charset=utf-8", "max_pooling1d_pool2_strides1_valid_pytorch.py"),
    ],
)
def test_export_headers(client, fmt, content_type, name):
    response = client.post(f"/api/export/{fmt}", json={"preset": "classic", "strides": 1})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_file_name_follows_the_settings(client):
    body = {"sentence": "a b c", "layer": "average", "pool_size": 3, "strides": None, "padding": "SAME"}
    response = client.post("/api/export/csv", json=body)
    assert response.headers["Content-Disposition"] == 'attachment; filename="average_pooling1d_pool3_stridesnone_same.csv"'


HOSTILE_SENTENCES = [
    'evil"; filename="run.exe',
    "line\r\nSet-Cookie: a=1",
    "caf\u00e9 \U0001f642 \u202e",
    "../../etc/passwd",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("fmt", ["csv", "json", "keras", "pytorch"])
@pytest.mark.parametrize("sentence", HOSTILE_SENTENCES)
def test_content_disposition_is_safe_for_hostile_words(client, fmt, sentence):
    response = client.post(f"/api/export/{fmt}", json={"sentence": sentence, "pool_size": 1})
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    ending = {"csv": ".csv", "json": ".json", "keras": "_keras.py", "pytorch": "_pytorch.py"}[fmt]
    assert disposition == f'attachment; filename="max_pooling1d_pool1_stridesnone_valid{ending}"'
    assert disposition.isascii()
    assert "Set-Cookie" not in response.headers


def test_export_errors_are_the_api_errors(client):
    response = client.post("/api/export/csv", json={"sentence": "one two", "pool_size": 3})
    assert response.status_code == 400
    assert response.get_json()["field"] == "pool_size"
    response = client.post("/api/export/keras", json={"sentence": "a", "unknown": 1})
    assert response.status_code == 400 and response.get_json()["field"] == "unknown"
    response = client.post("/api/export/csv", data="x", content_type="text/plain")
    assert response.status_code == 415 and set(response.get_json()) == {"error", "field"}


@pytest.mark.parametrize("path", ["/api/export/xlsx", "/api/export/CSV", "/api/export/csv/x", "/api/export/"])
def test_unknown_formats_are_404_json(client, path):
    response = client.post(path, json={"preset": "classic"})
    assert response.status_code == 404
    body = response.get_json()
    assert set(body) == {"error", "field"} and body["field"] == "path"
    if path != "/api/export/":
        assert "use one of csv, json, keras, pytorch" in body["error"]


def test_export_is_post_only(client):
    response = client.get("/api/export/csv")
    assert response.status_code == 405 and response.get_json()["field"] == "method"
