"""Properties of the engine that hold for every input (hypothesis)."""
from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from pooling import (
    average_pooling1d,
    global_average_pooling1d,
    global_max_pooling1d,
    json_floats,
    max_pooling1d,
    trace_global,
    trace_pooling,
    window_cells,
)

FINITE = st.floats(-1e6, 1e6, allow_nan=False, width=32)


@st.composite
def cases(draw, batch=False):
    """A sequence (or batch) plus pooling arguments that Keras accepts."""
    steps = draw(st.integers(1, 12))
    features = draw(st.integers(1, 5))
    shape = (draw(st.integers(1, 3)), steps, features) if batch else (steps, features)
    x = draw(arrays(np.float32, shape, elements=FINITE))
    padding = draw(st.sampled_from(["valid", "same"]))
    pool_size = draw(st.integers(1, steps if padding == "valid" else steps + 3))
    strides = draw(st.none() | st.integers(1, 5))
    return x, pool_size, strides, padding


@settings(max_examples=300, deadline=None)
@given(cases(batch=True))
def test_output_shape_follows_the_formula(case):
    x, pool_size, strides, padding = case
    batch, steps, features = x.shape
    s = pool_size if strides is None else strides
    expected = (steps - pool_size) // s + 1 if padding == "valid" else math.ceil(steps / s)
    for layer in (max_pooling1d, average_pooling1d):
        assert layer(x, pool_size, strides, padding).shape == (batch, expected, features)
        flipped = layer(x.transpose(0, 2, 1), pool_size, strides, padding, "channels_first")
        assert flipped.shape == (batch, features, expected)


@settings(max_examples=200, deadline=None)
@given(arrays(np.float32, st.tuples(st.integers(1, 3), st.integers(1, 12), st.integers(1, 5)), elements=FINITE),
       st.integers(1, 4))
def test_pool_size_steps_equals_global_max(x, strides):
    steps = x.shape[1]
    np.testing.assert_array_equal(
        max_pooling1d(x, pool_size=steps, strides=strides), global_max_pooling1d(x, keepdims=True)
    )


@settings(max_examples=200, deadline=None)
@given(arrays(np.float32, st.tuples(st.integers(1, 3), st.integers(1, 12), st.integers(1, 5)), elements=FINITE),
       st.randoms(use_true_random=False))
def test_global_pooling_ignores_word_order(x, random):
    order = list(range(x.shape[1]))
    random.shuffle(order)
    np.testing.assert_array_equal(global_max_pooling1d(x[:, order]), global_max_pooling1d(x))
    # A float32 sum depends on its order (Keras on JAX sums in step order, and
    # so does the engine): each addition may round by half an ulp of the
    # running sum, so allow steps ulps of the largest magnitude.
    steps = x.shape[1]
    tolerance = steps * np.finfo(np.float32).eps * np.abs(x).max(initial=0.0) + 1e-6
    np.testing.assert_allclose(
        global_average_pooling1d(x[:, order]), global_average_pooling1d(x), rtol=0, atol=tolerance
    )


@settings(max_examples=300, deadline=None)
@given(cases(batch=True))
def test_max_is_at_least_the_average(case):
    x, pool_size, strides, padding = case
    high = max_pooling1d(x, pool_size, strides, padding)
    mean = average_pooling1d(x, pool_size, strides, padding)
    # float32 rounding of the mean may overshoot the max by an ulp or so.
    tolerance = 1e-6 * np.abs(high) + 1e-30
    assert (high >= mean - tolerance).all()


@settings(max_examples=300, deadline=None)
@given(cases())
def test_winners_lie_in_their_window_and_hold_the_output(case):
    x, pool_size, strides, padding = case
    data = trace_pooling(x, "max", pool_size, strides, padding).to_dict()
    # As Keras on JAX compares them: subnormals are zeros of their sign (so they tie with 0).
    seen = np.where(np.abs(x) < np.finfo(np.float32).tiny, np.float32(0), x)
    # pool_size=1, strides=1 computes nothing: the output is the input, subnormals and all.
    output_of = x if pool_size == 1 and (strides or pool_size) == 1 else seen
    assert [f["start"] for f in data["frames"]] == [i * data["config"]["strides"] - data["pad_left"] for i in range(data["out_steps"])]
    for frame, output in zip(data["frames"], data["output"]):
        assert frame["stop"] == frame["start"] + pool_size
        rows, padded = window_cells(frame["start"], frame["stop"], x.shape[0])
        assert list(rows) == [r for r in range(frame["start"], frame["stop"]) if 0 <= r < x.shape[0]]
        assert sorted([*rows, *padded]) == list(range(frame["start"], frame["stop"]))
        rows = list(rows)
        for feature, offset in enumerate(frame["winner_offsets"]):
            row = frame["start"] + offset
            assert row in rows
            window = seen[rows, feature]
            assert seen[row, feature] == window.max()
            assert row == rows[int(np.argmax(window))]  # the first maximum
            assert np.float32(output[feature]) == output_of[row, feature]


@settings(max_examples=300, deadline=None)
@given(cases(), st.sampled_from(["max", "average"]))
def test_traces_agree_with_the_layers(case, kind):
    x, pool_size, strides, padding = case
    layer = max_pooling1d if kind == "max" else average_pooling1d
    expected = layer(x[None], pool_size, strides, padding)[0]
    trace = trace_pooling(x, kind, pool_size, strides, padding)
    np.testing.assert_array_equal(trace.output, expected)
    data = trace.to_dict()
    # The JSON numbers parse back to exactly the float32 outputs.
    np.testing.assert_array_equal(np.array(data["output"], np.float32).reshape(expected.shape), expected)
    assert [(f["index"], f["stop"] - f["start"]) for f in data["frames"]] == [(i, pool_size) for i in range(len(expected))]
    glob = trace_global(x, kind)
    twin = global_max_pooling1d if kind == "max" else global_average_pooling1d
    np.testing.assert_array_equal(glob.output, twin(x[None])[0])
    if kind == "max":
        # Subnormals count as zeros (one step is passed through untouched), as in Keras on JAX.
        seen = x if x.shape[0] == 1 else np.where(np.abs(x) < np.finfo(np.float32).tiny, np.float32(0), x)
        np.testing.assert_array_equal(seen[glob.winners, np.arange(x.shape[1])], glob.output)
    assert glob.to_dict()["is_single_row"] == bool((x == glob.output).all(axis=1).any())


@settings(max_examples=300, deadline=None)
@given(arrays(np.float32, st.integers(1, 50), elements=st.floats(width=32, allow_nan=False)))
def test_json_floats_are_short_and_exact(values):
    result = json_floats(values)
    np.testing.assert_array_equal(np.array(result, dtype=np.float32), values)
    shortest = values.astype(str).astype(np.float64).tolist()
    assert [len(repr(a)) <= len(repr(b)) for a, b in zip(result, shortest)] == [True] * len(result)
