"""The engine against real Keras on JAX (CPU) on seeded random cases, forward and gradient.

Values include subnormals (which XLA on a CPU reads and writes as zeros of
their sign), signed zeros, ties, NaN and +-inf; upstream gradients include
subnormals and signed zeros. Every configuration of every layer is run on a
batch of several random sequences in one Keras call (``jax.vjp`` gives the
output and the gradient together), so the 64 configurations compile once
each and the 512 cases (sequences) run in seconds.

What must agree, and why:

* **Max layers, output and gradient: bit for bit**, the sign of every zero
  included. They only pick and route values (a windowed max's gradient adds
  the upstream values of the windows a cell won, in window order, as XLA's
  select_and_scatter does).
* **Average layers, output and gradient: within float32 rounding of XLA's
  order of additions**, and NaN, +-inf and the sign of a zero exactly where
  Keras has them. Both sides add the same float32 numbers, possibly in a
  different order; each float32 sum of m terms is within (m - 1) * 2**-24 *
  sum|terms| of the exact sum (the standard bound for recursive summation),
  so two such sums are within twice that, and the final multiplication by
  the divisor's reciprocal adds a rounding of 2**-24 relative on each side
  (so a single share, upstream / count, may differ by that much: XLA
  sometimes divides, sometimes multiplies by the reciprocal).
  An intermediate sum that falls below 2**-126 is flushed to zero by XLA and
  not by NumPy, which moves the result by at most 2**-126 per addition.
  ``_sum_bound`` adds these up, per output cell.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

if "keras" in sys.modules:
    if sys.modules["keras"].backend.backend() != "jax":
        pytest.skip("keras was imported with another backend; these tests need jax", allow_module_level=True)
else:
    os.environ["KERAS_BACKEND"] = "jax"  # Keras reads its backend once, at import time.

jax = pytest.importorskip("jax", reason="jax is Keras' backend for the comparison")
keras = pytest.importorskip("keras", reason="keras is needed for the comparison with real layers")

from pooling import (  # noqa: E402
    average_pooling1d,
    average_pooling1d_grad,
    global_average_pooling1d,
    global_average_pooling1d_grad,
    global_max_pooling1d,
    global_max_pooling1d_grad,
    max_pooling1d,
    max_pooling1d_grad,
)

SEED = 20261129
CONFIGURATIONS = 64
BATCH = 8  # random sequences per configuration: 512 cases in all
U = 2.0**-24  # float32 unit roundoff
TINY = 2.0**-126  # smallest normal float32

ENGINE = {
    "MaxPooling1D": (max_pooling1d, max_pooling1d_grad),
    "AveragePooling1D": (average_pooling1d, average_pooling1d_grad),
    "GlobalMaxPooling1D": (global_max_pooling1d, global_max_pooling1d_grad),
    "GlobalAveragePooling1D": (global_average_pooling1d, global_average_pooling1d_grad),
}


@dataclass
class Case:
    layer: str
    kwargs: dict[str, Any]
    x: np.ndarray  # in data_format layout, (BATCH, ...)
    upstream: np.ndarray  # Keras' output layout
    mask: np.ndarray | None = None
    seen: dict[str, np.ndarray] = field(default_factory=dict)

    def __str__(self) -> str:
        mask = "" if self.mask is None else f", mask={self.mask.tolist()}"
        return f"{self.layer}({self.kwargs}){mask} on x={self.x.tolist()}"


def _values(rng: np.random.Generator, shape: tuple[int, ...], special: bool) -> np.ndarray:
    """Random float32 values: normal ones, ties, and (if ``special``) the edges of float32."""
    normal = rng.standard_normal(shape).astype(np.float32)
    pick = rng.random(shape)
    ties = rng.choice(np.array([-1.0, 0.0, 0.5, 1.0], np.float32), shape)
    subnormal = (rng.choice([-1, 1], shape) * rng.uniform(2.0**-149, TINY, shape)).astype(np.float32)
    edges = rng.choice(
        np.array([0.0, -0.0, 1e-45, -1e-45, 1e-40, -1e-40, 2e-38, -2e-38, np.nan, np.inf, -np.inf], np.float32),
        shape,
    )
    values = np.where(pick < 0.25, ties, normal)
    if special:
        values = np.where(pick > 0.55, subnormal, values)
        values = np.where(pick > 0.8, edges, values)
    return values.astype(np.float32)


def _upstream(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Finite upstream gradients (as the API takes), with subnormals and signed zeros."""
    pick = rng.random(shape)
    values = rng.standard_normal(shape).astype(np.float32)
    edges = rng.choice(np.array([0.0, -0.0, 1e-40, -1e-40, 3e-38, -1.0], np.float32), shape)
    return np.where(pick > 0.7, edges, values).astype(np.float32)


