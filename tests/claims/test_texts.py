"""The page's own words about Keras, checked against real Keras 3 on JAX.

Each test proves one claim of pooling/claims.py that the texts of the tool
and of the guided sections state (issue 15): padding sides, the Embedding's
padding row, the pitfall, masks through an LSTM, ties in MaxPooling1D,
shapes and parameter counts.
"""
from __future__ import annotations

import os
import sys

import numpy as np
import pytest

if "keras" in sys.modules:
    if sys.modules["keras"].backend.backend() != "jax":
        pytest.skip("keras was already imported with another backend; these claims are about JAX",
                    allow_module_level=True)
else:
    os.environ["KERAS_BACKEND"] = "jax"

jax = pytest.importorskip("jax")
keras = pytest.importorskip("keras")
layers = keras.layers

from pooling import PRESETS  # noqa: E402
from pooling.models import model_summary  # noqa: E402


def test_pad_sequences_pads_at_the_start_by_default():
    ids = [[1, 2], [3, 4, 5]]
    assert keras.utils.pad_sequences(ids).tolist() == [[0, 1, 2], [3, 4, 5]]
    assert keras.utils.pad_sequences(ids, padding="pre").tolist() == [[0, 1, 2], [3, 4, 5]]
    assert keras.utils.pad_sequences(ids, padding="post").tolist() == [[1, 2, 0], [3, 4, 5]]


def test_embedding_row_of_the_padding_id_is_learned_and_not_zero():
    keras.utils.set_random_seed(0)
    ids = np.array([[0, 3, 0]])
    plain = layers.Embedding(10, 4)
    vectors = np.asarray(plain(ids))
    assert np.abs(vectors[0, 0]).max() > 0 and np.array_equal(vectors[0, 0], vectors[0, 2])
    assert plain.compute_mask(ids) is None
    # It is a weight like any other row: training moves it.
    assert plain.trainable_weights[0].shape == (10, 4)
    masked = layers.Embedding(10, 4, mask_zero=True)
    assert np.asarray(masked.compute_mask(ids)).tolist() == [[False, True, False]]


@pytest.mark.parametrize("padding", ["post", "pre"])
def test_zero_padding_wins_every_all_negative_feature(padding):
    sentence = np.array([[-0.6, -0.3, 0.5], [-0.2, -0.7, 0.1]], np.float32)
    batch = keras.utils.pad_sequences([sentence], maxlen=4, dtype="float32", padding=padding, value=0.0)
    out = np.asarray(layers.GlobalMaxPooling1D()(batch))[0]
    # The first two features are negative in both words: the padding's 0 is larger.
    assert out.tolist() == [0.0, 0.0, pytest.approx(0.5)]
    assert sentence.max(axis=0)[:2].tolist() == pytest.approx([-0.2, -0.3])


def test_lstm_outputs_on_padded_steps_can_win_positive_features():
    # Zero vectors after the words (no mask): the LSTM keeps running on them,
    # and some padded step holds a larger value than every real step.
    found = []
    for seed in range(5):
        keras.utils.set_random_seed(seed)
        words = np.random.default_rng(seed).normal(size=(1, 3, 4)).astype(np.float32)
        padded = np.concatenate([words, np.zeros((1, 3, 4), np.float32)], axis=1)
        out = np.asarray(layers.LSTM(8, return_sequences=True)(padded))[0]
        real, pad = out[:3].max(axis=0), out[3:].max(axis=0)
        found += [f for f in range(8) if pad[f] > real[f] and pad[f] > 0]
    assert found


def test_masked_lstm_repeats_its_last_real_output_on_post_padding():
    keras.utils.set_random_seed(0)
    ids = keras.utils.pad_sequences([[3, 4, 5]], maxlen=6, padding="post")
    embedding = layers.Embedding(10, 3, mask_zero=True)
    out = np.asarray(layers.LSTM(4, return_sequences=True)(embedding(ids)))[0]
    for t in (3, 4, 5):
        assert np.array_equal(out[t], out[2])
    # So a max over all steps equals the max over the real steps.
    assert np.array_equal(out.max(axis=0), out[:3].max(axis=0))


