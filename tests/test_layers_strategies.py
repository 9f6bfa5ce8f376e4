"""The engine's strategies for large inputs give the same answers as the window-by-window definition.

``pooling.layers`` reduces small inputs with one pass per window offset
(sums in window order, as XLA adds them) and large inputs by reshaping
(disjoint windows) or by doubling (overlapping windows), tiled for the
cache. Here every strategy is forced on small, awkward geometries (edges
under ``"same"``, windows longer than the input, strides longer than the
window, NaN and infinities) and compared with a plain loop over windows:
max exactly, averages within float32 summation error. The Keras fixtures
are replayed through the large-input strategies too.
"""
from __future__ import annotations

import numpy as np
import pytest

from pooling import average_pooling1d, global_average_pooling1d, max_pooling1d, resolve_geometry
from pooling import layers
from test_keras_conformance import CASES, FUNCTIONS, _array, _averaged_count, assert_matches_keras


def windows_by_hand(x: np.ndarray, pool_size: int, strides: int, padding: str, kind: str) -> np.ndarray:
    """The definition: for each window, reduce its real cells (sums in float64)."""
    g = resolve_geometry(x.shape[1], pool_size, strides, padding)
    rows = []
    for start in g.starts():
        cells = x[:, max(start, 0) : min(start + pool_size, g.steps)]
        if kind == "max":
            rows.append(cells.max(axis=1))
        else:
            with np.errstate(invalid="ignore", over="ignore"):
                rows.append((cells.astype(np.float64).sum(axis=1) / cells.shape[1]).astype(np.float32))
    return np.stack(rows, axis=1)


GEOMETRIES = [
    (steps, pool_size, strides, padding)
    for steps in (1, 2, 5, 9, 16, 23)
    for pool_size in (1, 2, 3, 4, 7, 8, 11, 16)
    for strides in (1, 2, 3, 5, 9)
    for padding in ("valid", "same")
    if padding == "same" or pool_size <= steps
]


@pytest.fixture(params=["offset loop", "large input", "large input, tiny tiles"])
def strategy(request, monkeypatch):
    """Force the small-input path, or the large-input paths (with tiles of a few cells)."""
    if request.param != "offset loop":
        monkeypatch.setattr(layers, "_SMALL", 0)
    if request.param == "large input, tiny tiles":
        monkeypatch.setattr(layers, "_TILE", 5)
    return request.param


def awkward_input(steps: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(3, steps, 4)).astype(np.float32)
    x[1] = np.round(x[1])  # ties
    x[2, rng.integers(steps), 0] = np.nan
    x[2, rng.integers(steps), 1] = np.inf
    x[2, rng.integers(steps), 2] = -np.inf
    return x


@pytest.mark.parametrize(("steps", "pool_size", "strides", "padding"), GEOMETRIES)
def test_every_strategy_matches_the_definition(strategy, steps, pool_size, strides, padding):
    x = awkward_input(steps, seed=steps * 1000 + pool_size * 10 + strides)
    got_max = max_pooling1d(x, pool_size, strides, padding)
    np.testing.assert_array_equal(got_max, windows_by_hand(x, pool_size, strides, padding, "max"))
    got_avg = average_pooling1d(x, pool_size, strides, padding)
    expected = windows_by_hand(x, pool_size, strides, padding, "average")
    np.testing.assert_array_equal(np.isnan(got_avg), np.isnan(expected))
    np.testing.assert_allclose(got_avg, expected, rtol=1e-6, atol=1e-6 * pool_size)


@pytest.mark.parametrize("case", [c for c in CASES if "pool_size" in c["kwargs"] and "expect_error" not in c], ids=lambda c: c["id"])
def test_keras_fixtures_through_the_large_input_strategies(monkeypatch, case):
    monkeypatch.setattr(layers, "_SMALL", 0)
    x = _array(case, "input")
    actual = FUNCTIONS[case["layer"]](x, **case["kwargs"])
    expected = _array(case, "expected").reshape(case["expected_shape"])
    assert_matches_keras(case["layer"], x, actual, expected, _averaged_count(case, x))


