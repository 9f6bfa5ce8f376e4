"""The backward pass of the 1-D pooling layers, exactly as ``jax.grad`` gives it.

Each function takes the layer's input ``x``, an ``upstream`` gradient shaped
like the layer's output, and the layer's own arguments, and returns the
vector-Jacobian product: the gradient each input cell receives, shaped like
``x``. Measured against Keras 3.15.1 on JAX 0.10.2 (see
``tools/make_keras_teaching_fixtures.py``), ties included:

* **Windowed max** (``MaxPooling1D``, XLA's ``select_and_scatter``): each
  window sends its whole upstream value to *one* cell. The window is scanned
  from its first position; the current choice is kept while it is ``>=`` the
  next cell. So among tied maxima the **first** (lowest row) wins. A NaN
  compares false with everything, so the choice moves on past a NaN and
  onto one. ``padding="same"`` pads with ``-inf``: a padded cell can be
  chosen (only when the real cells are ``-inf`` or NaN), and then that
  window's gradient is lost.
* **Global max** (``GlobalMaxPooling1D``, ``jnp.max``): the upstream value is
  **split equally** among every cell equal to the maximum (three tied rows
  get a third each; ``0.0`` and ``-0.0`` tie). When the maximum is NaN no
  cell equals it and every cell of that feature gets NaN.
* **Average** layers spread each window's upstream value evenly over the real
  cells it divided by; padding and masked steps get nothing.

Subnormal numbers (nonzero and below about 1.2e-38 in size) count as zeros
of their sign, in ``x`` and in ``upstream``, and no gradient is ever one, as
XLA computes on a CPU (see :mod:`pooling.layers`). So in ``[1e-40, 0,
-1e-40]`` all three steps tie for the maximum, and ``GlobalMaxPooling1D``
gives each a third of the gradient. A cell's gradient that is a sum (of the
windows that chose it, or of the shares it gets) starts from 0, so it is 0
rather than -0 when nothing or only -0 reaches it; only a lone share
(``GlobalMaxPooling1D``, ``GlobalAveragePooling1D``, or ``AveragePooling1D``
with ``pool_size=1``) keeps the sign of a -0.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .layers import Geometry, flush_subnormals, resolve_geometry

__all__ = [
    "average_pooling1d_grad",
    "global_average_pooling1d_grad",
    "global_max_pooling1d_grad",
    "max_pooling1d_grad",
    "max_pooling1d_routes",
]

DATA_FORMATS = ("channels_last", "channels_first")


def _inputs(x: ArrayLike, data_format: object) -> tuple[NDArray[np.float32], str]:
    """``x`` as float32 (batch, steps, features) and the checked data format."""
    if data_format not in DATA_FORMATS:
        raise ValueError(
            f'data_format must be "channels_last" or "channels_first", got {data_format!r}'
        )
    array = np.asarray(x, dtype=np.float32)
    if array.ndim != 3:
        layout = "(batch, steps, features)" if data_format == "channels_last" else "(batch, features, steps)"
        raise ValueError(f"x must be 3-D {layout}, got shape {array.shape}")
    if data_format == "channels_first":
        array = array.transpose(0, 2, 1)
    if array.shape[1] == 0:
        raise ValueError(f"x must have at least one step, got shape {np.shape(x)}")
    return array, str(data_format)


def _upstream(upstream: ArrayLike, shape: tuple[int, ...], data_format: str) -> NDArray[np.float32]:
    """``upstream`` as float32 in channels-last layout, checked against the layer's output shape."""
    array = np.asarray(upstream, dtype=np.float32)
    if data_format == "channels_first" and len(shape) == 3:
        expected = (shape[0], shape[2], shape[1])
    else:
        expected = shape
    if array.shape != expected:
        raise ValueError(
            f"upstream must have the layer's output shape {expected}, got {array.shape}"
        )
    if data_format == "channels_first" and array.ndim == 3:
        array = array.transpose(0, 2, 1)
    return array


