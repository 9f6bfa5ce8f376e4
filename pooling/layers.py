"""Keras-exact 1-D pooling layers in pure NumPy.

The semantics are those of Keras 3 on the JAX backend, which are
TensorFlow's: ``strides=None`` means ``strides = pool_size``; ``"valid"``
keeps only windows that fit; ``"same"`` pads so that
``out_steps = ceil(steps / strides)``, putting the smaller half of the
padding on the left. Padded cells never win a max and never count in an
average.
"""
from __future__ import annotations

import math
import operator
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "ArgumentError",
    "Geometry",
    "TooShortError",
    "average_pooling1d",
    "flush_subnormals",
    "global_average_pooling1d",
    "global_max_pooling1d",
    "max_pooling1d",
    "output_length_formula",
    "resolve_geometry",
]

PADDINGS = ("valid", "same")
# The smallest normal float32; anything nonzero and smaller in size is subnormal.
_TINY = np.finfo(np.float32).tiny
# A sum smaller than this may hold subnormals that XLA would have read as
# zeros; a larger one rounds them away (2**-100 is 2**24 times 2**-124).
_SMALL_SUM = 2.0**-100
# Stands in for -0.0 while a max runs, so that -0 ranks below 0 as in XLA: the
# largest negative float32, which no flushed input can hold.
_MINUS_ZERO = -np.float32(2.0**-149)
DATA_FORMATS = ("channels_last", "channels_first")