def sequential_average(x: np.ndarray, pool_size: int, strides: int, padding: str) -> np.ndarray:
    """Keras' order on JAX: float32 sum of the real cells first to last, times 1 / count."""
    g = resolve_geometry(x.shape[1], pool_size, strides, padding)
    rows = []
    for start in g.starts():
        total = np.zeros((x.shape[0], x.shape[2]), np.float32)
        for step in range(max(start, 0), min(start + pool_size, g.steps)):
            total = total + x[:, step]
        count = min(start + pool_size, g.steps) - max(start, 0)
        rows.append(total * np.reciprocal(np.float32(count)))
    return np.stack(rows, axis=1)


@pytest.mark.parametrize(("pool_size", "strides", "padding"), [(2, 1, "valid"), (5, 2, "same"), (9, 3, "same"), (4, 9, "same")])
def test_small_input_averages_add_in_window_order(pool_size, strides, padding):
    # Large values of mixed sign make every summation order round differently.
    x = (np.random.default_rng(7).normal(size=(2, 40, 6)) * 1e4).astype(np.float32)
    np.testing.assert_array_equal(
        average_pooling1d(x, pool_size, strides, padding), sequential_average(x, pool_size, strides, padding)
    )


@pytest.mark.parametrize("features", [1, 5])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_global_average_adds_in_step_order(features, data_format):
    x = (np.random.default_rng(3).normal(size=(2, 300, features)) * 1e4).astype(np.float32)
    total = np.zeros((2, features), np.float32)
    for step in range(300):
        total = total + x[:, step]
    given = x if data_format == "channels_last" else x.transpose(0, 2, 1)
    np.testing.assert_array_equal(
        global_average_pooling1d(given, data_format=data_format), total * np.reciprocal(np.float32(300))
    )


@pytest.mark.parametrize(("pool_size", "strides", "padding"), [(2, 1, "same"), (3, 2, "valid"), (32, 1, "same"), (32, 32, "same"), (5, 7, "same")])
def test_a_really_large_input(pool_size, strides, padding):
    # Over layers._SMALL cells, with the default tile size: several tiles per sequence.
    x = np.random.default_rng(11).normal(size=(2, 3001, 50)).astype(np.float32)
    assert x.size >= layers._SMALL
    np.testing.assert_array_equal(
        max_pooling1d(x, pool_size, strides, padding), windows_by_hand(x, pool_size, strides, padding, "max")
    )
    np.testing.assert_allclose(
        average_pooling1d(x, pool_size, strides, padding),
        windows_by_hand(x, pool_size, strides, padding, "average"),
        rtol=1e-5,
        atol=1e-6 * pool_size,
    )


@pytest.mark.parametrize("kind", ["max", "average"])
@pytest.mark.parametrize("pool_size, strides, padding", [(3, 2, "valid"), (3, 2, "same"), (8, 1, "same"), (4, 4, "valid"), (5, 3, "same")])
def test_blocks_of_the_batch_on_several_cores_give_the_same_bits(monkeypatch, kind, pool_size, strides, padding):
    # Large enough for the doubling and disjoint strategies; with _PARALLEL at
    # its size the batch is cut into blocks (when the machine has 2+ cores).
    x = np.random.default_rng(pool_size + strides).normal(size=(6, 301, 64)).astype(np.float32)
    x[1, 7, 3], x[4, 100, 0], x[5, 0, 9] = np.nan, np.inf, -np.inf
    layer = max_pooling1d if kind == "max" else average_pooling1d
    monkeypatch.setattr(layers, "_SMALL", 1024)
    monkeypatch.setattr(layers, "_PARALLEL", x.size)
    monkeypatch.setattr(layers, "_cores", lambda: 3)  # three blocks of two sequences, whatever the machine
    with np.errstate(invalid="ignore", over="ignore"):
        blocks = layer(x, pool_size, strides, padding)
    monkeypatch.setattr(layers, "_PARALLEL", x.size + 1)
    with np.errstate(invalid="ignore", over="ignore"):
        whole = layer(x, pool_size, strides, padding)
    assert blocks.tobytes() == whole.tobytes()