def _restore(grad: NDArray[np.float32], data_format: str) -> NDArray[np.float32]:
    if data_format == "channels_first":
        grad = grad.transpose(0, 2, 1)
    return np.ascontiguousarray(grad, dtype=np.float32)


def _offsets(geometry: Geometry, width: int):
    """For each offset within a window, the strided slice of padded rows it touches."""
    last = (geometry.out_steps - 1) * geometry.strides
    for offset in range(geometry.pool_size):
        yield offset, slice(offset, offset + last + 1, geometry.strides)


def _selection(batch: NDArray[np.float32], geometry: Geometry) -> NDArray[np.int64]:
    """Padded-coordinate row each window of a max pool sends its gradient to.

    The ``select_and_scatter`` rule: keep the current choice while it is
    ``>=`` the next cell of the window, else move to that cell.
    """
    # Compared as XLA compares them: subnormals as zeros, and -0 equal to 0.
    padded = np.pad(
        flush_subnormals(batch),
        ((0, 0), (geometry.pad_left, geometry.pad_right), (0, 0)),
        constant_values=-np.inf,
    )
    starts = np.arange(geometry.out_steps, dtype=np.int64) * geometry.strides
    best_value = None
    best_row = None
    for offset, rows in _offsets(geometry, padded.shape[1]):
        cells = padded[:, rows, :]
        here = np.broadcast_to((starts + offset)[None, :, None], cells.shape)
        if best_value is None:
            best_value, best_row = cells.copy(), here.copy()
            continue
        move = ~(best_value >= cells)
        best_value = np.where(move, cells, best_value)
        best_row = np.where(move, here, best_row)
    assert best_row is not None  # pool_size >= 1
    return best_row


def max_pooling1d_routes(
    x: ArrayLike,
    pool_size: int = 2,
    strides: int | None = None,
    padding: str = "valid",
    data_format: str = "channels_last",
) -> NDArray[np.int64]:
    """Input row that receives each window's gradient in ``MaxPooling1D``.

    Parameters
    ----------
    x : array_like
        (batch, steps, features), or (batch, features, steps) for
        ``"channels_first"``.
    pool_size, strides, padding, data_format
        As in :func:`pooling.max_pooling1d`.

    Returns
    -------
    ndarray of int64, shape (batch, out_steps, features)
        Always channels-last. A row outside ``0 .. steps - 1`` is a padded
        cell: that window's gradient is lost.

    Examples
    --------
    A tie sends the gradient to the first of the tied rows:

    >>> max_pooling1d_routes([[[1.], [1.], [0.]]], pool_size=2, strides=1)[0, :, 0].tolist()
    [0, 1]
    """
    batch, _ = _inputs(x, data_format)
    geometry = resolve_geometry(batch.shape[1], pool_size, strides, padding)
    return _selection(batch, geometry) - geometry.pad_left


