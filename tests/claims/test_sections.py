"""The next questions' sections (issue 15), proved against Keras 3 on JAX and PyTorch 2.13.

Each program the page shows (POST /api/questions' ``programs``) is run as the
learner would run it, as ``__main__`` in a separate Python on Keras' JAX
backend, after ``keras.backend.clear_session()`` (so Keras names its layers
``dense``, ``global_max_pooling1d``, as in a fresh session), and what it
prints is compared with what the page says it prints, character for
character. All programs share one interpreter, started once. The error texts the
page quotes are Keras' own words, captured here.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from pooling import questions

os.environ.setdefault("KERAS_BACKEND", "jax")
keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")
from keras import layers  # noqa: E402

SENTENCES = {
    "classic": {"preset": "classic"},
    "ties": {"preset": "ties"},
    "toy": {"sentence": "a truly great day out", "features": 5, "seed": 2},
    "one-word": {"sentence": "hello", "features": 3},
}


# Runs each program of a JSON list as __main__, each in a fresh Keras session;
# prints a JSON list of their standard outputs (or their uncaught errors).
_RUNNER = """
import contextlib, io, json, sys, traceback
import keras
outputs = []
for code in json.load(sys.stdin):
    keras.backend.clear_session()
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, "<program>", "exec"), {"__name__": "__main__"})
    except BaseException:
        out.write("UNCAUGHT " + traceback.format_exc())
    outputs.append(out.getvalue())