def test_max_pooling1d_sends_a_window_tie_to_the_first_word():
    x = jax.numpy.asarray(PRESETS["ties"].x()[None], dtype=np.float32)
    pool = layers.MaxPooling1D(pool_size=2, strides=1)
    grad = np.asarray(jax.grad(lambda v: pool(v).sum())(x))[0]
    # Window 1 holds two equal 'red's in f0: all of its gradient goes to word 1.
    assert grad[:, 0].tolist() == [1.0, 1.0, 0.0, 1.0]
    one = jax.numpy.asarray([[[0.5], [0.5]]], dtype=np.float32)
    assert np.asarray(jax.grad(lambda v: layers.MaxPooling1D(2)(v).sum())(one))[0, :, 0].tolist() == [1.0, 0.0]


@pytest.mark.parametrize("steps", [1, 4, 7])
@pytest.mark.parametrize("kind", ["max", "average"])
def test_a_window_as_long_as_the_sentence_is_the_global_layer(kind, steps):
    x = np.random.default_rng(steps).normal(size=(1, steps, 5)).astype(np.float32)
    windowed = {"max": layers.MaxPooling1D, "average": layers.AveragePooling1D}[kind](pool_size=steps, padding="valid")
    global_layer = {"max": layers.GlobalMaxPooling1D, "average": layers.GlobalAveragePooling1D}[kind]
    w = np.asarray(windowed(x))
    g = np.asarray(global_layer()(x))
    k = np.asarray(global_layer(keepdims=True)(x))
    assert w.shape == (1, 1, 5) and g.shape == (1, 5) and k.shape == (1, 1, 5)
    if kind == "max":
        assert np.array_equal(w[:, 0], g) and np.array_equal(k[:, 0], g)
    else:
        np.testing.assert_allclose(w[:, 0], g, rtol=1e-6, atol=1e-7)


def test_global_output_has_one_size_for_every_length():
    shapes = {}
    for steps in (4, 8):
        x = np.ones((1, steps, 3), np.float32)
        shapes[steps] = (layers.GlobalMaxPooling1D()(x).shape, layers.MaxPooling1D(pool_size=2)(x).shape)
    assert shapes[4][0] == shapes[8][0] == (1, 3)
    assert shapes[4][1] == (1, 2, 3) and shapes[8][1] == (1, 4, 3)


def _model(steps, features, head):
    inputs = keras.Input((steps, features))
    h = layers.LSTM(16, return_sequences=True)(inputs)
    if head == "global":
        h = layers.GlobalMaxPooling1D()(h)
    else:
        h = layers.MaxPooling1D(pool_size=2, strides=1)(h)
        h = layers.Flatten()(h) if head == "flatten" else layers.LSTM(10)(h)
    return keras.Model(inputs, layers.Dense(1)(h))


def test_flatten_then_dense_has_1809_parameters_and_one_length():
    model = _model(6, 10, "flatten")
    assert model.count_params() == 1809
    assert model.output_shape == (None, 1)
    with pytest.raises(ValueError):
        model(np.zeros((1, 7, 10), np.float32))


@pytest.mark.parametrize(("steps", "features"), [(6, 10), (4, 3), (12, 5)])
def test_model_summaries_count_what_keras_counts(steps, features):
    for name in ("windowed", "global"):
        ours = model_summary(name, steps, features)
        model = _model(steps, features, name)
        assert ours.total_params == model.count_params()
        assert [row.params for row in ours.rows] == [layer.count_params() for layer in model.layers[1:]]
        assert [row.output_shape for row in ours.rows] == [tuple(layer.output.shape) for layer in model.layers[1:]]
