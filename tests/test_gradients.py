"""The backward pass against hand-worked arrays and against ``jax.vjp`` through real Keras.

``tests/fixtures/keras_teaching.json`` (``tools/make_keras_teaching_fixtures.py``)
records, for each case, the input, the upstream gradient and what ``jax.vjp``
through the Keras layer returned. Max layers only route values, so they must
match bit for bit; average layers divide, and XLA's float32 division is not
always correctly rounded (it is sometimes a multiplication by the
reciprocal), so they may differ by a few units in the last place.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pooling import (
    average_pooling1d_grad,
    global_average_pooling1d_grad,
    global_max_pooling1d_grad,
    max_pooling1d,
    max_pooling1d_grad,
    max_pooling1d_routes,
)

FIXTURE = Path(__file__).parent / "fixtures" / "keras_teaching.json"
DOCUMENT = json.loads(FIXTURE.read_text())
NONFINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
GRADIENTS = {
    "MaxPooling1D": max_pooling1d_grad,
    "AveragePooling1D": average_pooling1d_grad,
    "GlobalMaxPooling1D": global_max_pooling1d_grad,
    "GlobalAveragePooling1D": global_average_pooling1d_grad,
}


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(part) for part in value]
    return NONFINITE[value] if isinstance(value, str) else value


def array(value: Any) -> np.ndarray:
    return np.asarray(decode(value), dtype=np.float32)


def test_fixture_comes_from_the_pinned_keras_on_jax():
    header = DOCUMENT["header"]
    assert header["backend"] == "jax"
    assert header["keras_version"] == "3.15.1"
    assert header["jax_version"] == "0.10.2"
    assert header["gradient_case_count"] == len(DOCUMENT["gradients"]) >= 300


def test_fixture_covers_what_the_brief_asks_for():
    tags = {tag for case in DOCUMENT["gradients"] for tag in case["tags"]}
    assert {"ties", "overlapping", "nan", "neginf", "upstream_random", "upstream_ones",
            "mask_random", "mask_all_masked_row", "constant"} <= tags
    kwargs = [case["kwargs"] for case in DOCUMENT["gradients"]]
    assert {k.get("padding") for k in kwargs} >= {"valid", "same"}
    assert {k["data_format"] for k in kwargs} == {"channels_last", "channels_first"}
    assert {k.get("keepdims") for k in kwargs} >= {True, False}


@pytest.mark.parametrize("case", DOCUMENT["gradients"], ids=lambda case: case["id"])
def test_gradient_matches_jax_vjp_through_keras(case):
    x, upstream = array(case["input"]), array(case["upstream"])
    expected = array(case["expected_grad"])
    kwargs = dict(case["kwargs"])
    if "mask" in case:
        kwargs["mask"] = case["mask"]
    grad = GRADIENTS[case["layer"]](x, upstream, **kwargs)
    assert grad.dtype == np.float32 and grad.shape == x.shape == expected.shape
    if "Max" in case["layer"]:
        same = (grad.view(np.uint32) == expected.view(np.uint32)) | (np.isnan(grad) & np.isnan(expected))
        assert same.all(), f"{grad.tolist()} != {expected.tolist()}"
    else:
        # A few float32 ulps of the largest upstream value: sums of shares may cancel.
        scale = float(np.nanmax(np.abs(upstream), initial=0.0))
        np.testing.assert_allclose(grad, expected, rtol=4e-7, atol=scale * 2.0**-21, equal_nan=True)


# Hand-worked: x = [1, 1, 1, 0, 2, 2] (one feature), upstream ones.
TIES = [[[1.0], [1.0], [1.0], [0.0], [2.0], [2.0]]]


@pytest.mark.parametrize(
    ("pool_size", "strides", "padding", "expected"),
    [
        # windows [0,1] [1,2] [2,3] [3,4] [4,5]: the first of tied rows wins
        (2, 1, "valid", [1, 1, 1, 0, 2, 0]),
        (3, 1, "valid", [1, 1, 0, 0, 2, 0]),
        (2, 2, "valid", [1, 0, 1, 0, 1, 0]),
        # one padded row on the left: windows [-1..1] [0..2] [1..3] [2..4] [3..5] [4..6]
        (3, 1, "same", [2, 1, 0, 0, 3, 0]),
        (2, 1, "same", [1, 1, 1, 0, 2, 1]),
    ],
)
def test_windowed_max_gives_a_tie_to_the_first_row(pool_size, strides, padding, expected):
    upstream = np.ones_like(max_pooling1d(TIES, pool_size, strides, padding))
    grad = max_pooling1d_grad(TIES, upstream, pool_size, strides, padding)
    assert grad[0, :, 0].tolist() == expected


def test_global_max_splits_a_tie_equally():
    grad = global_max_pooling1d_grad(TIES, [[1.0]])
    assert grad[0, :, 0].tolist() == [0, 0, 0, 0, 0.5, 0.5]
    grad = global_max_pooling1d_grad([[[0.0], [-0.0]]], [[3.0]])
    assert grad[0, :, 0].tolist() == [1.5, 1.5]


def test_a_nan_maximum_gives_nan_to_every_step():
    grad = global_max_pooling1d_grad([[[np.nan, 1.0], [1.0, 2.0]]], [[1.0, 1.0]])
    assert np.isnan(grad[0, :, 0]).all() and grad[0, :, 1].tolist() == [0.0, 1.0]


def test_windowed_max_walks_past_nan_and_onto_it():
    # [nan, 1] -> row 1 (nan >= 1 is false); [1, nan] -> row 2 (1 >= nan is false)
    x = [[[np.nan], [1.0], [np.nan]]]
    assert max_pooling1d_routes(x, 2, 1)[0, :, 0].tolist() == [1, 2]
    assert max_pooling1d_grad(x, [[[1.0], [1.0]]], 2, 1)[0, :, 0].tolist() == [0, 1, 1]


def test_a_padded_minus_inf_can_take_the_gradient_and_lose_it():
    x = [[[-np.inf], [-np.inf], [-np.inf]]]
    # pool 3, strides 1, same: one pad on each side; window 0 keeps its padded first cell
    assert max_pooling1d_routes(x, 3, 1, "same")[0, :, 0].tolist() == [-1, 0, 1]
    assert max_pooling1d_grad(x, np.ones((1, 3, 1)), 3, 1, "same")[0, :, 0].tolist() == [1, 1, 0]


def test_overlapping_windows_accumulate():
    x = [[[0.0], [5.0], [0.0], [1.0]]]
    upstream = [[[1.0], [10.0], [100.0]]]
    assert max_pooling1d_grad(x, upstream, 2, 1)[0, :, 0].tolist() == [0, 11, 0, 100]
    assert average_pooling1d_grad(x, upstream, 2, 1)[0, :, 0].tolist() == [0.5, 5.5, 55, 50]


def test_channels_first_and_keepdims():
    x = np.array([[[1.0, 3.0, 2.0]]])  # (batch, features, steps)
    assert max_pooling1d_grad(x, [[[7.0]]], 2, 2, data_format="channels_first").tolist() == [[[0, 7, 0]]]
    grad = global_average_pooling1d_grad(x, [[[3.0]]], "channels_first", keepdims=True)
    assert grad.tolist() == [[[1.0, 1.0, 1.0]]]


def test_masked_average_gives_nothing_to_masked_steps_even_when_all_are():
    x = np.zeros((2, 3, 1))
    grad = global_average_pooling1d_grad(x, [[1.0], [1.0]], mask=[[True, False, True], [False] * 3])
    assert grad[:, :, 0].tolist() == [[0.5, 0.0, 0.5], [0.0, 0.0, 0.0]]


@pytest.mark.parametrize(
    ("function", "args", "message"),
    [
        (max_pooling1d_grad, ([[[1.0], [2.0]]], [[[1.0], [1.0]]]), r"upstream must have the layer's output shape \(1, 1, 1\)"),
        (average_pooling1d_grad, ([[[1.0], [2.0]]], [[[1.0]]], 0), "pool_size must be a positive integer"),
        (max_pooling1d_grad, ([[1.0], [2.0]], [[1.0]]), "x must be 3-D"),
        (max_pooling1d_grad, ([[[1.0], [2.0]]], [[[1.0]]], 3), "pool_size=3 is larger than the 2 steps"),
        (global_max_pooling1d_grad, ([[[1.0], [2.0]]], [[[1.0]]]), r"upstream must have the layer's output shape \(1, 1\)"),
        (global_max_pooling1d_grad, ([[[1.0], [2.0]]], [[1.0]], "nhwc"), "data_format must be"),
        (global_average_pooling1d_grad, ([[[1.0], [2.0]]], [[1.0]], "channels_last", False, [[True]]), "mask must have shape"),
    ],
)
def test_bad_arguments_name_the_argument(function, args, message):
    with pytest.raises(ValueError, match=message):
        function(*args)
