"""The teaching endpoints: /api/gradient, /api/batch, /api/model, /api/textcnn.

Answers are checked against the engine's numbers worked out by hand (and, for
the engine, against real Keras in test_gradients.py and
test_teaching_engine.py), against the published OpenAPI schema, and every
error against the one error shape.
"""
from __future__ import annotations

import pytest

from pooling import PRESETS


def post(client, path, body, status=200):
    response = client.post(path, json=body)
    assert response.status_code == status, response.get_json()
    return response.get_json()


CLASSIC = {"preset": "classic", "pool_size": 2, "strides": 1}


# ---------------------------------------------------------------- gradient


def test_gradient_of_the_classic_example_with_ones(client):
    body = post(client, "/api/gradient", CLASSIC)
    assert body["tokens"] == ["the", "boy", "will", "live"]
    pooling, global_ = body["pooling"], body["global"]
    assert pooling["output"] == [[0.8, -0.2, 0.2], [0.8, -0.1, 0.4], [0.4, -0.1, 0.8]]
    # boy wins feature 0 of windows 0 and 1; the gradients of both reach it
    assert pooling["routes"] == [[1, 0, 1], [1, 2, 2], [3, 2, 3]]
    assert pooling["grad"] == [[0, 1, 0], [2, 0, 1], [0, 2, 1], [1, 0, 1]]
    assert global_["grad"] == [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert global_["shares"] == [1, 1, 1]
    assert "first" in pooling["tie_rule"] and "equally" in global_["tie_rule"]
    assert body["request"]["upstream_pooling"] is None


def test_ties_differ_between_windowed_and_global(client):
    # the ties preset: "red red blue red"; red's feature 0 ties three times
    body = post(client, "/api/gradient", {"preset": "ties", "pool_size": 2, "strides": 2})
    x = PRESETS["ties"].x()
    top = x[:, 0].max()
    tied = [i for i, v in enumerate(x[:, 0]) if v == top]
    assert len(tied) >= 2
    global_column = [row[0] for row in body["global"]["grad"]]
    assert global_column == pytest.approx([1 / len(tied) if i in tied else 0 for i in range(len(x))])
    for window, row in enumerate(body["pooling"]["routes"]):
        rows = [r for r in range(2 * window, 2 * window + 2) if x[r, 0] == max(x[2 * window : 2 * window + 2, 0])]
        assert row[0] == rows[0]


def test_gradient_takes_upstream_values(client):
    body = post(client, "/api/gradient", {
        **CLASSIC,
        "upstream_pooling": [[1, 0, 0], [10, 0, 0], [100, 0, 0]],
        "upstream_global": [0.5, -2, 3],
    })
    assert [row[0] for row in body["pooling"]["grad"]] == [0, 11, 0, 100]
    assert body["global"]["grad"] == [[0, 0, 0], [0.5, 0, 0], [0, -2, 0], [0, 0, 3]]
    assert body["request"]["upstream_global"] == [0.5, -2, 3]
    # the echoed request gives the same answer
    assert post(client, "/api/gradient", body["request"]) == body


@pytest.mark.parametrize(("extra", "divisors", "grad"), [
    ({"padding": "valid"}, [2, 2, 2], [[0.5], [1.0], [1.0], [0.5]]),
    # windows [0, 3) and [2, 5), the last position padded: row 2 is in both
    ({"padding": "same", "strides": 2, "pool_size": 3}, [3, 2], [[1 / 3], [1 / 3], [1 / 3 + 1 / 2], [0.5]]),
])
def test_average_gradient_divides_by_the_real_cells(client, extra, divisors, grad):
    body = post(client, "/api/gradient", {"embeddings": [[1], [2], [3], [4]], "layer": "average",
                                          "pool_size": 2, "strides": 1, **extra})
    assert body["pooling"]["divisors"] == divisors
    assert [row[0] for row in body["pooling"]["grad"]] == pytest.approx([row[0] for row in grad], rel=1e-6)
    assert body["global"]["grad"] == [[0.25]] * 4
    assert "routes" not in body["pooling"] and "shares" not in body["global"]


# ---------------------------------------------------------------- batch


def test_pitfall_preset_shows_padding_winning(client):
    body = post(client, "/api/batch", {"preset": "pitfall"})
    assert [s["text"] for s in body["sentences"]] == ["the boy will live", "not bad"]
    assert body["input_shape"] == [2, 4, 3] and body["output_shape"] == [2, 3]
    assert body["x"][1][2:] == [[0, 0, 0], [0, 0, 0]]
    assert body["global_max"]["output"][1] == [0, 0, 0.5]
    assert body["global_max"]["padding_won"][1] == [True, True, False]
    assert body["masked_max"]["output"][1] == [-0.2, -0.3, 0.5]
    assert body["masked_average"]["output"][1] == [-0.4, -0.5, 0.3]


def test_batch_of_lines_with_toy_embeddings(client):
    body = post(client, "/api/batch", {"sentence": "the boy will live\n\n  not bad \nok", "features": 2})
    assert [s["tokens"] for s in body["sentences"]] == [["the", "boy", "will", "live"], ["not", "bad"], ["ok"]]
    assert body["lengths"] == [4, 2, 1] and body["input_shape"] == [3, 4, 2]
    assert body["mask"][2] == [True, False, False, False]
    # the same word gets the same vector as in /api/trace
    trace = post(client, "/api/trace", {"sentence": "not bad", "features": 2})
    assert body["x"][1][:2] == trace["x"]


def test_batch_with_embeddings_split_by_lines(client):
    body = post(client, "/api/batch", {"sentence": "a b\nc", "embeddings": [[-1, -2], [-1, -2], [3, 4]]})
    assert body["x"] == [[[-1, -2], [-1, -2]], [[3, 4], [0, 0]]]
    assert body["global_max"]["output"][1] == [3, 4]


@pytest.mark.parametrize("body", [{"preset": "classic"}, {"embeddings": [[1.0], [-1.0]]}])
def test_a_single_sentence_is_a_batch_of_one(client, body):
    answer = post(client, "/api/batch", body)
    assert answer["input_shape"][0] == 1 and answer["mask"] == [[True] * answer["input_shape"][1]]


# ---------------------------------------------------------------- model


@pytest.mark.parametrize(("body", "totals", "pooled"), [
    ({}, [2819, 1745], [[None, 5, 16], [None, 16]]),
    ({"steps": 4, "features": 3}, [4 * (16 * 19 + 16) + 1080 + 11, 4 * (16 * 19 + 16) + 17],
     [[None, 3, 16], [None, 16]]),
])
def test_model_summaries(client, body, totals, pooled):
    answer = post(client, "/api/model", body)
    assert [m["name"] for m in answer["models"]] == ["windowed", "global"]
    assert [m["total_params"] for m in answer["models"]] == totals
    assert [next(r["output_shape"] for r in m["rows"] if r["pooling"]) for m in answer["models"]] == pooled
    assert answer["request"] == {"steps": 6, "features": 10, **body}


# ---------------------------------------------------------------- text CNN


def test_textcnn_on_the_classic_sentence(client):
    body = post(client, "/api/textcnn", {"sentence": "the boy will live", "filters": 3})
    assert body["widths"] == [2, 3, 4] and len(body["filters"]) == 9
    assert body["vector_shape"] == [1, 9]
    assert body["vector"] == [f["winner"]["value"] for f in body["filters"]]
    for f in body["filters"]:
        assert len(f["activation"]) == 4 - f["width"] + 1
        assert f["winner"]["rows"] == list(range(f["winner"]["start"], f["winner"]["stop"]))
    assert sum(body["feature_wins"]) == 4  # one winner per feature


def test_textcnn_filter_seed_changes_weights_not_words(client):
    a = post(client, "/api/textcnn", {"preset": "classic"})
    b = post(client, "/api/textcnn", {"preset": "classic", "filter_seed": 1})
    assert a["x"] == b["x"] and a["filters"][0]["kernel"] != b["filters"][0]["kernel"]


def test_textcnn_same_padding_fits_a_single_word(client):
    body = post(client, "/api/textcnn", {"sentence": "hello", "padding": "same"})
    assert all(len(f["activation"]) == 1 for f in body["filters"])


# ---------------------------------------------------------------- schema and errors


@pytest.mark.parametrize(("path", "body", "component"), [
    ("/api/gradient", CLASSIC, "GradientResponse"),
    ("/api/gradient", {"sentence": "a b c", "layer": "average", "padding": "same"}, "GradientResponse"),
    ("/api/batch", {"preset": "pitfall"}, "BatchResponse"),
    ("/api/model", {"steps": 3}, "ModelResponse"),
    ("/api/textcnn", {"preset": "classic"}, "TextCnnResponse"),
])
def test_answers_match_the_published_schema(client, assert_matches, path, body, component):
    assert_matches(component, post(client, path, body))


@pytest.mark.parametrize(("path", "body", "field", "words"), [
    ("/api/gradient", {}, "sentence", "Give a sentence"),
    ("/api/gradient", {**CLASSIC, "upstream_pooling": [[1, 1, 1]]}, "upstream_pooling", "[3, 3]"),
    ("/api/gradient", {**CLASSIC, "upstream_global": [1, "x", 1]}, "upstream_global", "finite numbers"),
    ("/api/gradient", {**CLASSIC, "upstream_global": [1e39, 1, 1]}, "upstream_global", "float32"),
    ("/api/gradient", {"embeddings": [[1], [2]], "pool_size": 2, "strides": 1,
                       "upstream_pooling": [[3e38], [3e38]]}, "upstream_pooling", "shape"),
    ("/api/gradient", {"embeddings": [[1], [2], [1]], "pool_size": 2, "strides": 1,
                       "upstream_pooling": [[3e38], [3e38]]}, "upstream_pooling", "overlapping"),
    ("/api/gradient", {"preset": "classic", "pool_size": 5}, "pool_size", "larger than"),
    ("/api/gradient", {**CLASSIC, "upstream": 1}, "upstream", "Unknown field"),
    ("/api/batch", {"sentence": "\n".join(["w"] * 17)}, "sentence", "at most 16"),
    ("/api/batch", {"sentence": "a\n!!!"}, "sentence", "sentence must contain"),
    ("/api/batch", {"sentence": "a b\nc", "embeddings": [[1], [2]]}, "sentence", "3 words in 2 lines"),
    ("/api/batch", {"preset": "nope"}, "preset", None),
    ("/api/model", {"steps": 1}, "steps", "at least 2"),
    ("/api/model", {"steps": 0}, "steps", "from 1 to 256"),
    ("/api/model", {"features": 65}, "features", "from 1 to 64"),
    ("/api/model", {"sentence": "a"}, "sentence", "Unknown field"),
    ("/api/textcnn", {"preset": "classic", "filters": 9}, "filters", "from 1 to 8"),
    ("/api/textcnn", {"embeddings": [[1, 2]]}, "padding", 'padding="same"'),
    ("/api/textcnn", {"sentence": "a b c d", "embeddings": [[1]]}, "sentence", None),
])
def test_errors_name_their_field(client, path, body, field, words):
    answer = post(client, path, body, 400)
    assert set(answer) == {"error", "field"}
    assert answer["field"] == field, answer
    if words:
        assert words in answer["error"]


@pytest.mark.parametrize("path", ["/api/gradient", "/api/batch", "/api/model", "/api/textcnn"])
def test_bodies_that_are_not_json_objects(client, path):
    assert client.post(path, data="[]", content_type="application/json").get_json()["field"] == "body"
    assert client.post(path, data="x", content_type="text/plain").status_code == 415
    assert client.get(path).status_code == 405
