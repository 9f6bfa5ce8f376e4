"""The quiz's questions: every right answer checked against real Keras 3 (JAX backend).

The answers come from pooling/ (the engine); here each one is worked out
again with keras.layers and jax.grad, never with the engine.
"""
from __future__ import annotations

import os
import re

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from pooling import toy_embeddings  # noqa: E402
from pooling.i18n import messages  # noqa: E402
from pooling.quiz import KINDS, number, quiz  # noqa: E402

CLASSIC_TOKENS = ["the", "boy", "will", "live"]
CLASSIC_X = [[0.7, -0.2, 0.1], [0.8, -0.3, 0.2], [0.2, -0.1, 0.4], [0.4, -0.4, 0.8]]
SIX = "one two three four five six".split()
TIES = (["a", "b", "c"], [[0.5, 1.0], [0.5, 0.0], [0.1, 0.2]])

CASES = [
    # (tokens, x, kind, pool_size, strides, padding, seed)
    (CLASSIC_TOKENS, CLASSIC_X, "max", 2, 1, "valid", 0),
    (CLASSIC_TOKENS, CLASSIC_X, "average", 2, 1, "valid", 1),
    (CLASSIC_TOKENS, CLASSIC_X, "max", 3, None, "same", 2),
    (CLASSIC_TOKENS, CLASSIC_X, "average", 3, 2, "same", 3),
    (SIX, toy_embeddings(SIX, 4, 0).tolist(), "max", 2, None, "valid", 7),
    (SIX, toy_embeddings(SIX, 5, 3).tolist(), "average", 4, 1, "same", 11),
    (*TIES, "max", 2, 1, "valid", 5),
    (["alone"], [[0.3, -0.6]], "max", 1, None, "valid", 0),
]


def keras_layer(kind, pool_size, strides, padding):
    cls = keras.layers.MaxPooling1D if kind == "max" else keras.layers.AveragePooling1D
    return cls(pool_size=pool_size, strides=strides, padding=padding)


def keras_global(kind, keepdims=False):
    cls = keras.layers.GlobalMaxPooling1D if kind == "max" else keras.layers.GlobalAveragePooling1D
    return cls(keepdims=keepdims)


def run(layer, x):
    return np.asarray(layer(np.asarray(x, np.float32)[None]))


def right(question):
    return question.choices[question.answer]


def word(tokens, row):
    return f"'{tokens[row]}' (word {row + 1})"


def shape_text(shape):
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


@pytest.fixture(params=CASES, ids=lambda c: f"{len(c[0])}w-{c[2]}-{c[3]}-{c[4]}-{c[5]}-seed{c[6]}")
def case(request):
    tokens, x, kind, pool_size, strides, padding, seed = request.param
    return {
        "tokens": tokens, "x": np.asarray(x, np.float32), "kind": kind, "pool_size": pool_size,
        "strides": strides, "padding": padding, "seed": seed,
        "questions": {q.kind: q for q in quiz(tokens, x, kind, pool_size, strides, padding, seed=seed)},
    }


def test_one_question_of_each_kind_with_distinct_choices(case):
    kinds = list(case["questions"])
    expected = [k for k in KINDS if not (k == "shift" and len(case["tokens"]) == 1)]
    assert kinds == expected
    for question in case["questions"].values():
        assert len(set(question.choices)) == len(question.choices) >= 2
        assert 0 <= question.answer < len(question.choices)
        assert question.explanation.endswith(".")


def test_shape(case):
    q = case["questions"]["shape"]
    layer = {
        "pooling": keras_layer(case["kind"], case["pool_size"], case["strides"], case["padding"]),
        "global": keras_global(case["kind"]),
        "global-keepdims": keras_global(case["kind"], keepdims=True),
    }[q.about["layer"]]
    assert right(q) == shape_text(run(layer, case["x"]).shape)


def test_length(case):
    q = case["questions"]["length"]
    out = run(keras_layer(case["kind"], case["pool_size"], case["strides"], case["padding"]), case["x"])
    assert right(q) == str(out.shape[1])
    assert q.explanation.endswith(f"= {out.shape[1]}.")


def test_global_winner(case):
    q = case["questions"]["global-winner"]
    f = q.about["feature"]
    column = case["x"][:, f]
    value = run(keras_global(case["kind"]), case["x"])[0, f]
    if case["kind"] == "max":
        tied = [r for r in range(len(column)) if column[r] == value]
        assert right(q) in [word(case["tokens"], r) for r in tied]
        # No other tied word is offered as wrong.
        assert sum(c in [word(case["tokens"], r) for r in tied] for c in q.choices) == 1
    else:
        assert right(q) == number(value)


