"""The quiz's explanations state these facts about Keras 3 (JAX backend): each proved here.

The page marks them in static/js/quiz.js (`claim: "<id>"` per kind of question).
"""
from __future__ import annotations

import itertools
import math
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

RNG = np.random.default_rng(18)
LAYERS = [keras.layers.MaxPooling1D, keras.layers.AveragePooling1D]
GLOBALS = [keras.layers.GlobalMaxPooling1D, keras.layers.GlobalAveragePooling1D]


def sample(steps, features=3):
    return RNG.normal(size=(1, steps, features)).astype(np.float32)


@pytest.mark.parametrize("layer", LAYERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize(("steps", "pool_size", "padding"), [(4, 2, "valid"), (7, 3, "valid"), (5, 2, "same"), (6, 4, "same")])
def test_strides_none_is_pool_size(layer, steps, pool_size, padding):
    x = sample(steps)
    default = np.asarray(layer(pool_size=pool_size, strides=None, padding=padding)(x))
    explicit = np.asarray(layer(pool_size=pool_size, strides=pool_size, padding=padding)(x))
    assert np.array_equal(default, explicit)


@pytest.mark.parametrize("layer", LAYERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize(("steps", "pool_size", "strides"), list(itertools.product([1, 4, 7], [1, 2, 3, 5], [1, 2, 3])))
def test_same_gives_ceil_steps_over_strides(layer, steps, pool_size, strides):
    out = layer(pool_size=pool_size, strides=strides, padding="same")(sample(steps))
    assert out.shape == (1, math.ceil(steps / strides), 3)


@pytest.mark.parametrize("layer", GLOBALS, ids=lambda c: c.__name__)
def test_keepdims_keeps_the_steps_axis_with_length_1(layer):
    x = sample(5, 4)
    assert layer(keepdims=True)(x).shape == (1, 1, 4)
    assert layer()(x).shape == (1, 4)


@pytest.mark.parametrize(("steps", "pool_size", "strides", "padding"), [(4, 2, 1, "valid"), (7, 3, 2, "same"), (6, 2, None, "valid")])
def test_max_pooling_sends_a_window_gradient_to_its_winner_only(steps, pool_size, strides, padding):
    x = sample(steps)  # continuous random values: no ties
    layer = keras.layers.MaxPooling1D(pool_size=pool_size, strides=strides, padding=padding)
    out_steps = layer(x).shape[1]
    for i, f in itertools.product(range(out_steps), range(3)):
        grad = np.asarray(jax.grad(lambda v: layer(v)[0, i, f])(jnp.asarray(x)))[0]
        (cell,) = np.argwhere(grad != 0)
        assert cell[1] == f and grad[cell[0], f] == 1.0
        assert x[0, cell[0], f] == np.asarray(layer(x))[0, i, f]


@pytest.mark.parametrize(("steps", "pool_size", "strides", "padding"), [(4, 2, 1, "valid"), (5, 3, 2, "same"), (5, 4, 1, "same")])
def test_average_pooling_shares_a_window_gradient_equally_among_its_real_words(steps, pool_size, strides, padding):
    x = sample(steps)
    layer = keras.layers.AveragePooling1D(pool_size=pool_size, strides=strides, padding=padding)
    out_steps = layer(x).shape[1]
    for i in range(out_steps):
        grad = np.asarray(jax.grad(lambda v: layer(v)[0, i, 1])(jnp.asarray(x)))[0]
        rows = np.flatnonzero(grad[:, 1])
        assert np.count_nonzero(grad) == len(rows)
        np.testing.assert_allclose(grad[rows, 1], 1 / len(rows), rtol=1e-6)


@pytest.mark.parametrize("layer", GLOBALS, ids=lambda c: c.__name__)
def test_global_pooling_ignores_the_order_of_the_words(layer):
    x = sample(6, 4)
    base = np.asarray(layer()(x))
    for _ in range(10):
        moved = x[:, RNG.permutation(6), :]
        np.testing.assert_allclose(np.asarray(layer()(moved)), base, rtol=1e-6, atol=1e-7)
