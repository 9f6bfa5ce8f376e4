"""Batches and masks, model summaries and the text CNN, against real Keras 3 on JAX.

The Keras numbers come from ``tests/fixtures/keras_teaching.json``
(``tools/make_keras_teaching_fixtures.py``); see ``tests/test_gradients.py``
for the gradient cases of the same file.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pooling import (
    BATCH_PRESETS,
    ConvFilter,
    conv1d,
    feature_wins,
    global_average_pooling1d,
    global_max_pooling1d,
    masked_global_max_pooling1d,
    model_summary,
    pad_sequences,
    toy_filters,
    trace_batch,
    trace_textcnn,
)

DOCUMENT = json.loads((Path(__file__).parent / "fixtures" / "keras_teaching.json").read_text())
NONFINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def array(value: Any) -> np.ndarray:
    def decode(v: Any) -> Any:
        if isinstance(v, list):
            return [decode(p) for p in v]
        return NONFINITE[v] if isinstance(v, str) else v

    return np.asarray(decode(value), dtype=np.float32)


# ---------------------------------------------------------------- batches and masks

MASKING = DOCUMENT["masking"]


def test_keras_pad_sequences_post_is_ours():
    record = MASKING["pad_sequences"]
    x, mask = pad_sequences([array(s) for s in record["sequences"]])
    np.testing.assert_array_equal(x, array(record["expected"]))
    assert mask.sum(axis=1).tolist() == [len(s) for s in record["sequences"]]


@pytest.mark.parametrize("run", MASKING["embedding_runs"], ids=lambda r: f"{r['layer']}-{r['ids']}")
def test_embedding_mask_zero_then_global_pooling(run):
    table = array(MASKING["embedding_table"])
    ids = np.asarray(run["ids"])
    x, mask = table[ids], ids != 0
    expected = array(run["expected"])
    if run["layer"] == "GlobalMaxPooling1D":
        # Keras drops the mask (and says so): padding zeros take part in the max.
        assert any("does not support masking" in w for w in run["warnings"])
        np.testing.assert_array_equal(global_max_pooling1d(x), expected)
    else:
        assert run["warnings"] == []
        np.testing.assert_allclose(global_average_pooling1d(x, mask=mask), expected, rtol=1e-6)


def test_the_measured_pitfall_and_its_fix():
    run = next(r for r in MASKING["embedding_runs"]
               if r["ids"] == [[1, 1, 0, 0]] and r["layer"] == "GlobalMaxPooling1D")
    assert array(MASKING["embedding_table"])[1].tolist() == [-1.0, -2.0]
    assert array(run["expected"]).tolist() == [[0.0, 0.0]]
    x = array(MASKING["embedding_table"])[np.asarray(run["ids"])]
    assert masked_global_max_pooling1d(x, np.asarray(run["ids"]) != 0).tolist() == [[-1.0, -2.0]]


@pytest.mark.parametrize(("data_format", "keepdims", "shape"), [
    ("channels_last", False, (2, 3)),
    ("channels_last", True, (2, 1, 3)),
    ("channels_first", True, (2, 3, 1)),
])
def test_masked_max_is_the_max_of_the_real_steps(data_format, keepdims, shape):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 5, 3)).astype(np.float32)
    mask = np.array([[True, True, False, False, False], [True, False, True, True, True]])
    expected = np.stack([x[0, :2].max(axis=0), x[1, mask[1]].max(axis=0)])
    given = x.transpose(0, 2, 1) if data_format == "channels_first" else x
    result = masked_global_max_pooling1d(given, mask, data_format, keepdims)
    assert result.shape == shape
    np.testing.assert_array_equal(result.reshape(2, 3), expected)


def test_masked_max_drops_nan_at_masked_steps_and_gives_minus_inf_for_no_step():
    x = np.array([[[np.nan], [1.0]], [[2.0], [3.0]]], np.float32)
    assert masked_global_max_pooling1d(x, [[False, True], [False, False]]).tolist() == [[1.0], [-np.inf]]


def test_batch_trace_shows_padding_winning_only_where_it_does():
    preset = BATCH_PRESETS["pitfall"]
    d = trace_batch([np.array(e) for e in preset.embeddings]).to_dict()
    assert d["input_shape"] == [2, 4, 3] and d["lengths"] == [4, 2]
    assert d["mask"][1] == [True, True, False, False]
    assert d["global_max"]["padding_won"] == [[False] * 3, [True, True, False]]
    assert d["global_max"]["output"][1] == [0.0, 0.0, 0.5]
    assert d["masked_max"]["output"][1] == [-0.2, -0.3, 0.5]
    assert d["masked_max"]["winners"][1] == [1, 0, 0]
    assert d["global_average"]["output"][1] == [-0.2, -0.25, 0.15]
    assert d["masked_average"]["output"][1] == [-0.4, -0.5, 0.3]


@pytest.mark.parametrize(("sequences", "message"), [
    ([], "sequences must hold at least one sequence"),
    ([[[1.0]], [[1.0, 2.0]]], "same number of features"),
    ([np.zeros((0, 2))], r"sequences\[0\] must be 2-D"),
])
def test_pad_sequences_errors(sequences, message):
    with pytest.raises(ValueError, match=message):
        pad_sequences(sequences)


def test_masked_max_mask_shape_error():
    with pytest.raises(ValueError, match="mask must have shape"):
        masked_global_max_pooling1d(np.zeros((1, 3, 2)), [[True, False]])


# ---------------------------------------------------------------- models


@pytest.mark.parametrize("record", DOCUMENT["models"], ids=lambda r: f"{r['model']}-{r['steps']}x{r['features']}")
def test_model_summary_matches_keras(record):
    summary = model_summary(record["model"], record["steps"], record["features"]).to_dict()
    assert [(row["layer"], row["output_shape"], row["params"]) for row in summary["rows"]] == [
        (layer["class"], layer["output_shape"], layer["params"]) for layer in record["layers"]
    ]
    assert summary["total_params"] == record["total_params"]
    assert [row["pooling"] for row in summary["rows"]] == ["Pooling" in layer["class"] for layer in record["layers"]]


def test_model_fixture_holds_the_classic_question():
    classic = {(r["model"], r["steps"], r["features"]): r["total_params"] for r in DOCUMENT["models"]}
    assert classic[("windowed", 6, 10)] == 2819 and classic[("global", 6, 10)] == 1745


@pytest.mark.parametrize(("args", "message"), [
    (("dense", 6, 10), "model must be"),
    (("windowed", 1, 10), "steps must be at least 2"),
    (("global", 0, 10), "steps must be a positive integer"),
    (("global", 6, 2.5), "features must be a positive integer"),
])
def test_model_summary_errors(args, message):
    with pytest.raises(ValueError, match=message):
        model_summary(*args)


def test_a_single_step_is_fine_for_the_global_model():
    assert model_summary("global", 1, 3).rows[1].output_shape == (None, 16)


# ---------------------------------------------------------------- text CNN


@pytest.mark.parametrize("record", DOCUMENT["textcnn"], ids=lambda r: f"{r['padding']}-{r['tags'][0]}-{len(r['input'][0])}")
def test_conv_relu_global_max_matches_keras(record):
    x = array(record["input"])
    layers = [ConvFilter(array(c["kernel"]), array(c["bias"])) for c in record["convs"]]
    for layer, conv in zip(layers, record["convs"]):
        feature_map = conv1d(x, layer.kernel, layer.bias, record["padding"])
        np.testing.assert_allclose(feature_map, array(conv["feature_map"]), rtol=1e-5, atol=1e-5)
    d = trace_textcnn(x[0], layers, record["padding"]).to_dict()
    np.testing.assert_allclose(d["vector"], array(record["vector"])[0], rtol=1e-5, atol=1e-5)
    for f in d["filters"]:
        # The winning n-gram's response is the pooled value.
        assert f["activation"][f["winner"]["window"]] == f["winner"]["value"] == max(f["activation"])
        assert f["winner"]["stop"] - f["winner"]["start"] == f["width"]


def test_textcnn_winner_by_hand():
    # One filter of width 2 that sums feature 0: the bigram (1, 2) wins with 5 + 4 - 1 = 8.
    x = np.array([[1.0], [5.0], [4.0], [-3.0]])
    layer = ConvFilter(np.ones((2, 1, 1), np.float32), np.array([-1.0], np.float32))
    d = trace_textcnn(x, [layer]).to_dict()
    assert d["filters"][0]["activation"] == [5.0, 8.0, 0.0]
    assert d["filters"][0]["winner"] == {
        "window": 1, "start": 1, "stop": 3, "rows": [1, 2], "value": 8.0, "all_zero": False, "windows": [1],
    }
    assert d["vector"] == [8.0]
    # Words 2 and 3 are in the one filter's best phrase.
    assert d["phrase_wins"] == [0, 1, 1, 0]


def test_textcnn_ties_and_all_zero_filters_by_hand():
    # Filter 0 sums feature 0: bigrams (0, 1) and (2, 3) both score 3 - 1 = 2, a tie.
    # Filter 1 is -sum - 10: every score is negative, so 0 after ReLU: no phrase stands out.
    x = np.array([[1.0], [2.0], [0.0], [3.0]])
    kernel = np.stack([np.ones((2, 1)), -np.ones((2, 1))], axis=-1).astype(np.float32)
    layer = ConvFilter(kernel, np.array([-1.0, -10.0], np.float32))
    d = trace_textcnn(x, [layer]).to_dict()
    tie, zero = d["filters"]
    assert tie["activation"] == [2.0, 1.0, 2.0]
    assert tie["winner"]["windows"] == [0, 2] and tie["winner"]["window"] == 0
    assert zero["winner"]["all_zero"] and zero["winner"]["windows"] == []
    # Every word is in one of the tied best phrases; the all-zero filter holds none.
    assert d["phrase_wins"] == [1, 1, 1, 1]


def test_toy_filters_are_deterministic_and_bounded():
    a, b = toy_filters(4, seed=3), toy_filters(4, seed=3)
    assert all((p.kernel == q.kernel).all() and (p.bias == q.bias).all() for p, q in zip(a, b))
    assert not (toy_filters(4, seed=4)[0].kernel == a[0].kernel).all()
    assert all(np.abs(p.kernel).max() <= 1 and np.abs(p.bias).max() <= 0.5 for p in a)


def test_textcnn_errors():
    with pytest.raises(ValueError, match='padding="valid" needs at least 4 words'):
        trace_textcnn(np.ones((3, 2)))
    assert len(trace_textcnn(np.ones((1, 2)), padding="same").to_dict()["vector"]) == 6
    with pytest.raises(ValueError, match="filters must be a positive integer"):
        toy_filters(3, filters=0)


def test_feature_wins_counts_first_maxima():
    assert feature_wins([[1.0, 0.0], [1.0, 2.0], [0.0, 2.0]]).tolist() == [1, 1, 0]
