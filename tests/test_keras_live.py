"""Compare ``pooling/`` with real Keras (JAX backend) on generated configurations.

The fixture test replays fixed cases; this one lets Hypothesis pick the batch,
steps, features, pool_size, strides, padding, data_format, keepdims, mask and
values, builds the Keras layer for each example and compares. It runs only
where Keras and JAX are installed (requirements-test.txt pins them).
"""

from __future__ import annotations

import math
import os
import sys
from typing import Any

import numpy as np
import pytest

if "keras" in sys.modules:
    if sys.modules["keras"].backend.backend() != "jax":
        pytest.skip(
            "keras was already imported with the "
            f"{sys.modules['keras'].backend.backend()!r} backend; these tests need jax",
            allow_module_level=True,
        )
else:
    # Keras reads its backend once, at import time.
    os.environ["KERAS_BACKEND"] = "jax"

pytest.importorskip("jax", reason="jax is needed as Keras' backend for the live comparison")
keras = pytest.importorskip("keras", reason="keras is needed for the live comparison with real layers")

from hypothesis import given, note, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

from pooling import (  # noqa: E402
    average_pooling1d,
    global_average_pooling1d,
    global_max_pooling1d,
    max_pooling1d,
)

EXAMPLES = settings(max_examples=200, deadline=None)

FINITE = st.one_of(
    st.floats(-10, 10, width=32, allow_subnormal=False),
    st.sampled_from([-2.0, -1.0, 0.0, 1.0, 2.0]),  # ties
)
NONFINITE = st.sampled_from([math.nan, math.inf, -math.inf])


@st.composite
def inputs(draw: st.DrawFn, data_format: str) -> np.ndarray:
    """A float32 batch in ``data_format`` layout; some batches hold NaN or +-inf."""
    batch = draw(st.integers(1, 3))
    steps = draw(st.integers(1, 10))
    features = draw(st.integers(1, 4))
    shape = (batch, steps, features) if data_format == "channels_last" else (batch, features, steps)
    elements = FINITE | NONFINITE if draw(st.booleans()) else FINITE
    return draw(hnp.arrays(np.float32, shape, elements=elements))


@st.composite
def pooling_examples(draw: st.DrawFn) -> tuple[np.ndarray, dict[str, Any]]:
    data_format = draw(st.sampled_from(["channels_last", "channels_first"]))
    kwargs = {
        "pool_size": draw(st.integers(1, 6)),
        "strides": draw(st.none() | st.integers(1, 4)),
        "padding": draw(st.sampled_from(["valid", "same"])),
        "data_format": data_format,
    }
    return draw(inputs(data_format)), kwargs


@st.composite
def global_examples(draw: st.DrawFn) -> tuple[np.ndarray, dict[str, Any]]:
    data_format = draw(st.sampled_from(["channels_last", "channels_first"]))
    kwargs = {"data_format": data_format, "keepdims": draw(st.booleans())}
    return draw(inputs(data_format)), kwargs


def _show(x: np.ndarray, kwargs: dict[str, Any]) -> None:
    """Put the input and arguments in the report of a falsifying example."""
    note(f"kwargs={kwargs!r}")
    note(f"x={np.array2string(x, separator=', ', floatmode='unique')}")


def _steps(x: np.ndarray, data_format: str) -> int:
    return x.shape[1 if data_format == "channels_last" else 2]


def keras_output(layer: keras.layers.Layer, x: np.ndarray, **call_kwargs: Any) -> np.ndarray:
    return keras.ops.convert_to_numpy(layer(x, **call_kwargs))


def average_tolerance(x: np.ndarray, count: int) -> dict[str, float]:
    """Same bound as tests/test_keras_conformance.py: summation order only.

    Each float32 average of ``count`` values is within
    (count - 1) * 2**-24 * max|x| of the true mean, so two correct ones are
    within twice that; rtol decides away from zero, atol where values cancel.
    """
    finite = np.abs(x[np.isfinite(x)])
    largest = float(finite.max()) if finite.size else 0.0
    return {"rtol": 1e-6, "atol": 1e-7 + 2 * (count - 1) * 2.0**-24 * largest}


def assert_max_matches(actual: np.ndarray, expected: np.ndarray) -> None:
    assert actual.shape == expected.shape
    assert actual.dtype == np.float32
    np.testing.assert_array_equal(actual, expected)  # NaN equals NaN here


def assert_average_matches(actual: np.ndarray, expected: np.ndarray, x: np.ndarray, count: int) -> None:
    assert actual.shape == expected.shape
    assert actual.dtype == np.float32
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected), err_msg="NaN positions")
    np.testing.assert_allclose(actual, expected, **average_tolerance(x, count))


def _refuses_empty_output(function: Any, x: np.ndarray, kwargs: dict[str, Any]) -> bool:
    """pool_size > steps with "valid": JAX returns an empty array, we raise."""
    if kwargs["padding"] == "valid" and kwargs["pool_size"] > _steps(x, kwargs["data_format"]):
        with pytest.raises(ValueError, match="pool_size"):
            function(x, **kwargs)
        return True
    return False


@EXAMPLES
@given(pooling_examples())
def test_max_pooling1d_matches_keras(example: tuple[np.ndarray, dict[str, Any]]) -> None:
    x, kwargs = example
    _show(x, kwargs)
    if _refuses_empty_output(max_pooling1d, x, kwargs):
        return
    expected = keras_output(keras.layers.MaxPooling1D(**kwargs), x)
    assert_max_matches(np.asarray(max_pooling1d(x, **kwargs)), expected)


@EXAMPLES
@given(pooling_examples())
def test_average_pooling1d_matches_keras(example: tuple[np.ndarray, dict[str, Any]]) -> None:
    x, kwargs = example
    _show(x, kwargs)
    if _refuses_empty_output(average_pooling1d, x, kwargs):
        return
    expected = keras_output(keras.layers.AveragePooling1D(**kwargs), x)
    actual = np.asarray(average_pooling1d(x, **kwargs))
    assert_average_matches(actual, expected, x, kwargs["pool_size"])


@EXAMPLES
@given(global_examples())
def test_global_max_pooling1d_matches_keras(example: tuple[np.ndarray, dict[str, Any]]) -> None:
    x, kwargs = example
    _show(x, kwargs)
    expected = keras_output(keras.layers.GlobalMaxPooling1D(**kwargs), x)
    assert_max_matches(np.asarray(global_max_pooling1d(x, **kwargs)), expected)


@EXAMPLES
@given(global_examples(), st.data())
def test_global_average_pooling1d_matches_keras(
    example: tuple[np.ndarray, dict[str, Any]], data: st.DataObject
) -> None:
    x, kwargs = example
    _show(x, kwargs)
    steps = _steps(x, kwargs["data_format"])
    mask = data.draw(st.none() | hnp.arrays(np.bool_, (x.shape[0], steps)), label="mask")
    call_kwargs = {} if mask is None else {"mask": mask}
    expected = keras_output(keras.layers.GlobalAveragePooling1D(**kwargs), x, **call_kwargs)
    actual = np.asarray(global_average_pooling1d(x, **kwargs, **call_kwargs))
    assert_average_matches(actual, expected, x, steps)