def test_window_cell(case):
    q = case["questions"]["window-cell"]
    out = run(keras_layer(case["kind"], case["pool_size"], case["strides"], case["padding"]), case["x"])
    assert right(q) == number(out[0, q.about["row"], q.about["feature"]])
    assert [c for c in q.choices if c == right(q)] == [right(q)]


def test_strides_none(case):
    q = case["questions"]["strides-none"]
    pool = q.about["pool_size"]
    out = run(keras_layer(case["kind"], pool, None, case["padding"]), case["x"])
    n = out.shape[1]
    assert right(q) == f"windows start {pool} apart: {n} {'window' if n == 1 else 'windows'}"


def test_same_length(case):
    q = case["questions"]["same-length"]
    out = run(keras_layer(case["kind"], case["pool_size"], q.about["strides"], "same"), case["x"])
    n = out.shape[1]
    kept = n == len(case["tokens"])
    assert right(q) == f"{'Yes' if kept else 'No'}: {n} output {'step' if n == 1 else 'steps'}"


def test_shift(case):
    if len(case["tokens"]) == 1:
        pytest.skip("one word: nothing to move")
    q = case["questions"]["shift"]
    i, j = q.about["swap"]
    moved = case["x"].copy()
    moved[[i, j]] = moved[[j, i]]
    layer = keras_layer(case["kind"], case["pool_size"], case["strides"], case["padding"])
    # Changed beyond float32 rounding (a sum in another order may differ in its last bit).
    def changes(a, b):
        return not np.allclose(a, b, rtol=1e-5, atol=1e-6)

    pool_changes = changes(run(layer, moved), run(layer, case["x"]))
    glob = keras_global(case["kind"])
    assert not changes(run(glob, moved), run(glob, case["x"]))  # global pooling ignores the order of the words
    assert right(q) == ("Neither output changes" if not pool_changes else f"Only the {layer.__class__.__name__} output changes")


def test_gradient(case):
    q = case["questions"]["gradient"]
    i, f = q.about["row"], q.about["feature"]
    layer = keras_layer(case["kind"], case["pool_size"], case["strides"], case["padding"])
    grad = np.asarray(jax.grad(lambda x: layer(x)[0, i, f])(jnp.asarray(case["x"][None])))[0]
    receivers = [int(r) for r in np.flatnonzero(grad[:, f])]
    assert np.count_nonzero(grad) == len(receivers)  # one feature only
    if case["kind"] == "max":
        (winner,) = receivers
        assert right(q) == f"Only {word(case['tokens'], winner)}, f{f}"
    else:
        share = number(grad[receivers[0], f])
        words = ", ".join(word(case["tokens"], r) for r in receivers)
        assert right(q) == f"Every word of window {i + 1} ({words}), f{f}, {share} each"


def test_the_same_seed_gives_the_same_quiz_and_another_seed_or_sentence_another():
    def dump(*args, **kwargs):
        return [q.to_dict() for q in quiz(*args, **kwargs)]

    args = (CLASSIC_TOKENS, CLASSIC_X, "max", 2, 1, "valid")
    assert dump(*args, seed=3) == dump(*args, seed=3)
    assert any(dump(*args, seed=s) != dump(*args, seed=3) for s in range(4, 8))
    other = toy_embeddings(SIX, 3, 0).tolist()
    assert dump(SIX, other, "max", 2, 1, "valid", seed=3) != dump(*args, seed=3)


def test_the_engine_checks_the_layer_arguments():
    with pytest.raises(ValueError, match="pool_size"):
        quiz(CLASSIC_TOKENS, CLASSIC_X, "max", 5, 1, "valid")
    with pytest.raises(ValueError, match="one row per token"):
        quiz(CLASSIC_TOKENS[:3], CLASSIC_X)


def test_the_api_serves_the_quiz_of_a_lesson(client):
    body = {"preset": "classic", "layer": "max", "pool_size": 2, "strides": 1, "padding": "valid", "quiz": 4}
    answer = client.post("/api/quiz", json=body).get_json()
    expected = [q.to_dict() for q in quiz(CLASSIC_TOKENS, CLASSIC_X, "max", 2, 1, "valid", seed=4)]
    assert answer == {"questions": expected, "quiz": 4}
    bad = client.post("/api/quiz", json={**body, "quiz": -1})
    assert bad.status_code == 400 and bad.get_json()["field"] == "quiz"
    unknown = client.post("/api/quiz", json={**body, "seeds": 1})
    assert unknown.status_code == 400 and unknown.get_json()["field"] == "seeds"
    assert re.search("pool_size", client.post("/api/quiz", json={**body, "pool_size": 9}).get_json()["error"])


