"""The next questions' numbers (issue 15): pooling/questions.py and POST /api/questions.

Numbers are worked out by hand here; the same functions are compared with
real Keras 3 on JAX and PyTorch 2.13 in tests/claims/test_sections.py.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from pooling import PRESETS, questions


def post(client, body, status=200):
    response = client.post("/api/questions", json=body)
    assert response.status_code == status, response.get_json()
    return response.get_json()


CLASSIC = {"preset": "classic", "layer": "max", "pool_size": 2, "strides": 1, "padding": "valid"}


# ---------------------------------------------------------------- Flatten


@pytest.mark.parametrize(("model", "steps", "features", "rows"), [
    # LSTM(16) on 10 features: 4 * (16 * (10 + 16) + 16) = 1728.
    # Pooled to 5 steps, flattened to 5 * 16 = 80, Dense(1): 81.
    ("windowed_flatten", 6, 10, [1728, 0, 0, 81]),
    # Flattened straight from 6 steps: 96 values, Dense(1): 97.
    ("global_flatten", 6, 10, [1728, 0, 97]),
    # 4 words of 3 features: 4 * (16 * 19 + 16) = 1280; 4 * 16 + 1 = 65.
    ("global_flatten", 4, 3, [1280, 0, 65]),
    ("windowed_flatten", 2, 1, [4 * (16 * 17 + 16), 0, 0, 17]),
])
def test_flatten_parameters_by_hand(model, steps, features, rows):
    summary = questions.flatten_summary(model, steps, features)
    assert [r.params for r in summary.rows] == rows
    assert summary.total_params == sum(rows)
    flatten = next(r for r in summary.rows if r.layer == "Flatten")
    length = steps - 1 if model == "windowed_flatten" else steps
    assert flatten.output_shape == (None, length * 16)
    assert summary.rows[-1].output_shape == (None, 1)


@pytest.mark.parametrize(("args", "message"), [
    (("global", 6, 10), "windowed_flatten"),
    (("windowed_flatten", 1, 10), "at least 2"),
    (("global_flatten", 0, 10), "steps must be a positive integer"),
    (("global_flatten", 3, True), "features must be a positive integer"),
])
def test_flatten_summary_refuses(args, message):
    with pytest.raises(ValueError, match=message):
        questions.flatten_summary(*args)


def test_flatten_error_counts_values_not_words():
    message = questions.flatten_error(4, 5)
    assert "to have value 64, but received input with shape (1, 80)" in message
    with pytest.raises(ValueError, match="must differ"):
        questions.flatten_error(4, 4)


def test_return_sequences_shapes():
    shapes = questions.return_sequences_shapes(7, 5)
    assert shapes["input"] == [1, 7, 5]
    assert shapes["last"] == [1, 16] and shapes["sequence"] == [1, 7, 16] and shapes["pooled"] == [1, 16]
    assert shapes["error"].endswith("expected ndim=3, found ndim=2. Full shape received: (None, 16)")


# ---------------------------------------------------------------- max, average, argmax, data_format


def test_global_views_of_the_classic_sentence():
    x = PRESETS["classic"].x()
    views = questions.global_views(x)
    assert views["max"] == [0.8, -0.1, 0.8]
    # (0.7 + 0.8 + 0.2 + 0.4) / 4, (-0.2 - 0.3 - 0.1 - 0.4) / 4, (0.1 + 0.2 + 0.4 + 0.8) / 4
    np.testing.assert_allclose(views["average"], [0.525, -0.25, 0.375], rtol=1e-6)
    assert views["concat"] == views["max"] + views["average"]
    assert views["concat_shape"] == [1, 6]
    assert views["argmax"] == [1, 2, 3]  # boy, will, live
    assert views["ties"] == [[1], [2], [3]]
    assert views["channels_first"] == np.asarray(x, np.float32).T.astype(float).round(6).tolist()
    assert views["per_step"] == [0.7, 0.8, 0.4, 0.8]


def test_ties_name_every_row_and_argmax_the_first():
    views = questions.global_views([[0.5, 1.0], [0.9, 1.0], [0.9, -1.0], [0.1, 1.0]])
    assert views["argmax"] == [1, 0]
    assert views["ties"] == [[1, 2], [0, 1, 3]]


def test_nan_wins_its_feature():
    views = questions.global_views([[1.0, 0.0], [math.nan, 2.0]])
    assert math.isnan(views["max"][0])
    assert views["argmax"][0] == 1 and views["ties"][0] == [1]


@pytest.mark.parametrize("x", [[], [[]], [1.0, 2.0], [[[1.0]]]])
def test_global_views_refuses_what_is_not_a_sentence(x):
    with pytest.raises(ValueError, match="x must be 2-D"):
        questions.global_views(x)


def test_programs_carry_the_words_only_as_a_literal():
    words = ['a"b', "c\\nd"]
    code = questions.argmax_snippets([[1.0], [2.0]], words)["keras"]["code"]
    line = next(line for line in code.splitlines() if line.startswith("words = "))
    assert eval(line[len("words = "):]) == words  # noqa: S307 - a literal written by repr
    compile(code, "argmax.py", "exec")


# ---------------------------------------------------------------- masking


def test_masking_views_of_the_classic_sentence():
    x = PRESETS["classic"].x()
    m = questions.masking_views(x)
    assert m["padding"] == 2 and m["padded_shape"] == [1, 6, 3]
    assert m["mask"] == [True] * 4 + [False] * 2
    assert m["x"][:4] == np.asarray(x, np.float32).astype(float).round(6).tolist() and m["x"][4:] == [[0.0] * 3] * 2
    # f1 is negative in every word (-0.2, -0.3, -0.1, -0.4): the first padding row (4) wins it with 0.
    assert m["global_max"]["output"] == [0.8, 0.0, 0.8]
    assert m["global_max"]["winners"] == [1, 4, 3] and m["global_max"]["padding_won"] == [False, True, False]
    assert m["masked_max"]["output"] == [0.8, -0.1, 0.8] and m["masked_max"]["winners"] == [1, 2, 3]
    np.testing.assert_allclose(m["masked_average"], [0.525, -0.25, 0.375], rtol=1e-6)


@pytest.mark.parametrize(("x", "padding", "plain", "masked", "won"), [
    # A zero in the words ties with the padding: the word comes first and keeps it.
    ([[0.0, -1.0]], 1, [0.0, 0.0], [0.0, -1.0], [False, True]),
    ([[-2.0], [-3.0]], 3, [0.0], [-2.0], [True]),
    ([[1.0, 2.0]], 5, [1.0, 2.0], [1.0, 2.0], [False, False]),
])
def test_masking_views_by_hand(x, padding, plain, masked, won):
    m = questions.masking_views(x, padding)
    assert m["padded_shape"] == [1, len(x) + padding, len(x[0])]
    assert m["global_max"]["output"] == plain and m["masked_max"]["output"] == masked
    assert m["global_max"]["padding_won"] == won


@pytest.mark.parametrize(("args", "message"), [
    (([[1.0]], 0), "padding must be a positive integer"),
    (([[1.0]], True), "padding must be a positive integer"),
    (([1.0, 2.0], 2), "x must be 2-D"),
])
def test_masking_views_refuses(args, message):
    with pytest.raises(ValueError, match=message):
        questions.masking_views(*args)


def test_masking_program_says_what_it_prints():
    program = questions.masking_snippet([[-1.0, 2.0], [-3.0, 1.0], [0.5, -1.0]], ["a", "b", "c"])
    code = program["code"]
    assert 'keras.utils.pad_sequences([list(range(1, 4))], maxlen=5, padding="post")' in code
    assert "layers.Embedding(4, 2, mask_zero=True).compute_mask(ids)" in code
    assert "keras.ops.where(mask[..., None], padded, -np.inf)" in code
    compile(code, "masking.py", "exec")
    lines = program["prints"].splitlines()
    assert lines[:2] == ["ids [[1, 2, 3, 0, 0]]", "mask [[true, true, true, false, false]]"]
    # Max over the words: (0.5, 2); with two zero rows, f0 still 0.5 and f1 2. Average over the words: (-3.5/3, 2/3).
    assert lines[2:4] == ["GlobalMaxPooling1D [[0.5, 2.0]]", "masked_max [[0.5, 2.0]]"]
    average = [float(v) for v in lines[4].split("[[")[1].rstrip("]").split(", ")]
    np.testing.assert_allclose(average, [-3.5 / 3, 2 / 3], rtol=1e-6)


# ---------------------------------------------------------------- the endpoint


def test_questions_on_the_classic_example(client):
    body = post(client, CLASSIC)
    assert body["tokens"] == ["the", "boy", "will", "live"]
    assert body["input_shape"] == [1, 4, 3]
    assert body["global"]["argmax"] == [1, 2, 3]
    question = {m["name"]: (m["total_params"], m["pooled_total_params"]) for m in body["flatten"]["question"]["models"]}
    # The classic question's models: 2819 with the second LSTM, 1745 with GlobalMaxPooling1D.
    assert question == {"windowed_flatten": (1809, 2819), "global_flatten": (1825, 1745)}
    assert body["flatten"]["received_steps"] == 5
    assert "value 64, but received input with shape (1, 80)" in body["flatten"]["error"]
    assert "inputs = keras.Input(shape=(4, 3))" in body["flatten"]["program"]["code"]
    assert body["flatten"]["program"]["prints"] == f"params 1345\n{body['flatten']['error']}\n"
    assert body["return_sequences"]["sequence"] == [1, 4, 16]
    assert body["masking"]["padded_shape"] == [1, 6, 3] and body["masking"]["global_max"]["padding_won"] == [False, True, False]
    assert body["masking"]["program"]["prints"].startswith("ids [[1, 2, 3, 4, 0, 0]]\n")
    assert set(body["programs"]) == {"concat", "argmax_keras", "argmax_pytorch", "data_format_keras", "data_format_pytorch"}


def test_questions_ignore_the_layer_settings(client):
    """Only the words and vectors matter: a pool_size larger than the sentence is the tool's business."""
    a = post(client, CLASSIC)
    b = post(client, {**CLASSIC, "layer": "average", "pool_size": 9, "padding": "valid"})
    assert a["global"] == b["global"] and a["flatten"] == b["flatten"] and a["masking"] == b["masking"]


def test_one_word_has_no_windowed_flatten_model(client):
    body = post(client, {"sentence": "hello", "features": 2})
    assert [m["name"] for m in body["flatten"]["sentence"]["models"]] == ["global_flatten"]
    assert [m["name"] for m in body["flatten"]["question"]["models"]] == ["windowed_flatten", "global_flatten"]


@pytest.mark.parametrize("body", [CLASSIC, {"sentence": "a b c", "features": 5, "seed": 3}, {"embeddings": [[1, 1], [1, 2]]}])
def test_answers_match_the_published_schema(client, assert_matches, body):
    assert_matches("QuestionsResponse", post(client, body))


@pytest.mark.parametrize(("body", "field"), [
    ({}, "sentence"),
    ({**CLASSIC, "pad_to": 3}, "pad_to"),
    ({"embeddings": [[3e38], [3e38]]}, "embeddings"),
])
def test_errors_name_their_field(client, body, field):
    answer = post(client, body, 400)
    assert set(answer) == {"error", "field"} and answer["field"] == field, answer


def test_bodies_that_are_not_json_objects(client):
    assert client.post("/api/questions", data="[]", content_type="application/json").get_json()["field"] == "body"
    assert client.get("/api/questions").status_code == 405