@dataclass(frozen=True)
class Geometry:
    """Where the windows of a 1-D pooling layer fall on ``steps`` inputs.

    Window ``i`` covers input positions ``start(i) = i * strides - pad_left``
    up to, not including, ``start(i) + pool_size``. Positions below 0 or at
    ``steps`` and beyond are padding.
    """

    steps: int
    pool_size: int
    strides: int
    padding: str
    out_steps: int
    pad_left: int
    pad_right: int

    def starts(self) -> NDArray[np.int64]:
        """Start position of every window, in input coordinates."""
        return np.arange(self.out_steps, dtype=np.int64) * self.strides - self.pad_left

    def real_windows(self, offset: int) -> tuple[int, int]:
        """Windows ``[lo, hi)`` whose cell at ``offset`` is a real input step, not padding.

        >>> resolve_geometry(5, pool_size=3, strides=1, padding="same").real_windows(0)
        (1, 5)
        """
        s, p = self.strides, self.pad_left
        lo = max(0, -(-(p - offset) // s))
        hi = min(self.out_steps, (self.steps - 1 + p - offset) // s + 1)
        return lo, max(lo, hi)

    def counts(self) -> NDArray[np.int64]:
        """Number of real (unpadded) input cells in every window."""
        starts = self.starts()
        stops = starts + self.pool_size
        return np.minimum(stops, self.steps) - np.maximum(starts, 0)


class ArgumentError(ValueError):
    """A bad argument to the engine; ``argument`` names it, as the caller spelt it.

    A ``ValueError``, so ``except ValueError`` still catches it; callers that
    report errors per field read :attr:`argument` instead of the message.
    An error a web request can reach also carries its message as data:
    ``message_id``, a catalog id (``pooling/messages/<lang>/errors.json``),
    and ``params``, its placeholders, so a caller can say it in the
    learner's language; the message itself stays English.

    >>> try:
    ...     resolve_geometry(4, pool_size=0)
    ... except ArgumentError as error:
    ...     error.argument, str(error)
    ('pool_size', 'pool_size must be a positive integer, got 0.')
    """

    def __init__(self, argument: str, message: str, message_id: str | None = None, **params: object) -> None:
        super().__init__(message)
        self.argument = argument
        self.message_id = message_id
        self.params = params


class TooShortError(ArgumentError):
    """``pool_size`` is longer than the input under ``padding="valid"``: no window fits.

    ``steps`` and ``pool_size`` carry the numbers, so a caller can word the
    error in its own terms (the web page says "words").

    >>> try:
    ...     resolve_geometry(1, pool_size=2)
    ... except TooShortError as error:
    ...     error.argument, error.steps, error.pool_size
    ('pool_size', 1, 2)
    """

    def __init__(self, steps: int, pool_size: int) -> None:
        super().__init__(
            "pool_size",
            f"pool_size={pool_size} is larger than the {steps} steps of the input, "
            'so padding="valid" leaves no window that fits; use padding="same" '
            f"or a pool_size of at most {steps}.",
        )
        self.steps = steps
        self.pool_size = pool_size


def _positive_int(name: str, value: object) -> int:
    # Keras takes pool_size=(2,) and strides=[2] as well as 2
    # (standardize_tuple): a tuple or list of exactly one integer.
    given = value
    if isinstance(value, (tuple, list)) and len(value) == 1:
        value = value[0]
    # bool is an int subclass in Python; Keras users never mean True as 1.
    number = None
    if not isinstance(value, bool):
        try:
            number = operator.index(value)
        except TypeError:
            pass
    if number is None or number < 1:
        raise ArgumentError(
            name,
            f"{name} must be a positive integer, or a tuple or list of one, got {given!r}."
            if isinstance(given, (tuple, list))
            else f"{name} must be a positive integer, got {given!r}.",
        )
    return number


def _padding(value: object) -> str:
    if isinstance(value, str) and value.lower() in PADDINGS:
        return value.lower()
    raise ArgumentError("padding", f'padding must be "valid" or "same", got {value!r}.')


def _data_format(value: object) -> str:
    if value in DATA_FORMATS:
        return value  # type: ignore[return-value]
    raise ArgumentError(
        "data_format", f'data_format must be "channels_last" or "channels_first", got {value!r}.'
    )


def resolve_geometry(
    steps: int, pool_size: object, strides: object = None, padding: object = "valid"
) -> Geometry:
    """Check pooling arguments and work out where the windows fall.

    Parameters
    ----------
    steps : int
        Length of the sequence being pooled.
    pool_size : int
        Window length; as in Keras, ``(2,)`` or ``[2]`` mean 2.
    strides : int or None
        Distance between window starts; ``None`` means ``pool_size``;
        ``(2,)`` or ``[2]`` mean 2.
    padding : {"valid", "same"}
        Case-insensitive, as in Keras.

    Returns
    -------
    Geometry

    Raises
    ------
    ArgumentError
        A ``ValueError`` whose ``argument`` names the bad argument: if an
        argument is not of the kind Keras accepts, or if
        ``pool_size > steps`` with ``padding="valid"`` (no window fits).

    Examples
    --------
    >>> g = resolve_geometry(5, pool_size=2, strides=2, padding="same")
    >>> g.out_steps, g.pad_left, g.pad_right
    (3, 0, 1)
    >>> g.starts().tolist(), g.counts().tolist()
    ([0, 2, 4], [2, 2, 1])
    """
    pool_size = _positive_int("pool_size", pool_size)
    strides = pool_size if strides is None else _positive_int("strides", strides)
    padding = _padding(padding)
    if padding == "valid":
        if pool_size > steps:
            raise TooShortError(steps, pool_size)
        out_steps = (steps - pool_size) // strides + 1
        pad_left = pad_right = 0
    else:
        out_steps = -(-steps // strides)
        total = max((out_steps - 1) * strides + pool_size - steps, 0)
        pad_left = total // 2
        pad_right = total - pad_left
    return Geometry(steps, pool_size, strides, padding, out_steps, pad_left, pad_right)


def output_length_formula(geometry: Geometry) -> str:
    """The output-length formula with the numbers plugged in.

    Examples
    --------
    >>> output_length_formula(resolve_geometry(4, 2, 1, "valid"))
    'floor((steps - pool_size) / strides) + 1 = floor((4 - 2) / 1) + 1 = 3'
    >>> output_length_formula(resolve_geometry(5, 2, None, "same"))
    'ceil(steps / strides) = ceil(5 / 2) = 3'
    """
    g = geometry
    if g.padding == "valid":
        return (
            "floor((steps - pool_size) / strides) + 1 = "
            f"floor(({g.steps} - {g.pool_size}) / {g.strides}) + 1 = {g.out_steps}"
        )
    return f"ceil(steps / strides) = ceil({g.steps} / {g.strides}) = {g.out_steps}"


def _as_batch(x: ArrayLike, data_format: object) -> tuple[NDArray[np.float32], str]:
    """Return ``x`` as float32 (batch, steps, features) plus the checked format."""
    data_format = _data_format(data_format)
    array = np.asarray(x, dtype=np.float32)
    if array.ndim != 3:
        layout = "(batch, steps, features)" if data_format == "channels_last" else "(batch, features, steps)"
        raise ArgumentError("x", f"x must be 3-D {layout}, got shape {array.shape}.")
    if data_format == "channels_first":
        array = array.transpose(0, 2, 1)
    if array.shape[1] == 0:
        raise ArgumentError("x", f"x must have at least one step, got shape {np.shape(x)}.")
    return array, data_format


def _restore(result: NDArray[np.float32], data_format: str) -> NDArray[np.float32]:
    if data_format == "channels_first":
        result = result.transpose(0, 2, 1)
    return np.ascontiguousarray(result, dtype=np.float32)


def _any_small(array: NDArray[np.float32], bound: float = _TINY) -> bool:
    """Whether ``array`` holds a value below ``bound`` in size (by default: a zero or a subnormal).

    Read only, with no temporaries: the bits of a float32 with its sign
    clear, as a uint32, are below ``bound``'s bits exactly when it is
    smaller than ``bound``; with its sign set, as an int32, they are below
    the int32 minimum plus ``bound``'s bits exactly when its size is (NaN's
    bits are above any bound's either way). So two integer minimums per
    chunk, the second while the chunk is in the cache: half the time of
    taking absolute values, and this runs after every large max.

    >>> [_any_small(np.array([2.0, v], np.float32)) for v in (-0.0, 1e-40, -1e-40, -1e-30, np.nan)]
    [True, True, True, False, False]
    """
    limit = int(np.float32(bound).view(np.uint32))
    flat = array.reshape(-1)  # a view for the contiguous arrays the layers pass
    unsigned, signed = flat.view(np.uint32), flat.view(np.int32)
    negative_limit = np.iinfo(np.int32).min + limit
    chunk = 1 << 18
    for start in range(0, flat.size, chunk):
        stop = start + chunk
        if unsigned[start:stop].min() < limit or signed[start:stop].min() < negative_limit:
            return True
    return False


def flush_subnormals(x: ArrayLike) -> NDArray[np.float32]:
    """``x`` as float32 with every subnormal replaced by a zero of its sign.

    That is how XLA on a CPU reads a subnormal and writes a result that
    would be one, so Keras on JAX computes as if they were zeros. ``x`` is
    returned as it is (no copy) when it holds no subnormal.

    Examples
    --------
    >>> flush_subnormals([1e-40, -1e-40, 1e-30, -0.0, np.nan]).tolist()
    [0.0, -0.0, 1.0000000031710769e-30, -0.0, nan]
    """
    array = np.asarray(x, dtype=np.float32)
    if not _any_small(array):
        return array
    small = np.abs(array) < _TINY
    if not np.any(small & (array != 0)):
        return array
    return np.where(small, np.copysign(np.float32(0), array), array)


def _ranked_zeros(x: NDArray[np.float32]) -> tuple[NDArray[np.float32], bool]:
    """``x`` flushed, with -0 replaced by a stand-in that a max ranks below 0.

    Also says whether a stand-in is there to undo. One comparison pass when
    ``x`` holds no zero and no subnormal, the usual case.
    """
    if not _any_small(x):
        return x, False
    small = np.abs(x) < _TINY  # zeros and subnormals
    minus = small & np.signbit(x)
    if not minus.any():
        return np.where(small, np.float32(0), x), False
    return np.where(small, np.where(minus, _MINUS_ZERO, np.float32(0)), x), True


def _unranked_zeros(result: NDArray[np.float32], ranked: bool) -> NDArray[np.float32]:
    """Undo :func:`_ranked_zeros` on a max's result, in place."""
    if ranked:
        result[result == _MINUS_ZERO] = np.float32(-0.0)
    return result


def _sum_output(total: NDArray[np.float32], computed: bool) -> NDArray[np.float32]:
    """A sum as XLA leaves it: started from 0 (so never -0) when ``computed``."""
    if computed:
        total += np.float32(0)  # -0 + 0 is 0; every other value is unchanged
    return total


# How the sliding layers reduce their windows
# ------------------------------------------
# Padded cells are the reduction's identity (-inf never wins a max, 0 adds
# nothing to a sum), so no strategy pads the input (np.pad is a full copy):
# windows that run into padding are reduced from the real cells alone.
#
# * Offset loop, for small inputs: one pass per offset within the window,
#   over all windows at once (strided views), pool_size * out_steps / steps
#   passes in all. Sums are added in window order, first cell first, as
#   XLA's reduce_window adds them.
# * Disjoint windows (strides >= pool_size) on large inputs: a reshape puts
#   each window on its own axis and one ufunc.reduce does the rest, still
#   adding in window order.
# * Doubling, for overlapping windows on large inputs: level j holds the
#   reduction of 2**j consecutive steps, built from level j - 1 in one pass,
#   so a window of pool_size costs log2(pool_size) passes instead of
#   pool_size. A max is op(level[start], level[start + pool_size - 2**j])
#   with the two halves overlapping, which is exact; a sum adds one level
#   per binary digit of pool_size (a tree of additions, which rounds no
#   worse than adding the window in order). The input is processed in tiles
#   small enough that the levels stay in the CPU cache.
#
# Edge windows under "same" are reduced from running prefixes of the input
# (left edge) and, unless there are many, one by one (right edge; else from
# running suffixes): fewer than pool_size steps each, whatever the strategy.

# Inputs with fewer cells than this always take the offset loop: it is fast
# enough there (the API's 256 x 64 has 16,384), and its sums are added in
# exactly the window's order.
_SMALL = 1 << 18
# Cells per tile of the doubling scheme (float32: 4 bytes each).
_TILE = 1 << 17
# Inputs with at least this many cells are reduced one block of the batch per core.
_PARALLEL = 1 << 22


def _identity(op: np.ufunc) -> float:
    return -np.inf if op is np.maximum else 0.0


def _cells(x: NDArray[np.float32], g: Geometry, offset: int, lo: int, hi: int) -> NDArray[np.float32]:
    """The cell at ``offset`` of windows ``lo`` to ``hi - 1``, as a strided view."""
    first = lo * g.strides - g.pad_left + offset
    return x[:, first : first + (hi - lo - 1) * g.strides + 1 : g.strides]


def _offset_loop(x: NDArray[np.float32], g: Geometry, op: np.ufunc, out: NDArray[np.float32] | None = None) -> NDArray[np.float32]:
    if out is None:
        out = np.empty((x.shape[0], g.out_steps, x.shape[2]), np.float32)
    if g.pool_size == 1:
        np.copyto(out, _cells(x, g, 0, 0, g.out_steps))
        return out
    # The first two offsets in one pass where both are real (every window
    # but those at the edges), without first copying one of them.
    (lo0, hi0), (lo1, hi1) = g.real_windows(0), g.real_windows(1)
    lo, hi = max(lo0, lo1), min(hi0, hi1)
    if lo >= hi:
        lo = hi = 0
    else:
        op(_cells(x, g, 0, lo, hi), _cells(x, g, 1, lo, hi), out=out[:, lo:hi])
    if lo > 0 or hi < g.out_steps:
        out[:, :lo] = out[:, hi:] = _identity(op)
    for offset in range(g.pool_size):
        start, stop = g.real_windows(offset)
        for a, b in ((start, min(stop, lo)), (max(start, hi), stop)) if offset < 2 else ((start, stop),):
            if a < b:
                rows = out[:, a:b]
                op(rows, _cells(x, g, offset, a, b), out=rows)
    return out


def _running(x: NDArray[np.float32], op: np.ufunc, backwards: bool = False) -> NDArray[np.float32]:
    """Running ``op`` along the steps axis: prefix (or suffix) reductions."""
    out = np.empty(x.shape, np.float32)
    order = range(x.shape[1] - 1, -1, -1) if backwards else range(x.shape[1])
    previous = None
    for step in order:
        if previous is None:
            out[:, step] = x[:, step]
        else:
            op(out[:, previous], x[:, step], out=out[:, step])
        previous = step
    return out


def _disjoint(x: NDArray[np.float32], k: int, s: int, op: np.ufunc, out: NDArray[np.float32]) -> None:
    """Windows of ``k`` steps every ``s >= k`` steps from step 0 of ``x``, into ``out``."""
    n = out.shape[1]
    if n * s <= x.shape[1]:
        windows = x[:, : n * s].reshape(x.shape[0], n, s, x.shape[2])[:, :, :k]
    else:  # the last window ends before the next stride does
        windows = np.lib.stride_tricks.as_strided(
            x, (x.shape[0], n, k, x.shape[2]), (x.strides[0], s * x.strides[1], *x.strides[1:])
        )
    op.reduce(windows, axis=2, out=out)


def _doubling(x: NDArray[np.float32], k: int, s: int, op: np.ufunc, out: NDArray[np.float32]) -> None:
    """Windows of ``k`` steps every ``s < k`` steps from step 0 of ``x``, into ``out``."""
    batch, n, features = out.shape
    # Widths of the levels: 1, 2, 4, ... up to the last power of two below k.
    widths = [1]
    while widths[-1] * 2 < k:
        widths.append(widths[-1] * 2)
    top = widths[-1]
    if op is np.maximum:
        # Two halves of width top, overlapping when k < 2 * top.
        parts = [(0, top), (k - top, top)]
    else:
        # top, then one level per binary digit of k - top (which is at most
        # top), left to right.
        parts, start, rest = [(0, top)], top, k - top
        for width in reversed(widths):
            if rest >= width:
                parts.append((start, width))
                start, rest = start + width, rest - width
    # Tiles: several sequences at once when they are short, else a run of
    # windows of one sequence; every tile's levels stay in the cache.
    span = (n - 1) * s + k
    per_seq = span * features
    if per_seq <= _TILE:
        group, rows = max(1, _TILE // per_seq), n
    else:
        group, rows = 1, max(8, (_TILE // features - k) // s + 1)
    levels = [None] + [
        np.empty((group, min(span, (rows - 1) * s + k) - width + 1, features), np.float32)
        for width in widths[1:]
    ]
    for b0 in range(0, batch, group):
        b1 = min(b0 + group, batch)
        for r0 in range(0, n, rows):
            r1 = min(r0 + rows, n)
            lo, hi = r0 * s, (r1 - 1) * s + k
            made = [x[b0:b1, lo:hi]]
            for j, width in enumerate(widths[1:], 1):
                below = made[-1]
                size = below.shape[1] - width // 2
                op(below[:, :size], below[:, width // 2 :], out=levels[j][: b1 - b0, :size])
                made.append(levels[j][: b1 - b0, :size])
            count = (r1 - r0 - 1) * s + 1
            target = out[b0:b1, r0:r1]
            (start0, w0), (start1, w1) = parts[0], parts[1]
            level = {width: level for width, level in zip(widths, made)}
            op(
                level[w0][:, start0 : start0 + count : s],
                level[w1][:, start1 : start1 + count : s],
                out=target,
            )
            for start, width in parts[2:]:
                op(target, level[width][:, start : start + count : s], out=target)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_POOL: ThreadPoolExecutor | None = None


def _reduce_windows(x: NDArray[np.float32], g: Geometry, op: np.ufunc) -> NDArray[np.float32]:
    """Reduce every window with ``op`` (np.maximum or np.add); padded cells are op's identity.

    A large batch is cut into one block of sequences per core, reduced at
    the same time (NumPy lets go of the GIL inside a ufunc): every sequence
    goes through the very same operations as in one piece, so the numbers
    are the same, bit for bit.
    """
    global _POOL
    out = np.empty((x.shape[0], g.out_steps, x.shape[2]), np.float32)
    # The strategy is chosen for the whole input, so that a block adds in
    # the order the whole would.
    small = x.size < _SMALL
    cores = min(_cores(), x.shape[0])
    if x.size < _PARALLEL or cores < 2:
        _reduce_into(x, g, op, out, small)
        return out
    if _POOL is None:
        _POOL = ThreadPoolExecutor(cores, thread_name_prefix="pooling")
    bounds = np.linspace(0, x.shape[0], cores + 1).astype(int)
    # NumPy's error state is per thread: each block runs in the caller's.
    state = np.geterr()

    def block(lo: int, hi: int) -> None:
        with np.errstate(**state):
            _reduce_into(x[lo:hi], g, op, out[lo:hi], small)

    for future in [_POOL.submit(block, lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:])]:
        future.result()
    return out


def _reduce_into(
    x: NDArray[np.float32], g: Geometry, op: np.ufunc, out: NDArray[np.float32], small: bool
) -> None:
    """Reduce the windows of ``x`` into ``out``; ``small`` picks the offset loop."""
    k, s, p, steps = g.pool_size, g.strides, g.pad_left, g.steps
    # NumPy's maximum.reduce over a short middle axis is slower than two or
    # three np.maximum passes over strided views (measured: bench/perf.py).
    few = s >= k and k <= 3 and op is np.maximum
    if small or k == 1 or few:
        _offset_loop(x, g, op, out)
        return
    # Windows [a, b) lie wholly inside the input; those before a start in
    # the left padding, those from b on end in the right padding.
    a = min(-(-p // s), g.out_steps)
    b = max(a, min(g.out_steps, (steps - k + p) // s + 1))
    if a < b:
        first = a * s - p
        inner = x[:, first : first + (b - 1 - a) * s + k]
        (_disjoint if s >= k else _doubling)(inner, k, s, op, out[:, a:b])
    if a:
        # Left edge: window i covers steps [0, min(i * s - p + k, steps)).
        stops = np.minimum(np.arange(a) * s - p + k, steps)
        out[:, :a] = _running(x[:, : stops[-1]], op)[:, stops - 1]
    if b < g.out_steps:
        # Right edge: window i covers steps [i * s - p, steps).
        starts = np.arange(b, g.out_steps) * s - p
        if len(starts) * k <= steps:
            # Few of them: each in window order, as the offset loop would.
            for i, start in enumerate(starts, b):
                op.reduce(x[:, start:], axis=1, out=out[:, i])
        else:
            out[:, b:] = _running(x[:, starts[0] :], op, backwards=True)[:, starts - starts[0]]


def max_pooling1d(
    x: ArrayLike,
    pool_size: int = 2,
    strides: int | None = None,
    padding: str = "valid",
    data_format: str = "channels_last",
) -> NDArray[np.float32]:
    """Max pooling over the steps axis, as ``keras.layers.MaxPooling1D``.

    Parameters
    ----------
    x : array_like
        (batch, steps, features) for ``"channels_last"``,
        (batch, features, steps) for ``"channels_first"``.
    pool_size : int
        Window length; as in Keras, ``(2,)`` or ``[2]`` mean 2.
    strides : int or None
        Distance between windows; ``None`` means ``pool_size``; ``(2,)`` or
        ``[2]`` mean 2.
    padding : {"valid", "same"}
        ``"same"`` pads so that ``out_steps = ceil(steps / strides)``;
        padded cells never win.
    data_format : {"channels_last", "channels_first"}

    Returns
    -------
    ndarray of float32
        Keras' output shape; NaN in a window gives NaN.

    Examples
    --------
    >>> x = [[[.7, -.2, .1], [.8, -.3, .2], [.2, -.1, .4], [.4, -.4, .8]]]
    >>> max_pooling1d(x, pool_size=2, strides=1)
    array([[[ 0.8, -0.2,  0.2],
            [ 0.8, -0.1,  0.4],
            [ 0.4, -0.1,  0.8]]], dtype=float32)
    """
    batch, data_format = _as_batch(x, data_format)
    geometry = resolve_geometry(batch.shape[1], pool_size, strides, padding)
    if geometry.pool_size == geometry.strides == 1:
        return _restore(batch, data_format)  # nothing computed: values pass untouched
    # np.maximum propagates NaN, as XLA's max does.
    result = _reduce_windows(batch, geometry, np.maximum)
    if _any_small(result):
        # Only a window whose max is a zero or a subnormal can change under
        # XLA's rules (any other max is above every small value, or the
        # window holds none): pool again with them applied.
        ranked, minus_zero = _ranked_zeros(batch)
        result = _unranked_zeros(_reduce_windows(ranked, geometry, np.maximum), minus_zero)
    return _restore(result, data_format)


def average_pooling1d(
    x: ArrayLike,
    pool_size: int = 2,
    strides: int | None = None,
    padding: str = "valid",
    data_format: str = "channels_last",
) -> NDArray[np.float32]:
    """Average pooling over the steps axis, as ``keras.layers.AveragePooling1D``.

    Each window's sum of real cells is divided by the number of real cells,
    not by ``pool_size``: padding does not drag the average towards zero.
    As XLA computes it, the division is a multiplication by the float32
    reciprocal of that number. The engine adds a window's cells first to
    last (on inputs of fewer than 2**18 cells; larger ones add in a tree).
    Measured against Keras 3.15.1 on JAX 0.10.2 on a CPU, one sentence at a
    time as the page sends it: bit for bit for windows of up to 74 cells;
    from 75 on, XLA adds in another order and the two differ by float32
    rounding only, at most ``2 * (n - 1) * 2**-24 * mean|x| + 2**-23 *
    |average|`` for a window of ``n`` cells (1.2e-7 at most for values
    around 1).

    Parameters
    ----------
    x : array_like
        (batch, steps, features) for ``"channels_last"``,
        (batch, features, steps) for ``"channels_first"``.
    pool_size : int
        Window length; as in Keras, ``(2,)`` or ``[2]`` mean 2.
    strides : int or None
        Distance between windows; ``None`` means ``pool_size``; ``(2,)`` or
        ``[2]`` mean 2.
    padding : {"valid", "same"}
    data_format : {"channels_last", "channels_first"}

    Returns
    -------
    ndarray of float32

    Examples
    --------
    >>> average_pooling1d([[[1.], [2.], [4.]]], pool_size=2, padding="same").tolist()
    [[[1.5], [4.0]]]
    """
    batch, data_format = _as_batch(x, data_format)
    geometry = resolve_geometry(batch.shape[1], pool_size, strides, padding)
    # Padding with zeros adds nothing to the sum; the divisor counts real
    # cells only (TensorFlow/JAX semantics). Keras on the torch backend
    # differs here: with an odd total padding under "same" it pads by
    # replicating edge values and counts them, so its averages near the
    # edges disagree with TensorFlow's and JAX's. We follow JAX/TensorFlow.
    # inf + -inf is NaN in Keras too: a result to show, not a warning.
    with np.errstate(invalid="ignore", over="ignore"):
        total = _reduce_windows(batch, geometry, np.add)
        # Subnormal cells can only show in a sum this small (a larger sum
        # rounds them away), so only then pool again by XLA's rules.
        small = _any_small(total, _SMALL_SUM)
        if small:
            total = _reduce_windows(flush_subnormals(batch), geometry, np.add)
            total = _sum_output(flush_subnormals(total), computed=not geometry.pool_size == geometry.strides == 1)
    # Times the float32 reciprocal of the count, not divided by it: XLA
    # turns the division into that multiplication (see the docstring for
    # where the sums themselves stop being bit for bit).
    total *= np.reciprocal(geometry.counts().astype(np.float32))[None, :, None]
    return _restore(flush_subnormals(total) if small else total, data_format)


def _sum_steps(array: NDArray[np.float32]) -> NDArray[np.float32]:
    """Sum over the steps axis of (batch, steps, features), adding the steps in order.

    XLA on a CPU adds them in that order too for short inputs: one sentence
    of up to 32 steps (any number of features up to 64, measured); longer
    ones, and large batches (64 sentences of 64 features from 6 steps on),
    it splits into partial sums, whose order NumPy does not follow: the
    results then differ by float32 rounding only. NumPy reduces a middle
    axis in order but the memory-contiguous axis pairwise, so a single
    feature goes through a running sum and channels_first input is first
    laid out channels_last.
    """
    if array.shape[2] == 1:
        return np.cumsum(array[:, :, 0], axis=1, dtype=np.float32)[:, -1:]
    if not array.flags.c_contiguous:
        array = np.ascontiguousarray(array)
    return np.add.reduce(array, axis=1, dtype=np.float32)


def global_max_pooling1d(
    x: ArrayLike, data_format: str = "channels_last", keepdims: bool = False
) -> NDArray[np.float32]:
    """Max over all steps, as ``keras.layers.GlobalMaxPooling1D``.

    Parameters
    ----------
    x : array_like
        3-D input in ``data_format`` layout.
    data_format : {"channels_last", "channels_first"}
    keepdims : bool
        Keep the steps axis with length 1.

    Returns
    -------
    ndarray of float32
        (batch, features), or with ``keepdims`` (batch, 1, features) for
        ``"channels_last"`` and (batch, features, 1) for ``"channels_first"``.

    Examples
    --------
    >>> x = [[[.7, -.2, .1], [.8, -.3, .2], [.2, -.1, .4], [.4, -.4, .8]]]
    >>> global_max_pooling1d(x)
    array([[ 0.8, -0.1,  0.8]], dtype=float32)
    """
    array, data_format = _as_batch(x, data_format)
    if array.shape[1] == 1:
        result = array.copy()  # nothing computed: values pass untouched
    else:
        result = np.max(array, axis=1, keepdims=True)
        if _any_small(result):  # as in max_pooling1d: only then do XLA's rules matter
            ranked, minus_zero = _ranked_zeros(array)
            result = _unranked_zeros(np.max(ranked, axis=1, keepdims=True), minus_zero)
    return _restore(result, data_format) if keepdims else np.ascontiguousarray(result[:, 0, :])


def global_average_pooling1d(
    x: ArrayLike,
    data_format: str = "channels_last",
    keepdims: bool = False,
    mask: ArrayLike | None = None,
) -> NDArray[np.float32]:
    """Mean over all steps, as ``keras.layers.GlobalAveragePooling1D``.

    Parameters
    ----------
    x : array_like
        3-D input in ``data_format`` layout.
    data_format : {"channels_last", "channels_first"}
    keepdims : bool
        Keep the steps axis with length 1.
    mask : array_like of bool, optional
        (batch, steps); False steps are left out of the mean, even when
        they hold NaN or inf. As in Keras, a row with every step masked
        gives 0 / 0 = NaN.

    Notes
    -----
    Bit for bit Keras' on JAX (CPU) for one sentence of up to 32 steps;
    longer sentences and large batches differ by float32 rounding only, at
    most ``2 * (n - 1) * 2**-24 * mean|x| + 2**-23 * |mean|`` over ``n``
    steps (measured: 1.2e-7 at most for 33 to 64 steps of values around 1).

    Returns
    -------
    ndarray of float32

    Examples
    --------
    >>> x = [[[1.], [2.], [6.]]]
    >>> global_average_pooling1d(x).tolist()
    [[3.0]]
    >>> global_average_pooling1d(x, mask=[[True, True, False]]).tolist()
    [[1.5]]
    """
    array, data_format = _as_batch(x, data_format)
    steps = array.shape[1]
    if mask is None and steps == 1:
        result = array[:, 0, :].copy()  # nothing computed: values pass untouched
    elif mask is None:
        with np.errstate(invalid="ignore", over="ignore"):
            total = _sum_output(_sum_steps(flush_subnormals(array)), computed=True)
            result = flush_subnormals(total * np.reciprocal(np.float32(steps)))
    else:
        weights = np.asarray(mask)
        if weights.shape != array.shape[:2]:
            raise ArgumentError(
                "mask", f"mask must have shape (batch, steps) = {array.shape[:2]}, got {weights.shape}."
            )
        keep = weights.astype(bool)[:, :, None]
        # Masked steps are replaced by 0, not multiplied by it: NaN * 0 is
        # NaN, and Keras drops a NaN or inf at a masked step.
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            total = _sum_output(
                _sum_steps(np.where(keep, flush_subnormals(array), np.float32(0))), computed=steps > 1
            )
            result = flush_subnormals(total * np.reciprocal(np.sum(keep, axis=1, dtype=np.float32)))
    if keepdims:
        return _restore(result[:, None, :], data_format)
    return np.ascontiguousarray(result, dtype=np.float32)