def _keras_layer(case: Case) -> keras.layers.Layer:
    return getattr(keras.layers, case.layer)(**case.kwargs)


def make_cases() -> list[Case]:
    rng = np.random.default_rng(SEED)
    layers = list(ENGINE)
    cases = []
    for i in range(CONFIGURATIONS):
        layer = layers[i % 4]
        data_format = str(rng.choice(["channels_last", "channels_first"]))
        steps, features = int(rng.integers(1, 10)), int(rng.integers(1, 4))
        kwargs: dict[str, Any] = {"data_format": data_format}
        if layer in ("MaxPooling1D", "AveragePooling1D"):
            padding = str(rng.choice(["valid", "same"]))
            pool_size = int(rng.integers(1, (steps if padding == "valid" else 7) + 1))
            strides = None if rng.random() < 0.25 else int(rng.integers(1, 5))
            kwargs.update(pool_size=pool_size, strides=strides, padding=padding)
        else:
            kwargs["keepdims"] = bool(rng.random() < 0.5)
        shape = (BATCH, steps, features) if data_format == "channels_last" else (BATCH, features, steps)
        x = _values(rng, shape, special=rng.random() < 0.8)
        mask = None
        if layer == "GlobalAveragePooling1D" and rng.random() < 0.5:
            mask = rng.random((BATCH, steps)) < 0.7
            mask[0] = True  # a row with every step kept
            mask[1] = rng.random() < 0.3  # sometimes a row with every step masked
        case = Case(layer, kwargs, x, np.empty(0), mask)
        out_shape = _keras_layer(case).compute_output_shape(shape)
        case.upstream = _upstream(rng, tuple(out_shape))
        cases.append(case)
    return cases


def _run_keras(cases: list[Case]) -> None:
    """Output and input gradient of every case from one ``jax.vjp`` through the Keras layer."""
    for case in cases:
        layer = _keras_layer(case)
        call = {} if case.mask is None else {"mask": case.mask}
        output, vjp = jax.vjp(lambda t: layer(t, **call), jax.numpy.asarray(case.x))
        (grad,) = vjp(jax.numpy.asarray(case.upstream))
        case.seen = {"output": np.asarray(output), "grad": np.asarray(grad)}


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    cases = make_cases()
    _run_keras(cases)
    return cases


def _engine(case: Case) -> tuple[np.ndarray, np.ndarray]:
    forward, backward = ENGINE[case.layer]
    call = {} if case.mask is None else {"mask": case.mask}
    return forward(case.x, **case.kwargs, **call), backward(case.x, case.upstream, **case.kwargs, **call)


def _bits_equal(actual: np.ndarray, expected: np.ndarray) -> np.ndarray:
    return (actual.view(np.uint32) == expected.view(np.uint32)) | (np.isnan(actual) & np.isnan(expected))


def _assert_bits(actual: np.ndarray, expected: np.ndarray, case: Case, what: str) -> None:
    assert actual.dtype == np.float32 and actual.shape == expected.shape, (what, actual.shape, expected.shape)
    same = _bits_equal(actual, expected)
    assert same.all(), f"{what} of {case}:\nengine {actual.tolist()}\nkeras  {expected.tolist()}"


def _assert_close(actual: np.ndarray, expected: np.ndarray, bound: np.ndarray, case: Case, what: str) -> None:
    assert actual.dtype == np.float32 and actual.shape == expected.shape, (what, actual.shape, expected.shape)
    message = f"{what} of {case}:\nengine {actual.tolist()}\nkeras  {expected.tolist()}"
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected), err_msg="NaN places: " + message)
    infinite = np.isinf(expected) | np.isinf(actual)
    np.testing.assert_array_equal(actual[infinite], expected[infinite], err_msg="inf places: " + message)
    zeros = (actual == 0) & (expected == 0)
    np.testing.assert_array_equal(
        np.signbit(actual[zeros]), np.signbit(expected[zeros]), err_msg="signs of zeros: " + message
    )
    finite = np.isfinite(expected) & np.isfinite(actual)
    difference = np.abs(actual[finite].astype(np.float64) - expected[finite])
    assert (difference <= bound[finite]).all(), message + f"\nbound  {bound.tolist()}"


def _flushed(values: np.ndarray) -> np.ndarray:
    """|values| in float64 with subnormals as 0 (the test's own, not the engine's)."""
    magnitude = np.abs(values.astype(np.float64))
    return np.where(magnitude < TINY, 0.0, magnitude)


def _channels_last(array: np.ndarray, data_format: str) -> np.ndarray:
    return array if data_format == "channels_last" else array.transpose(0, 2, 1)


