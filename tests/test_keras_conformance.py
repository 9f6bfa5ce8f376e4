"""Replay the real-Keras fixture against ``pooling/``.

``tests/fixtures/keras_pooling.json`` was written by
``tools/make_keras_fixtures.py`` from Keras' own layers on the JAX backend; this
test needs neither Keras nor JAX. Max layers must match bit for bit (they only
pick values); average layers may differ by float32 summation order.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pooling import (
    average_pooling1d,
    global_average_pooling1d,
    global_max_pooling1d,
    max_pooling1d,
)

FIXTURE = Path(__file__).parent / "fixtures" / "keras_pooling.json"

FUNCTIONS = {
    "MaxPooling1D": max_pooling1d,
    "AveragePooling1D": average_pooling1d,
    "GlobalMaxPooling1D": global_max_pooling1d,
    "GlobalAveragePooling1D": global_average_pooling1d,
}
MAX_LAYERS = {"MaxPooling1D", "GlobalMaxPooling1D"}

# The fixture header documents this encoding of what JSON cannot hold.
NONFINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(part) for part in value]
    if isinstance(value, str):
        return NONFINITE[value]
    return value


def _load() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text())


CASES = _load()["cases"]


def _array(case: dict[str, Any], key: str) -> np.ndarray:
    return np.asarray(_decode(case[key]), dtype=np.float32)


def average_tolerance(x: np.ndarray, count: int) -> dict[str, float]:
    """rtol and atol for an average of ``count`` float32 values drawn from ``x``.

    Two correct float32 averages can differ by the order of the additions: each
    is within (count - 1) * 2**-24 * sum|x_i| / count of the true mean, so two
    of them within twice that. Far from zero rtol=1e-6 decides; near zero (a
    window whose values cancel) the atol does, and it stays small: about 1e-6
    for the fixtures' values, far below any wrong window or wrong divisor.
    """
    finite = np.abs(x[np.isfinite(x)])
    largest = float(finite.max()) if finite.size else 0.0
    return {"rtol": 1e-6, "atol": 1e-7 + 2 * (count - 1) * 2.0**-24 * largest}


def _averaged_count(case: dict[str, Any], x: np.ndarray) -> int:
    """How many values one output averages, at most."""
    kwargs = case["kwargs"]
    if "pool_size" in kwargs:
        return kwargs["pool_size"]
    return x.shape[1 if kwargs["data_format"] == "channels_last" else 2]


def assert_matches_keras(
    layer: str, x: np.ndarray, actual: np.ndarray, expected: np.ndarray, count: int
) -> None:
    """Shape, dtype and values as the module docstring says; NaNs where Keras has them."""
    assert actual.shape == expected.shape
    assert actual.dtype == np.float32
    if layer in MAX_LAYERS:
        np.testing.assert_array_equal(actual, expected)
    else:
        np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected), err_msg="NaN positions")
        np.testing.assert_allclose(actual, expected, **average_tolerance(x, count))


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_matches_keras(case: dict[str, Any]) -> None:
    function = FUNCTIONS[case["layer"]]
    x = _array(case, "input")
    kwargs = dict(case["kwargs"])
    if "mask" in case:
        kwargs["mask"] = np.asarray(case["mask"], dtype=bool)

    if "expect_error" in case:
        assert case["expect_error"] == "ValueError"
        with pytest.raises(ValueError, match="pool_size"):
            function(x, **kwargs)
        return

    actual = np.asarray(function(x, **kwargs))
    expected = _array(case, "expected").reshape(case["expected_shape"])
    assert list(actual.shape) == case["expected_shape"]
    assert_matches_keras(case["layer"], x, actual, expected, _averaged_count(case, x))


def test_fixture_covers_what_it_claims() -> None:
    fixture = _load()
    header, cases = fixture["header"], fixture["cases"]
    assert header["backend"] == "jax"
    assert header["case_count"] == len(cases) >= 300
    assert len({case["id"] for case in cases}) == len(cases)

    compared = [case for case in cases if "expect_error" not in case]
    assert {case["layer"] for case in compared} == set(FUNCTIONS)
    for layer in FUNCTIONS:
        formats = {case["kwargs"]["data_format"] for case in compared if case["layer"] == layer}
        assert formats == {"channels_last", "channels_first"}, layer
    for layer in ("MaxPooling1D", "AveragePooling1D"):
        of_layer = [case for case in compared if case["layer"] == layer]
        assert {case["kwargs"]["padding"] for case in of_layer} == {"valid", "same"}
        assert {case["kwargs"]["strides"] for case in of_layer} == {None, 1, 2, 3, 4}
        assert {case["kwargs"]["pool_size"] for case in of_layer} == set(range(1, 7))
        assert any("pool_size>steps" in case["tags"] for case in of_layer)
        assert any(case["layer"] == layer for case in cases if "expect_error" in case)
    for layer in ("GlobalMaxPooling1D", "GlobalAveragePooling1D"):
        keepdims = {case["kwargs"]["keepdims"] for case in compared if case["layer"] == layer}
        assert keepdims == {False, True}

    tags = {tag for case in compared for tag in case["tags"]}
    assert {
        "negative", "ties", "nan", "inf", "odd_total_padding",
        "mask_all_masked_row", "mask_nan_masked", "mask_nan_unmasked",
    } <= tags
    assert any(
        "odd_total_padding" in case["tags"] for case in compared if case["layer"] == "AveragePooling1D"
    )
    assert any(len(case["input"]) > 1 for case in compared), "no batch above 1"