# ---- in the learner's language -------------------------------------------------

def catalog_rights(lang, case, questions):
    """The right choice of each kind whose words are translated, from the catalog and real Keras."""
    m = messages(lang)
    tokens, x = case["tokens"], case["x"]
    layer = keras_layer(case["kind"], case["pool_size"], case["strides"], case["padding"])
    expected = {}
    pool = questions["strides-none"].about["pool_size"]
    n = run(keras_layer(case["kind"], pool, None, case["padding"]), x).shape[1]
    expected["strides-none"] = m.t("quiz.strides_none.choice", stride=str(pool), count=n)
    n = run(keras_layer(case["kind"], case["pool_size"], questions["same-length"].about["strides"], "same"), x).shape[1]
    expected["same-length"] = m.t("quiz.same_length.yes" if n == len(tokens) else "quiz.same_length.no", count=n)
    if "shift" in questions:
        i, j = questions["shift"].about["swap"]
        moved = x.copy()
        moved[[i, j]] = moved[[j, i]]
        changes = not np.allclose(run(layer, moved), run(layer, x), rtol=1e-5, atol=1e-6)
        name = layer.__class__.__name__
        expected["shift"] = m.t("quiz.shift.only", name=name) if changes else m.t("quiz.shift.neither")
    if case["kind"] == "max":
        i, f = questions["gradient"].about["row"], questions["gradient"].about["feature"]
        grad = np.asarray(jax.grad(lambda v: layer(v)[0, i, f])(jnp.asarray(x[None])))[0]
        (winner,) = np.flatnonzero(grad[:, f])
        word = m.t("quiz.word", word=tokens[winner], number=str(winner + 1))
        expected["gradient"] = m.t("quiz.gradient.only", word=word, feature=f"f{f}")
    return expected


@pytest.mark.parametrize("lang", ["es", "zh"])
def test_the_quiz_in_another_language_has_the_same_answers_in_the_catalog_words(case, lang):
    args = (case["tokens"], case["x"], case["kind"], case["pool_size"], case["strides"], case["padding"])
    english = list(case["questions"].values())
    translated = {q.kind: q for q in quiz(*args, seed=case["seed"], lang=lang)}
    assert [(q.kind, q.answer, q.about, len(q.choices)) for q in translated.values()] == [
        (q.kind, q.answer, q.about, len(q.choices)) for q in english
    ]
    # Code and numbers stay as code writes them: the same choices as in English.
    for kind in ("shape", "length", "window-cell"):
        assert translated[kind].choices == case["questions"][kind].choices
    for kind, text in catalog_rights(lang, case, translated).items():
        assert right(translated[kind]) == text, kind
    # Every prompt and explanation is the language's, not English (the length's is the formula alone: code).
    for question, original in zip(translated.values(), english):
        assert question.prompt != original.prompt
        assert question.explanation != original.explanation or question.kind == "length"


@pytest.mark.parametrize("lang", ["es", "zh"])
def test_the_api_writes_the_quiz_in_the_accept_language(client, lang):
    body = {"preset": "classic", "layer": "max", "pool_size": 2, "strides": 1, "padding": "valid", "quiz": 4}
    english = client.post("/api/quiz", json=body).get_json()["questions"]
    response = client.post("/api/quiz", json=body, headers={"Accept-Language": f"{lang},en;q=0.5"})
    assert response.headers["Content-Language"] == lang
    questions = {q["kind"]: q for q in response.get_json()["questions"]}
    assert [(q["kind"], q["answer"], q["about"]) for q in questions.values()] == [
        (q["kind"], q["answer"], q["about"]) for q in english
    ]
    m = messages(lang)
    # Worked out by hand for the classic sentence: 4 words, pool_size=2, strides=1, valid.
    call = 'MaxPooling1D(pool_size=2, strides=1, padding="valid")'
    assert questions["length"]["prompt"] == m.t("quiz.length.prompt", call=call, count=4)
    assert questions["length"]["explanation"] == m.t(
        "quiz.length.why", formula="floor((steps - pool_size) / strides) + 1 = floor((4 - 2) / 1) + 1 = 3"
    )
    length = questions["length"]
    assert length["choices"][length["answer"]] == "3"
    strides = questions["strides-none"]
    assert strides["choices"][strides["answer"]] == m.t("quiz.strides_none.choice", stride="2", count=2)