def max_pooling1d_grad(
    x: ArrayLike,
    upstream: ArrayLike,
    pool_size: int = 2,
    strides: int | None = None,
    padding: str = "valid",
    data_format: str = "channels_last",
) -> NDArray[np.float32]:
    """Gradient of ``MaxPooling1D`` with respect to its input.

    Each window sends its whole upstream value to one cell: its first
    maximum (ties go to the lowest row; see the module docstring for NaN
    and ``-inf`` padding). A cell that wins several overlapping windows
    gets the sum of their upstream values.

    Parameters
    ----------
    x : array_like
        The layer's input, (batch, steps, features) or, for
        ``"channels_first"``, (batch, features, steps).
    upstream : array_like
        Gradient of the loss with respect to the layer's output; the
        output's shape.
    pool_size, strides, padding, data_format
        As in :func:`pooling.max_pooling1d`.

    Returns
    -------
    ndarray of float32
        Shaped like ``x``.

    Raises
    ------
    ValueError
        For bad layer arguments, or an ``upstream`` not shaped like the output.

    Examples
    --------
    Row 0 and row 1 tie in the first window; row 1 wins two windows:

    >>> x = [[[1.], [1.], [0.]]]
    >>> max_pooling1d_grad(x, [[[1.], [10.]]], pool_size=2, strides=1)[0, :, 0].tolist()
    [1.0, 10.0, 0.0]
    """
    batch, data_format = _inputs(x, data_format)
    geometry = resolve_geometry(batch.shape[1], pool_size, strides, padding)
    grad_out = flush_subnormals(
        _upstream(upstream, (batch.shape[0], geometry.out_steps, batch.shape[2]), data_format)
    )
    chosen = _selection(batch, geometry)
    padded_steps = batch.shape[1] + geometry.pad_left + geometry.pad_right
    grad = np.zeros((batch.shape[0], padded_steps, batch.shape[2]), np.float32)
    starts = np.arange(geometry.out_steps, dtype=np.int64) * geometry.strides
    # Largest offset first: each cell then adds its windows in increasing
    # order, the order in which select_and_scatter accumulates them.
    for offset, rows in reversed(list(_offsets(geometry, padded_steps))):
        hit = chosen == (starts + offset)[None, :, None]
        with np.errstate(invalid="ignore", over="ignore"):
            grad[:, rows, :] += np.where(hit, grad_out, np.float32(0))
    grad = flush_subnormals(grad)
    return _restore(grad[:, geometry.pad_left : geometry.pad_left + batch.shape[1], :], data_format)


def average_pooling1d_grad(
    x: ArrayLike,
    upstream: ArrayLike,
    pool_size: int = 2,
    strides: int | None = None,
    padding: str = "valid",
    data_format: str = "channels_last",
) -> NDArray[np.float32]:
    """Gradient of ``AveragePooling1D`` with respect to its input.

    Each window divides its upstream value by its divisor (the number of
    real cells in it) and gives that share to each of its real cells.

    Parameters
    ----------
    x : array_like
        The layer's input; only its shape matters.
    upstream : array_like
        Shaped like the layer's output.
    pool_size, strides, padding, data_format
        As in :func:`pooling.average_pooling1d`.

    Returns
    -------
    ndarray of float32
        Shaped like ``x``.

    Examples
    --------
    Under ``"same"`` the last window holds one real cell and gives it all:

    >>> average_pooling1d_grad([[[1.], [2.], [4.]]], [[[1.], [1.]]], padding="same")[0, :, 0].tolist()
    [0.5, 0.5, 1.0]
    """
    batch, data_format = _inputs(x, data_format)
    geometry = resolve_geometry(batch.shape[1], pool_size, strides, padding)
    grad_out = _upstream(upstream, (batch.shape[0], geometry.out_steps, batch.shape[2]), data_format)
    with np.errstate(invalid="ignore", over="ignore"):
        share = flush_subnormals(flush_subnormals(grad_out) / geometry.counts().astype(np.float32)[None, :, None])
    padded_steps = batch.shape[1] + geometry.pad_left + geometry.pad_right
    grad = np.zeros((batch.shape[0], padded_steps, batch.shape[2]), np.float32)
    for _, rows in reversed(list(_offsets(geometry, padded_steps))):
        if geometry.pool_size == 1:
            grad[:, rows, :] = share  # a lone share, not a sum: a -0 keeps its sign
            continue
        with np.errstate(invalid="ignore", over="ignore"):
            grad[:, rows, :] += share
    grad = flush_subnormals(grad)
    return _restore(grad[:, geometry.pad_left : geometry.pad_left + batch.shape[1], :], data_format)


def _global_upstream(
    upstream: ArrayLike, batch: NDArray[np.float32], data_format: str, keepdims: bool
) -> NDArray[np.float32]:
    """Upstream of a global layer as (batch, 1, features)."""
    size, features = batch.shape[0], batch.shape[2]
    if keepdims:
        return _upstream(upstream, (size, 1, features), data_format)
    return _upstream(upstream, (size, features), data_format)[:, None, :]


