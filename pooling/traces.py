"""What the animation shows, as plain data.

A trace describes one sequence (steps x features) going through a pooling
layer: where every window falls, which input rows it covers, which row won
each feature, and what came out. The front end draws from a trace and never
recomputes pooling itself.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .layers import (
    ArgumentError,
    Geometry,
    average_pooling1d,
    flush_subnormals,
    global_average_pooling1d,
    global_max_pooling1d,
    max_pooling1d,
    output_length_formula,
    resolve_geometry,
)

__all__ = ["TRACE_FORMAT", "Floats", "GlobalTrace", "PoolingTrace", "trace_global", "trace_pooling", "window_cells"]

# The layout of a trace answer: 2 since frames stopped repeating rows that the
# answer already holds (format 1 gave each frame its rows, padded positions,
# output row and divisor). The answer says which it is in its "format" field.
TRACE_FORMAT = 2

Kind = Literal["max", "average"]
# What a to_dict() writes for a float32 array: json_floats' lists by default;
# the web layer passes one that hands orjson the array itself where that
# writes the same text (webapp.encoding.json_array).
Floats = Callable[[NDArray[np.float32]], Any]
LAYER_NAMES = {"max": "MaxPooling1D", "average": "AveragePooling1D"}
GLOBAL_NAMES = {"max": "GlobalMaxPooling1D", "average": "GlobalAveragePooling1D"}


def _kind(kind: object) -> str:
    if kind in LAYER_NAMES:
        return kind  # type: ignore[return-value]
    raise ArgumentError("kind", f'kind must be "max" or "average", got {kind!r}.')


def _sequence(x: ArrayLike) -> NDArray[np.float32]:
    array = np.asarray(x, dtype=np.float32)
    if array.ndim != 2 or array.shape[0] == 0:
        raise ArgumentError(
            "x", f"x must be 2-D (steps, features) with at least one step, got shape {array.shape}."
        )
    return array


# 10.0 ** k for every k json_floats can need: |magnitude| <= 15 and at most
# 9 digits, so k from 0 to 24.
_POWERS = 10.0 ** np.arange(25, dtype=np.float64)


def json_floats(values: NDArray[np.floating]) -> list:
    """Nested lists of the shortest decimals that round-trip to float32.

    ``float(np.float32(0.8))`` is 0.800000011920929; a learner should read
    0.8, and parsing 0.8 back to float32 gives the very same number. Each
    value is rounded to the fewest significant digits (at most 9, which
    always suffice for float32) that still give back the same float32.

    >>> json_floats(np.array([0.8, -0.1, 1/3, 3e38, 1e-45, 0.0], dtype=np.float32))
    [0.8, -0.1, 0.33333334, 3e+38, 1e-45, 0.0]
    """
    given = np.asarray(values, dtype=np.float32)
    exact = given.reshape(-1)
    wide = exact.astype(np.float64)
    with np.errstate(invalid="ignore"):
        # Most numbers here have at most two decimals (toy embeddings, the
        # presets, and a max's outputs, which are input values): one pass
        # settles them. Below 1000 two decimals are 0.01 apart, far more
        # than a float32 step, so a two-decimal number that reads back is
        # the only one, hence the shortest; the same double as below.
        result = np.round(wide, 2)
        rest = np.flatnonzero(~((np.abs(wide) < 1000) & (result.astype(np.float32) == exact)))
    result[rest] = wide[rest]
    # The others: finite and non-zero ones digit by digit, from here on
    # working on those values only.
    rest = rest[np.isfinite(wide[rest]) & (wide[rest] != 0)]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        magnitude = np.floor(np.log10(np.abs(wide[rest])))
        # Powers of ten beyond 1e22 are inexact in float64: let NumPy's
        # shortest repr handle those rare values instead.
        extreme = np.abs(magnitude) > 15
        result[rest[extreme]] = exact[rest[extreme]].astype(str).astype(np.float64)
        # Look powers of ten up in a table (np.power is the slow part
        # otherwise); the table holds the very numbers 10.0 ** k gives.
        index = rest[~extreme]
        values, targets = wide[index], exact[index]
        lowest = magnitude[~extreme].astype(np.int64)
        for digits in range(1, 10):
            if not index.size:
                break
            # Scale by an exact power of ten, so that un-scaling the rounded
            # integer is one correctly rounded operation.
            power = digits - 1 - lowest
            up, down = _POWERS[np.maximum(power, 0)], _POWERS[np.maximum(-power, 0)]
            rounded = np.round(values * up / down) * down / up
            fits = rounded.astype(np.float32) == targets
            result[index[fits]] = rounded[fits]
            keep = ~fits
            index, values, targets, lowest = index[keep], values[keep], targets[keep], lowest[keep]
    return result.reshape(given.shape).tolist()


def _winners(x: NDArray[np.float32], geometry: Geometry, output: NDArray[np.float32]) -> NDArray[np.int64]:
    """Input row of the first maximum of each feature in each window.

    ``x`` as the layer compares it (subnormals flushed) and ``output`` the
    layer's output: a window's winner is its first real cell equal to its
    output, or its first NaN, which decides a NaN output. Padded cells
    never win. One comparison per offset within the window, last offset
    first, each match overwriting the offset found so far, so that the
    first match is the one left.
    """
    g = geometry
    # The smallest unsigned type that holds every offset: the overwrite is
    # arithmetic (masked writes and np.where branch on every cell, ten times
    # slower here), and wraps around consistently.
    kind = np.min_scalar_type(g.pool_size - 1)
    offsets = np.zeros((g.out_steps, x.shape[1]), kind)
    # pool_size 1: each window is one real cell (and the output may keep
    # subnormals, pool_size=strides=1 computing nothing).
    if g.pool_size > 1:
        nan = bool(np.isnan(output).any())
        for offset in range(g.pool_size - 1, -1, -1):
            lo, hi = g.real_windows(offset)
            if lo == hi:
                continue
            first = lo * g.strides - g.pad_left + offset
            cells = x[first : first + (hi - lo - 1) * g.strides + 1 : g.strides]
            hit = cells == output[lo:hi]
            if nan:
                hit |= np.isnan(cells)
            found = offsets[lo:hi]
            found -= (found - kind.type(offset)) * hit  # offset where hit, unchanged elsewhere
    return g.starts()[:, None] + offsets


def window_cells(start: int, stop: int, steps: int) -> tuple[range, list[int]]:
    """The real rows and the padded positions of the window ``[start, stop)``.

    A window's divisor (average) is the number of its real rows.

    >>> window_cells(-1, 2, 4)
    (range(0, 2), [-1])
    >>> window_cells(2, 5, 4)
    (range(2, 4), [4])
    """
    rows = range(max(start, 0), min(stop, steps))
    padded = [*range(start, min(stop, 0)), *range(max(start, steps), stop)]
    return rows, padded


@dataclass(frozen=True)
class PoolingTrace:
    """A sliding-window pooling layer applied to one sequence."""

    kind: str
    geometry: Geometry
    strides_given: int | None
    features: int
    output: NDArray[np.float32]
    winners: NDArray[np.int64] | None

    @property
    def name(self) -> str:
        return LAYER_NAMES[self.kind]

    @property
    def call(self) -> str:
        """The Keras constructor call that gives this layer."""
        g = self.geometry
        return (
            f"{self.name}(pool_size={g.pool_size}, strides={self.strides_given}, "
            f'padding="{g.padding}")'
        )

    def to_dict(self, floats: Floats = json_floats) -> dict[str, Any]:
        """The JSON the API sends: layer, shapes, output and one frame per window.

        A frame holds what only it knows: its index, where it starts and
        stops, and for max where in the window each feature's winner sits
        (``winner_offsets``: the winning row is ``start + offset``, small
        numbers that compress to a third of the rows'). Its real rows,
        padded positions and divisor follow from ``start``, ``stop`` and
        ``steps`` (:func:`window_cells`), its output is row ``index`` of
        ``output``: no frame repeats them (format 2, :data:`TRACE_FORMAT`).

        ``floats`` turns the float32 output into what the JSON holds
        (:func:`json_floats`, the default, gives nested lists of decimals).
        """
        g = self.geometry
        starts = g.starts()
        k = g.pool_size
        if self.winners is None:
            frames = [{"index": i, "start": start, "stop": start + k} for i, start in enumerate(starts.tolist())]
        else:
            offsets = (self.winners - starts[:, None]).tolist()
            frames = [
                {"index": i, "start": start, "stop": start + k, "winner_offsets": offset}
                for (i, start), offset in zip(enumerate(starts.tolist()), offsets)
            ]
        output = floats(self.output)
        return {
            "name": self.name,
            "kind": self.kind,
            "call": self.call,
            "config": {
                "pool_size": g.pool_size,
                "strides": g.strides,
                "padding": g.padding,
                "data_format": "channels_last",
            },
            "steps": g.steps,
            "features": self.features,
            "out_steps": g.out_steps,
            "pad_left": g.pad_left,
            "pad_right": g.pad_right,
            "formula": output_length_formula(g),
            "input_shape": [1, g.steps, self.features],
            "output_shape": [1, g.out_steps, self.features],
            "output": output,
            "frames": frames,
        }


@dataclass(frozen=True)
class GlobalTrace:
    """A global pooling layer applied to one sequence."""

    kind: str
    steps: int
    output: NDArray[np.float32]
    winners: NDArray[np.int64] | None
    single_row: int | None

    @property
    def name(self) -> str:
        return GLOBAL_NAMES[self.kind]

    def to_dict(self, floats: Floats = json_floats) -> dict[str, Any]:
        """The JSON the API sends for the global layer (``floats`` as for :meth:`PoolingTrace.to_dict`)."""
        features = int(self.output.shape[0])
        result: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "call": f"{self.name}()",
            "input_shape": [1, self.steps, features],
            "output_shape": [1, features],
            "output": floats(self.output),
            "is_single_row": self.single_row is not None,
            "single_row": self.single_row,
        }
        if self.winners is not None:
            result["winners"] = self.winners.tolist()
        return result


def trace_pooling(
    x: ArrayLike,
    kind: Kind = "max",
    pool_size: int = 2,
    strides: int | None = None,
    padding: str = "valid",
) -> PoolingTrace:
    """Trace ``MaxPooling1D`` or ``AveragePooling1D`` over one sequence.

    Parameters
    ----------
    x : array_like
        (steps, features).
    kind : {"max", "average"}
    pool_size, strides, padding
        As for :func:`pooling.max_pooling1d`.

    Returns
    -------
    PoolingTrace
        Its ``output`` is exactly the layer's output for ``x[None]``.

    Examples
    --------
    >>> x = [[.7, -.2, .1], [.8, -.3, .2], [.2, -.1, .4], [.4, -.4, .8]]
    >>> t = trace_pooling(x, "max", pool_size=2, strides=1)
    >>> t.winners.tolist()
    [[1, 0, 1], [1, 2, 2], [3, 2, 3]]
    >>> data = t.to_dict()
    >>> data["frames"][1], data["output"][1]
    ({'index': 1, 'start': 1, 'stop': 3, 'winner_offsets': [0, 1, 1]}, [0.8, -0.1, 0.4])
    """
    kind = _kind(kind)
    sequence = _sequence(x)
    geometry = resolve_geometry(sequence.shape[0], pool_size, strides, padding)
    layer = max_pooling1d if kind == "max" else average_pooling1d
    output = layer(sequence[None], geometry.pool_size, geometry.strides, geometry.padding)[0]
    # Subnormals tie with zeros, as in the layer (see pooling.layers).
    winners = _winners(flush_subnormals(sequence), geometry, output) if kind == "max" else None
    return PoolingTrace(kind, geometry, strides, sequence.shape[1], output, winners)


def trace_global(x: ArrayLike, kind: Kind = "max") -> GlobalTrace:
    """Trace ``GlobalMaxPooling1D`` or ``GlobalAveragePooling1D`` over one sequence.

    For max, ``winners`` holds the row of the first maximum of each feature.
    ``single_row`` is the first row of ``x`` equal to the output vector, or
    None when the output is no single word's vector.

    Examples
    --------
    >>> x = [[.7, -.2, .1], [.8, -.3, .2], [.2, -.1, .4], [.4, -.4, .8]]
    >>> t = trace_global(x, "max")
    >>> t.winners.tolist(), t.single_row
    ([1, 2, 3], None)
    """
    kind = _kind(kind)
    sequence = _sequence(x)
    layer = global_max_pooling1d if kind == "max" else global_average_pooling1d
    output = layer(sequence[None])[0]
    winners = None
    if kind == "max":
        # np.argmax returns the first maximum, or the first NaN if any,
        # which is the row that decided a NaN output.
        winners = np.argmax(flush_subnormals(sequence), axis=0)
    matches = np.flatnonzero(np.all(sequence == output, axis=1))
    single_row = int(matches[0]) if matches.size else None
    return GlobalTrace(kind, sequence.shape[0], output, winners, single_row)