json.dump(outputs, sys.stdout)
"""


@pytest.fixture(scope="module")
def answers():
    from app import create_app
    from webapp.config import TestConfig

    client = create_app(TestConfig).test_client()
    return {name: client.post("/api/questions", json=body).get_json() for name, body in SENTENCES.items()}


def _programs(answer):
    yield answer["flatten"]["program"]
    yield answer["return_sequences"]["program"]
    yield answer["masking"]["program"]
    yield from answer["programs"].values()


@pytest.fixture(scope="module")
def printed(answers):
    """What each program printed, by its code."""
    codes = sorted({p["code"] for a in answers.values() for p in _programs(a)})
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER], input=json.dumps(codes), capture_output=True, text=True, timeout=900,
        env={**os.environ, "KERAS_BACKEND": "jax"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(zip(codes, json.loads(done.stdout)))


@pytest.fixture()
def run(printed):
    return printed.__getitem__


# ---------------------------------------------------------------- Flatten or global pooling


def _keras_flatten_model(name: str, steps: int, features: int):
    inputs = keras.Input((steps, features))
    h = layers.LSTM(16, return_sequences=True)(inputs)
    if name == "windowed_flatten":
        h = layers.MaxPooling1D(pool_size=2, strides=1)(h)
    h = layers.Flatten()(h)
    return keras.Model(inputs, layers.Dense(1)(h))


@pytest.mark.parametrize("name", questions.FLATTEN_MODELS)
@pytest.mark.parametrize(("steps", "features"), [(6, 10), (4, 3), (2, 1), (9, 5)])
def test_flatten_parameter_counts_match_keras(name, steps, features):
    model = _keras_flatten_model(name, steps, features)
    ours = questions.flatten_summary(name, steps, features)
    assert model.count_params() == ours.total_params
    keras_rows = [(type(layer).__name__, tuple(layer.output.shape), layer.count_params()) for layer in model.layers[1:]]
    assert keras_rows == [(r.layer, r.output_shape, r.params) for r in ours.rows]
    if (steps, features) == (6, 10):
        assert ours.total_params == {"windowed_flatten": 1809, "global_flatten": 1825}[name]


@pytest.mark.parametrize("sentence", ["classic", "toy", "one-word"])
def test_flatten_program_prints_what_the_page_says(answers, run, sentence):
    program = answers[sentence]["flatten"]["program"]
    printed = run(program["code"])
    assert printed == program["prints"]
    assert answers[sentence]["flatten"]["error"] in printed


def test_flatten_cannot_be_built_for_any_length():
    inputs = keras.Input((None, 10))
    h = layers.Flatten()(layers.LSTM(16, return_sequences=True)(inputs))
    with pytest.raises(ValueError) as caught:
        layers.Dense(1, name="dense")(h)
    assert str(caught.value) == questions.VARIABLE_FLATTEN_ERROR


def test_global_pooling_takes_any_length():
    inputs = keras.Input((None, 10))
    pooled = layers.GlobalMaxPooling1D()(layers.LSTM(16, return_sequences=True)(inputs))
    assert tuple(pooled.shape) == (None, 16)
    model = keras.Model(inputs, layers.Dense(1)(pooled))
    assert model.count_params() == 1745
    for steps in (3, 7):
        assert model.predict(np.zeros((1, steps, 10), np.float32), verbose=0).shape == (1, 1)


# ---------------------------------------------------------------- max, average, both


@pytest.mark.parametrize("sentence", ["classic", "ties", "toy"])
def test_concat_program_prints_what_the_page_says(answers, run, sentence):
    program = answers[sentence]["programs"]["concat"]
    assert run(program["code"]) == program["prints"]
    views = answers[sentence]["global"]
    assert views["concat_shape"] == [1, 2 * len(views["max"])]


# ---------------------------------------------------------------- which word won


@pytest.mark.parametrize("sentence", ["classic", "ties", "toy"])
@pytest.mark.parametrize("library", ["keras", "pytorch"])
def test_argmax_programs_print_what_the_page_says(answers, run, sentence, library):
    program = answers[sentence]["programs"][f"argmax_{library}"]
    assert run(program["code"]) == program["prints"]


TIED = np.array([[[0.5, 1.0, 2.0], [0.9, 1.0, 2.0], [0.9, -1.0, 2.0], [0.1, 1.0, 2.0]]], np.float32)


def test_keras_argmax_reports_the_first_tied_row():
    first = [1, 0, 0]
    assert keras.ops.convert_to_numpy(keras.ops.argmax(TIED, axis=1)).tolist() == [first]
    assert questions.global_views(TIED[0])["argmax"] == first
    # A long tie too: every one of 300 rows holds the maximum.
    assert keras.ops.convert_to_numpy(keras.ops.argmax(np.ones((1, 300, 4), np.float32), axis=1)).tolist() == [[0] * 4]


def test_torch_argmax_and_max_indices_report_the_first_tied_row():
    x = torch.from_numpy(TIED)
    assert torch.__version__.startswith("2.13")
    assert torch.argmax(x, dim=1).tolist() == [[1, 0, 0]]
    assert x.max(dim=1).indices.tolist() == [[1, 0, 0]]
    ones = torch.ones(1, 300, 4)
    assert torch.argmax(ones, dim=1).tolist() == [[0] * 4] == ones.max(dim=1).indices.tolist()


# ---------------------------------------------------------------- return_sequences


@pytest.mark.parametrize("sentence", ["classic", "toy", "one-word"])
def test_return_sequences_program_prints_what_the_page_says(answers, run, sentence):
    body = answers[sentence]["return_sequences"]
    printed = run(body["program"]["code"])
    assert printed == body["program"]["prints"]
    assert body["error"] in printed and "expected ndim=3, found ndim=2" in printed


# ---------------------------------------------------------------- data_format


def test_keras_default_data_format_is_channels_last():
    assert layers.GlobalMaxPooling1D().data_format == "channels_last"
    assert layers.MaxPooling1D().data_format == "channels_last"
    assert keras.config.image_data_format() == "channels_last"


@pytest.mark.parametrize("sentence", ["classic", "toy"])
@pytest.mark.parametrize("library", ["keras", "pytorch"])
def test_data_format_programs_print_what_the_page_says(answers, run, sentence, library):
    program = answers[sentence]["programs"][f"data_format_{library}"]
    assert run(program["code"]) == program["prints"]


def test_torch_pools_the_last_axis():
    """PyTorch's 1-D pooling reads (N, C, L): unpermuted (N, L, C) data is pooled over the features."""
    x = np.array([[[0.7, -0.2, 0.1], [0.8, -0.3, 0.2], [0.2, -0.1, 0.4], [0.4, -0.4, 0.8]]], np.float32)
    keras_vector = keras.ops.convert_to_numpy(layers.GlobalMaxPooling1D()(x))
    xt = torch.from_numpy(x)
    pool = torch.nn.AdaptiveMaxPool1d(1)
    np.testing.assert_array_equal(pool(xt.permute(0, 2, 1)).squeeze(-1).numpy(), keras_vector)
    np.testing.assert_array_equal(torch.amax(xt.permute(0, 2, 1), dim=2).numpy(), keras_vector)
    np.testing.assert_array_equal(torch.nn.functional.max_pool1d(xt.permute(0, 2, 1), 4).squeeze(-1).numpy(), keras_vector)
    # Not permuted: the last axis (the features) is pooled, one number per word.
    np.testing.assert_array_equal(pool(xt).squeeze(-1).numpy(), x.max(axis=2))


