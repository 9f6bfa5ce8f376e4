"""Traces: the data the animation draws, checked against the layers."""
from __future__ import annotations

import json

import numpy as np
import pytest

from pooling import ArgumentError, average_pooling1d, get_preset, max_pooling1d, trace_global, trace_pooling, window_cells

CLASSIC = get_preset("classic").x()


def test_classic_frames():
    data = trace_pooling(CLASSIC, "max", pool_size=2, strides=1).to_dict()
    assert data["name"] == "MaxPooling1D"
    assert data["call"] == 'MaxPooling1D(pool_size=2, strides=1, padding="valid")'
    assert data["config"] == {"pool_size": 2, "strides": 1, "padding": "valid", "data_format": "channels_last"}
    assert data["input_shape"] == [1, 4, 3] and data["output_shape"] == [1, 3, 3]
    assert data["output"] == [[0.8, -0.2, 0.2], [0.8, -0.1, 0.4], [0.4, -0.1, 0.8]]
    assert data["frames"] == [
        {"index": 0, "start": 0, "stop": 2, "winner_offsets": [1, 0, 1]},  # rows 1, 0, 1
        {"index": 1, "start": 1, "stop": 3, "winner_offsets": [0, 1, 1]},  # rows 1, 2, 2
        {"index": 2, "start": 2, "stop": 4, "winner_offsets": [1, 0, 1]},  # rows 3, 2, 3
    ]
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
    assert first == {"index": 0, "start": -1, "stop": 2}
    assert last == {"index": 3, "start": 2, "stop": 5}
    assert window_cells(first["start"], first["stop"], 4) == (range(0, 2), [-1])
    assert window_cells(last["start"], last["stop"], 4) == (range(2, 4), [4])


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
    data = trace.to_dict()
    for frame, output in zip(data["frames"], data["output"]):
        for feature, offset in enumerate(frame["winner_offsets"]):
            row = frame["start"] + offset
            assert max(frame["start"], 0) <= row < min(frame["stop"], len(x))
            assert np.float32(x[row, feature]) == np.float32(output[feature])


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


# Format 2: each number once -------------------------------------------------


def format_1_frames(x, kind, pool_size, strides, padding):
    """The frames as format 1 sent them, worked out from the layer's windows alone."""
    steps = len(x)
    layer = max_pooling1d if kind == "max" else average_pooling1d
    output = layer(np.asarray(x, np.float32)[None], pool_size, strides, padding)[0]
    step = pool_size if strides is None else strides
    total = max((len(output) - 1) * step + pool_size - steps, 0) if padding == "same" else 0
    frames = []
    for i, values in enumerate(output):
        start = i * step - total // 2
        rows = [r for r in range(start, start + pool_size) if 0 <= r < steps]
        frame = {"start": start, "stop": start + pool_size, "rows": rows,
                 "padded": [r for r in range(start, start + pool_size) if r not in rows], "output": values.tolist()}
        if kind == "max":
            frame["winners"] = [rows[int(np.argmax(np.asarray(x, np.float32)[rows, f]))] for f in range(len(values))]
        else:
            frame["divisor"] = len(rows)
        frames.append(frame)
    return frames


@pytest.mark.parametrize("kind", ["max", "average"])
@pytest.mark.parametrize("pool_size, strides, padding", [(2, 1, "valid"), (3, 1, "same"), (3, 2, "same"), (4, 3, "same"), (2, None, "valid"), (5, 1, "same")])
def test_frames_and_shared_arrays_give_back_every_format_1_field(kind, pool_size, strides, padding):
    x = np.random.default_rng(pool_size * 7 + (strides or 0)).normal(size=(9, 5)).astype(np.float32)
    data = trace_pooling(x, kind, pool_size, strides, padding).to_dict()
    rebuilt = []
    for frame, output in zip(data["frames"], data["output"]):
        assert set(frame) == ({"index", "start", "stop", "winner_offsets"} if kind == "max" else {"index", "start", "stop"})
        rows, padded = window_cells(frame["start"], frame["stop"], data["steps"])
        whole = {"start": frame["start"], "stop": frame["stop"], "rows": list(rows), "padded": padded,
                 "output": np.float32(output).tolist()}
        if kind == "max":
            whole["winners"] = [frame["start"] + offset for offset in frame["winner_offsets"]]
        else:
            whole["divisor"] = len(rows)
        rebuilt.append(whole)
    assert rebuilt == format_1_frames(x, kind, pool_size, strides, padding)
    assert [f["index"] for f in data["frames"]] == list(range(data["out_steps"]))


def test_the_answer_holds_no_number_twice():
    x = get_preset("classic").x()
    data = trace_pooling(x, "max", pool_size=2, strides=1).to_dict()
    numbers = json.dumps(data["frames"])
    assert "." not in numbers  # integers only: positions and rows, never a value
