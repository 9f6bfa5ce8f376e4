"""The four layers against arrays worked out by hand, and every error message."""
from __future__ import annotations

import numpy as np
import pytest

from pooling import (
    ArgumentError,
    average_pooling1d,
    global_average_pooling1d,
    global_max_pooling1d,
    max_pooling1d,
    output_length_formula,
    resolve_geometry,
)

CLASSIC = np.array([[[0.7, -0.2, 0.1], [0.8, -0.3, 0.2], [0.2, -0.1, 0.4], [0.4, -0.4, 0.8]]])
F32 = np.float32


def test_classic_max_pooling_stride_1():
    result = max_pooling1d(CLASSIC, pool_size=2, strides=1)
    expected = np.array([[[0.8, -0.2, 0.2], [0.8, -0.1, 0.4], [0.4, -0.1, 0.8]]], F32)
    assert result.dtype == np.float32
    np.testing.assert_array_equal(result, expected)


def test_classic_global_max_is_no_single_word():
    result = global_max_pooling1d(CLASSIC)
    np.testing.assert_array_equal(result, np.array([[0.8, -0.1, 0.8]], F32))
    assert not (CLASSIC[0].astype(F32) == result[0]).all(axis=1).any()


def test_strides_none_means_pool_size():
    x = np.arange(6, dtype=F32).reshape(1, 6, 1)
    np.testing.assert_array_equal(max_pooling1d(x, 2), [[[1], [3], [5]]])
    np.testing.assert_array_equal(max_pooling1d(x, 2, strides=None), max_pooling1d(x, 2, strides=2))


@pytest.mark.parametrize(
    ("steps", "pool_size", "strides", "padding", "out", "left", "right"),
    [
        (4, 2, 1, "valid", 3, 0, 0),
        (5, 2, 2, "valid", 2, 0, 0),
        (5, 2, 2, "same", 3, 0, 1),
        (4, 3, 1, "same", 4, 1, 1),
        (4, 4, 1, "same", 4, 1, 2),
        (1, 6, 1, "same", 1, 2, 3),
        (5, 1, 4, "same", 2, 0, 0),
        (7, 3, 3, "SAME", 3, 1, 1),
    ],
)
def test_geometry(steps, pool_size, strides, padding, out, left, right):
    g = resolve_geometry(steps, pool_size, strides, padding)
    assert (g.out_steps, g.pad_left, g.pad_right) == (out, left, right)
    assert g.padding == padding.lower()
    # Every window holds at least one real cell, so max and mean are defined.
    assert (g.counts() >= 1).all()


def test_same_padding_max_ignores_padding():
    # All negative: a zero pad would win if padding counted.
    x = np.array([[[-0.3], [-0.6], [-0.1]]], F32)
    np.testing.assert_array_equal(max_pooling1d(x, 2, 2, "same"), np.array([[[-0.3], [-0.1]]], F32))


def test_same_padding_average_divides_by_real_cells():
    # steps 4, pool 3, strides 1: one pad each side.
    x = np.array([[[1.0], [2.0], [4.0], [8.0]]], F32)
    result = average_pooling1d(x, 3, 1, "same")
    np.testing.assert_allclose(result, [[[1.5], [7 / 3], [14 / 3], [6.0]]], rtol=1e-6)


def test_average_valid_with_strides():
    x = np.array([[[1.0, 0.0], [3.0, 2.0], [5.0, 4.0], [7.0, 6.0], [9.0, 8.0]]], F32)
    np.testing.assert_allclose(average_pooling1d(x, 2, 2), [[[2.0, 1.0], [6.0, 5.0]]])


def test_channels_first_is_the_transpose():
    x = np.random.default_rng(0).normal(size=(2, 7, 3)).astype(F32)
    xt = x.transpose(0, 2, 1)
    for layer in (max_pooling1d, average_pooling1d):
        expected = layer(x, 3, 2, "same").transpose(0, 2, 1)
        np.testing.assert_array_equal(layer(xt, 3, 2, "same", "channels_first"), expected)
    assert global_max_pooling1d(xt, "channels_first", keepdims=True).shape == (2, 3, 1)
    assert global_max_pooling1d(x, keepdims=True).shape == (2, 1, 3)
    np.testing.assert_array_equal(global_max_pooling1d(xt, "channels_first"), global_max_pooling1d(x))


def test_nan_propagates():
    x = np.array([[[1.0], [np.nan], [0.5], [2.0]]], F32)
    result = max_pooling1d(x, 2, 1)
    assert np.isnan(result[0, :2, 0]).all() and result[0, 2, 0] == 2.0
    assert np.isnan(average_pooling1d(x, 2, 2)[0, 0, 0])
    assert np.isnan(global_max_pooling1d(x)[0, 0])


def test_global_average_mask():
    x = np.array([[[1.0], [np.nan], [6.0]], [[4.0], [np.nan], [0.0]]], F32)
    mask = np.array([[True, False, True], [False, False, False]])
    result = global_average_pooling1d(x, mask=mask)
    assert result[0, 0] == 3.5  # the NaN at the masked step is dropped
    assert np.isnan(result[1, 0])  # all masked: 0 / 0, as in Keras
    kept = global_average_pooling1d(x, mask=mask, keepdims=True)
    assert kept.shape == (2, 1, 1)


