"""Traces: the data the animation draws, checked against the layers."""
from __future__ import annotations

import json

import numpy as np
import pytest

from pooling import ArgumentError, get_preset, max_pooling1d, trace_global, trace_pooling

CLASSIC = get_preset("classic").x()


def test_classic_frames():
    data = trace_pooling(CLASSIC, "max", pool_size=2, strides=1).to_dict()
    assert data["name"] == "MaxPooling1D"
    assert data["call"] == 'MaxPooling1D(pool_size=2, strides=1, padding="valid")'
    assert data["config"] == {"pool_size": 2, "strides": 1, "padding": "valid", "data_format": "channels_last"}
    assert data["input_shape"] == [1, 4, 3] and data["output_shape"] == [1, 3, 3]
    assert data["output"] == [[0.8, -0.2, 0.2], [0.8, -0.1, 0.4], [0.4, -0.1, 0.8]]
    assert [(f["start"], f["stop"], f["rows"], f["padded"]) for f in data["frames"]] == [
        (0, 2, [0, 1], []),
        (1, 3, [1, 2], []),
        (2, 4, [2, 3], []),
    ]
    assert [f["winners"] for f in data["frames"]] == [[1, 0, 1], [1, 2, 2], [3, 2, 3]]
    json.dumps(data)  # plain data all the way down


def test_strides_none_is_resolved_in_config_but_shown_in_call():
    data = trace_pooling(CLASSIC, "max", pool_size=2).to_dict()
    assert data["config"]["strides"] == 2
    assert "strides=None" in data["call"]
    assert len(data["frames"]) == 2


def test_same_padding_frames_show_padded_positions():
    data = trace_pooling(CLASSIC, "average", pool_size=3, strides=1, padding="same").to_dict()
    assert data["pad_left"] == 1 and data["pad_right"] == 1
    first, last = data["frames"][0], data["frames"][-1]
    assert (first["start"], first["rows"], first["padded"], first["divisor"]) == (-1, [0, 1], [-1], 2)
    assert (last["stop"], last["rows"], last["padded"], last["divisor"]) == (5, [2, 3], [4], 2)
    assert "winners" not in first


def test_ties_go_to_the_first_row():
    x = get_preset("ties").x()
    trace = trace_pooling(x, "max", pool_size=2, strides=1)
    assert trace.winners[:, 0].tolist() == [0, 1, 3]
    assert trace_global(x).winners.tolist() == [0, 2]


def test_padded_cells_never_win_even_against_minus_infinity():
    x = np.array([[-np.inf], [-np.inf]])
    trace = trace_pooling(x, "max", pool_size=3, strides=1, padding="same")
    assert trace.winners[:, 0].tolist() == [0, 0]  # windows [-1, 2) and [0, 3)
    trace = trace_pooling(x, "max", pool_size=2, strides=1, padding="same")
    assert trace.winners[:, 0].tolist() == [0, 1]  # windows [0, 2) and [1, 3)


def test_nan_wins_the_window_it_decides():
    x = np.array([[1.0], [np.nan], [3.0]])
    trace = trace_pooling(x, "max", pool_size=2, strides=1)
    assert trace.winners[:, 0].tolist() == [1, 1]
    assert trace_global(x).winners.tolist() == [1]


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("strides", [None, 1, 2, 3])
@pytest.mark.parametrize("pool_size", [1, 2, 3])
def test_winners_hold_the_output_inside_their_window(pool_size, strides, padding):
    x = np.random.default_rng(pool_size * 10 + (strides or 0)).integers(-3, 3, size=(7, 4)).astype(float)
    trace = trace_pooling(x, "max", pool_size, strides, padding)
    np.testing.assert_array_equal(trace.output, max_pooling1d(x[None], pool_size, strides, padding)[0])
    for frame in trace.to_dict()["frames"]:
        for feature, row in enumerate(frame["winners"]):
            assert row in frame["rows"]
            assert np.float32(x[row, feature]) == np.float32(frame["output"][feature])


def test_global_single_row_and_average():
    single = trace_global(get_preset("single").x())
    assert single.to_dict()["is_single_row"] is True and single.single_row == 2
    data = trace_global(CLASSIC, "average").to_dict()
    assert data["name"] == "GlobalAveragePooling1D" and "winners" not in data
    np.testing.assert_allclose(data["output"], CLASSIC.mean(axis=0), rtol=1e-6)
    assert data["output_shape"] == [1, 3]


@pytest.mark.parametrize(
    ("call", "argument", "match"),
    [
        (lambda: trace_pooling(CLASSIC, "min"), "kind", r'kind must be "max" or "average", got \'min\'\.$'),
        (lambda: trace_global(CLASSIC, "sum"), "kind", r"kind must be .* got 'sum'\.$"),
        (lambda: trace_pooling(np.zeros((2, 2, 2))), "x", r"x must be 2-D \(steps, features\)"),
        (lambda: trace_global(np.zeros((0, 3))), "x", "at least one step"),
        (lambda: trace_pooling(CLASSIC, pool_size=9), "pool_size", "pool_size=9 is larger than the 4 steps"),
    ],
)
def test_trace_errors(call, argument, match):
    with pytest.raises(ArgumentError, match=match) as caught:
        call()
    assert caught.value.argument == argument
    assert str(caught.value).endswith(".")