def global_max_pooling1d_grad(
    x: ArrayLike,
    upstream: ArrayLike,
    data_format: str = "channels_last",
    keepdims: bool = False,
) -> NDArray[np.float32]:
    """Gradient of ``GlobalMaxPooling1D`` with respect to its input.

    Unlike the windowed layer, a tie **splits** the gradient: every step
    equal to the feature's maximum gets ``upstream / count``. A NaN maximum
    equals nothing, so each step of that feature gets NaN (``0 * inf``).

    Parameters
    ----------
    x : array_like
        The layer's input, 3-D in ``data_format`` layout.
    upstream : array_like
        (batch, features), or with ``keepdims`` the 3-D output shape.
    data_format : {"channels_last", "channels_first"}
    keepdims : bool

    Returns
    -------
    ndarray of float32
        Shaped like ``x``.

    Examples
    --------
    >>> x = [[[3.], [1.], [3.], [3.]]]
    >>> global_max_pooling1d_grad(x, [[1.]])[0, :, 0].tolist()
    [0.3333333432674408, 0.0, 0.3333333432674408, 0.3333333432674408]
    """
    batch, data_format = _inputs(x, data_format)
    batch = flush_subnormals(batch)
    grad_out = flush_subnormals(_global_upstream(upstream, batch, data_format, bool(keepdims)))
    # jnp.max's rule: indicators of the maximum, divided by their count.
    top = np.max(batch, axis=1, keepdims=True)
    indicators = (batch == top).astype(np.float32)
    counts = indicators.sum(axis=1, keepdims=True, dtype=np.float32)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        grad = flush_subnormals(grad_out / counts) * indicators
    return _restore(grad, data_format)


def global_average_pooling1d_grad(
    x: ArrayLike,
    upstream: ArrayLike,
    data_format: str = "channels_last",
    keepdims: bool = False,
    mask: ArrayLike | None = None,
) -> NDArray[np.float32]:
    """Gradient of ``GlobalAveragePooling1D`` with respect to its input.

    Every step gets ``upstream / steps``; with a ``mask``, every kept step
    gets ``upstream / kept`` and masked steps get 0 (even in a row with
    every step masked, whose output is NaN).

    Parameters
    ----------
    x : array_like
        The layer's input; only its shape matters.
    upstream : array_like
        (batch, features), or with ``keepdims`` the 3-D output shape.
    data_format : {"channels_last", "channels_first"}
    keepdims : bool
    mask : array_like of bool, optional
        (batch, steps), as in :func:`pooling.global_average_pooling1d`.

    Returns
    -------
    ndarray of float32
        Shaped like ``x``.

    Examples
    --------
    >>> x = [[[1.], [2.], [6.], [0.]]]
    >>> global_average_pooling1d_grad(x, [[1.]])[0, :, 0].tolist()
    [0.25, 0.25, 0.25, 0.25]
    >>> global_average_pooling1d_grad(x, [[1.]], mask=[[True, True, False, False]])[0, :, 0].tolist()
    [0.5, 0.5, 0.0, 0.0]
    """
    batch, data_format = _inputs(x, data_format)
    grad_out = flush_subnormals(_global_upstream(upstream, batch, data_format, bool(keepdims)))
    if mask is None:
        # Times the reciprocal of the number of steps, as XLA computes a
        # division by a constant; with a mask the count is data, and divides.
        share = flush_subnormals(grad_out * np.reciprocal(np.float32(batch.shape[1])))
        grad = np.broadcast_to(share, batch.shape)
    else:
        keep = np.asarray(mask)
        if keep.shape != batch.shape[:2]:
            raise ValueError(
                f"mask must have shape (batch, steps) = {batch.shape[:2]}, got {keep.shape}"
            )
        keep = keep.astype(bool)[:, :, None]
        counts = keep.sum(axis=1, keepdims=True, dtype=np.float32)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            grad = np.where(keep, flush_subnormals(grad_out / counts), np.float32(0))
    return _restore(grad, data_format)