def test_formula_text():
    assert output_length_formula(resolve_geometry(7, 3, 2, "valid")).endswith("floor((7 - 3) / 2) + 1 = 3")
    assert output_length_formula(resolve_geometry(7, 3, 2, "same")).endswith("ceil(7 / 2) = 4")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"pool_size": 0}, r"pool_size must be a positive integer, got 0"),
        ({"pool_size": -2}, r"pool_size must be a positive integer, got -2"),
        ({"pool_size": 2.0}, r"pool_size must be a positive integer, got 2\.0"),
        ({"pool_size": True}, r"pool_size must be a positive integer, got True"),
        ({"pool_size": "2"}, r"pool_size must be a positive integer, got '2'"),
        ({"strides": 0}, r"strides must be a positive integer, got 0"),
        ({"strides": False}, r"strides must be a positive integer, got False"),
        ({"strides": 1.5}, r"strides must be a positive integer, got 1\.5"),
        ({"padding": "full"}, r"padding must be \"valid\" or \"same\", got 'full'"),
        ({"padding": None}, r"padding must be \"valid\" or \"same\", got None"),
        ({"data_format": "NWC"}, r"data_format must be .* got 'NWC'"),
        ({"pool_size": 5}, r"pool_size=5 is larger than the 4 steps .*padding=\"same\".*at most 4"),
    ],
)
@pytest.mark.parametrize("layer", [max_pooling1d, average_pooling1d])
def test_pooling_errors(layer, kwargs, match):
    with pytest.raises(ArgumentError, match=match) as caught:
        layer(CLASSIC, **{"pool_size": 2, **kwargs})
    # The argument to blame is data, not a word to parse out of the message.
    assert caught.value.argument == next(iter(kwargs))
    assert isinstance(caught.value, ValueError)
    assert str(caught.value).endswith(".")


@pytest.mark.parametrize("form", [(2,), [2], (np.int64(2),)])
@pytest.mark.parametrize("layer", [max_pooling1d, average_pooling1d])
def test_pool_size_and_strides_as_one_element_tuples_or_lists(layer, form):
    # Keras' own pooling tests write pool_size=(2,), strides=(1,).
    np.testing.assert_array_equal(layer(CLASSIC, pool_size=form, strides=[1]), layer(CLASSIC, 2, 1))
    np.testing.assert_array_equal(layer(CLASSIC, pool_size=3, strides=form), layer(CLASSIC, 3, 2))
    assert resolve_geometry(4, form, form) == resolve_geometry(4, 2, 2)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"pool_size": (2, 2)}, r"pool_size must be a positive integer, or a tuple or list of one, got \(2, 2\)\.$"),
        ({"pool_size": ()}, r"pool_size must be .* or a tuple or list of one, got \(\)\.$"),
        ({"pool_size": [0]}, r"pool_size must be .* got \[0\]\.$"),
        ({"pool_size": (True,)}, r"pool_size must be .* got \(True,\)\.$"),
        ({"strides": [1.0]}, r"strides must be .* got \[1\.0\]\.$"),
        ({"strides": (1, 1)}, r"strides must be .* got \(1, 1\)\.$"),
    ],
)
def test_tuple_forms_keras_rejects_too(kwargs, match):
    with pytest.raises(ArgumentError, match=match) as caught:
        max_pooling1d(CLASSIC, **{"pool_size": 2, **kwargs})
    assert caught.value.argument == next(iter(kwargs))


@pytest.mark.parametrize("layer", [max_pooling1d, average_pooling1d, global_max_pooling1d, global_average_pooling1d])
@pytest.mark.parametrize(("shape", "match"), [((4, 3), r"x must be 3-D .* got shape \(4, 3\)"), ((1, 0, 3), "at least one step")])
def test_x_must_be_3d_with_steps(layer, shape, match):
    with pytest.raises(ArgumentError, match=match) as caught:
        layer(np.zeros(shape))
    assert caught.value.argument == "x"
    assert str(caught.value).endswith(".")


def test_global_errors():
    with pytest.raises(ArgumentError, match=r"data_format must be .*got 'channels_middle'\.$") as caught:
        global_max_pooling1d(CLASSIC, data_format="channels_middle")
    assert caught.value.argument == "data_format"
    with pytest.raises(ArgumentError, match=r"mask must have shape \(batch, steps\) = \(1, 4\), got \(4,\)\.$") as caught:
        global_average_pooling1d(CLASSIC, mask=[True] * 4)
    assert caught.value.argument == "mask"


@pytest.mark.parametrize("bound", [np.finfo(np.float32).tiny, 2.0**-100])
@pytest.mark.parametrize("position", [0, (1 << 18) - 1, 1 << 18, 600_000 - 1])
def test_the_small_value_check_reads_the_bits_as_abs_would(bound, position):
    # The layers' check after every large max and sum (integer minimums over the
    # float32 bits), against the plain definition, either side of its chunks.
    from pooling.layers import _any_small

    rng = np.random.default_rng(position)
    x = rng.uniform(1, 2, 600_000).astype(np.float32) * rng.choice(np.float32([-1, 1]), 600_000)
    x[::7] = np.float32(bound)  # at the bound is not below it
    x[1::7] = -np.float32(bound)
    x[2::7] = np.nan
    assert not _any_small(x, bound)
    below = np.nextafter(np.float32(bound), np.float32(0))
    for value in (0.0, -0.0, below, -below, np.float32(1e-45), np.float32(-1e-45)):
        y = x.copy()
        y[position] = value
        assert _any_small(y, bound) == bool((np.abs(y) < bound).any()) == (abs(value) < bound)