# ---------------------------------------------------------------- masking


@pytest.mark.parametrize("sentence", ["classic", "ties", "toy", "one-word"])
def test_masking_program_prints_what_the_page_says(answers, run, sentence):
    masking = answers[sentence]["masking"]
    assert run(masking["program"]["code"]) == masking["program"]["prints"]


@pytest.mark.parametrize("sentence", ["classic", "ties", "toy", "one-word"])
def test_masked_max_is_the_max_over_the_words(answers, sentence):
    """Keras' GlobalMaxPooling1D on the padded rows, and a where(-inf) max, against the page's numbers."""
    answer, masking = answers[sentence], answers[sentence]["masking"]
    steps = len(answer["tokens"])
    padded = np.asarray(masking["x"], np.float32)[None]
    assert padded.shape == tuple(masking["padded_shape"])
    words = np.asarray(answer["x"], np.float32)[None]
    expected = keras.utils.pad_sequences(words, maxlen=padded.shape[1], dtype="float32", padding="post")
    np.testing.assert_array_equal(padded, expected)
    plain = keras.ops.convert_to_numpy(layers.GlobalMaxPooling1D()(padded))[0]
    np.testing.assert_array_equal(plain, np.float32(masking["global_max"]["output"]))
    mask = np.arange(padded.shape[1])[None] < steps
    masked = keras.ops.max(keras.ops.where(mask[..., None], padded, -np.inf), axis=1)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(masked)[0], np.float32(masking["masked_max"]["output"]))
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layers.GlobalMaxPooling1D()(words))[0], keras.ops.convert_to_numpy(masked)[0])
    # Padding won a feature exactly where the words' maximum is below zero.
    assert masking["global_max"]["padding_won"] == (np.asarray(answer["global"]["max"]) < 0).tolist()


def test_embedding_with_mask_zero_makes_the_mask():
    ids = keras.utils.pad_sequences([[4, 7, 2]], maxlen=5, padding="post")
    assert ids.tolist() == [[4, 7, 2, 0, 0]]
    assert layers.Embedding(10, 3).compute_mask(ids) is None
    mask = layers.Embedding(10, 3, mask_zero=True).compute_mask(ids)
    assert keras.ops.convert_to_numpy(mask).tolist() == [[True, True, True, False, False]]


@pytest.mark.parametrize("rnn", [layers.LSTM, layers.GRU, layers.SimpleRNN])
def test_recurrent_layers_pass_the_mask_on_only_with_return_sequences(rnn):
    keras.utils.set_random_seed(0)
    ids = keras.utils.pad_sequences([[3, 4, 5]], maxlen=5, padding="post")
    embedding = layers.Embedding(10, 3, mask_zero=True)
    vectors, mask = embedding(ids), embedding.compute_mask(ids)
    sequence = rnn(4, return_sequences=True)
    assert keras.ops.convert_to_numpy(sequence.compute_mask(vectors, mask)).tolist() == [[True, True, True, False, False]]
    assert rnn(4).compute_mask(vectors, mask) is None
    # In a model, the layer after it receives the mask: the average leaves the padded steps out.
    out = keras.ops.convert_to_numpy(sequence(vectors, mask=mask))
    pooled = keras.ops.convert_to_numpy(layers.GlobalAveragePooling1D()(out, mask=mask))
    np.testing.assert_allclose(pooled, out[:, :3].mean(axis=1), rtol=1e-6)
    model_in = keras.Input((None,), dtype="int32")
    model = keras.Model(model_in, layers.GlobalAveragePooling1D()(rnn(4, return_sequences=True)(embedding(model_in))))
    inner = model.layers[2]
    np.testing.assert_allclose(
        model.predict(ids, verbose=0), keras.ops.convert_to_numpy(inner(vectors, mask=mask))[:, :3].mean(axis=1), rtol=1e-6
    )


def test_global_max_pooling_does_not_support_masking():
    assert layers.GlobalMaxPooling1D().supports_masking is False
    assert layers.GlobalAveragePooling1D().supports_masking is True