def _windows(steps: int, kwargs: dict[str, Any]) -> list[range]:
    """Real input steps of each window, worked out from Keras' documented padding rule."""
    k = kwargs["pool_size"]
    s = kwargs["strides"] or k
    if kwargs["padding"] == "valid":
        return [range(i * s, i * s + k) for i in range((steps - k) // s + 1)]
    out = -(-steps // s)
    left = max((out - 1) * s + k - steps, 0) // 2
    return [range(max(i * s - left, 0), min(i * s - left + k, steps)) for i in range(out)]


def _sum_bound(terms: int, magnitude_sum: np.ndarray, result: np.ndarray) -> np.ndarray:
    """How far two float32 averages of ``terms`` numbers may differ by rounding alone."""
    with np.errstate(invalid="ignore"):  # inf * 0 where a window holds inf: NaN, checked by place
        return (
            2 * max(terms - 1, 0) * U * magnitude_sum / max(terms, 1)
            + 2 * U * np.abs(result.astype(np.float64))
            + terms * TINY
        )


def _average_bounds(case: Case) -> tuple[np.ndarray, np.ndarray]:
    """Per-cell bounds for the output and the gradient of an average layer (Keras' layouts)."""
    data_format = case.kwargs["data_format"]
    x = _flushed(_channels_last(case.x, data_format))
    upstream = case.upstream
    steps = x.shape[1]
    if case.layer == "AveragePooling1D":
        windows = _windows(steps, case.kwargs)
        up = _flushed(_channels_last(upstream, data_format))
        out = np.stack([x[:, list(w)].sum(axis=1) / len(w) for w in windows], axis=1)
        output = np.stack(
            [_sum_bound(len(w), x[:, list(w)].sum(axis=1), out[:, i]) for i, w in enumerate(windows)], axis=1
        )
        # A cell's gradient adds the shares of the windows that hold it.
        shares = np.zeros(x.shape)
        covering = np.zeros(steps, int)
        for i, w in enumerate(windows):
            shares[:, list(w)] += up[:, i : i + 1] / len(w)
            covering[list(w)] += 1
        grad = np.stack([_sum_bound(int(covering[t]), shares[:, t], shares[:, t]) for t in range(steps)], axis=1)
        return _channels_last(output, data_format), _channels_last(grad, data_format)
    # GlobalAveragePooling1D: one sum over the kept steps; each gradient cell is one share.
    kept = np.ones(x.shape[:2], bool) if case.mask is None else case.mask
    terms = int(kept.sum(axis=1).max())
    with np.errstate(invalid="ignore"):  # inf - inf: NaN, checked by place above
        total = np.where(kept[:, :, None], x, 0).sum(axis=1)
    output = _sum_bound(terms, total, total / max(terms, 1))
    if case.kwargs["keepdims"]:
        output = output[:, None, :] if data_format == "channels_last" else output[:, :, None]
    # Each gradient cell is one share, upstream / count: one rounding on each
    # side, but XLA may round it as upstream times the reciprocal of count.
    grad = 2 * U * np.abs(case.seen["grad"].astype(np.float64))
    return output, grad


def test_the_cases_cover_what_they_should(cases):
    layers = {case.layer for case in cases}
    assert layers == set(ENGINE) and BATCH * len(cases) >= 400
    x = np.concatenate([case.x.ravel() for case in cases])
    assert np.isnan(x).any() and np.isposinf(x).any() and np.isneginf(x).any()
    subnormal = (x != 0) & (np.abs(x) < TINY)
    assert subnormal.sum() > 100
    assert ((x == 0) & np.signbit(x)).any() and ((x == 0) & ~np.signbit(x)).any()
    sliding = [case.kwargs for case in cases if "pool_size" in case.kwargs]
    assert {k["padding"] for k in sliding} == {"valid", "same"}
    assert {k["strides"] is None for k in sliding} == {True, False}
    assert any(k["pool_size"] == 1 for k in sliding) and any(k["pool_size"] > 3 for k in sliding)
    assert {case.kwargs["data_format"] for case in cases} == {"channels_last", "channels_first"}
    assert {case.kwargs.get("keepdims") for case in cases} == {None, True, False}
    assert any(case.mask is not None and not case.mask.any(axis=1).all() for case in cases)


@pytest.mark.parametrize("layer", list(ENGINE))
def test_engine_equals_keras_on_random_cases(cases, layer):
    checked = 0
    for case in cases:
        if case.layer != layer:
            continue
        output, grad = _engine(case)
        if "Max" in layer:
            _assert_bits(output, case.seen["output"], case, "output")
            _assert_bits(grad, case.seen["grad"], case, "gradient")
        else:
            output_bound, grad_bound = _average_bounds(case)
            _assert_close(output, case.seen["output"], output_bound, case, "output")
            _assert_close(grad, case.seen["grad"], grad_bound, case, "gradient")
        checked += 1
    assert checked == CONFIGURATIONS // 4
