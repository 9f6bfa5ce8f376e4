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
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "Geometry",
    "average_pooling1d",
    "global_average_pooling1d",
    "global_max_pooling1d",
    "max_pooling1d",
    "output_length_formula",
    "resolve_geometry",
]

PADDINGS = ("valid", "same")
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

    def counts(self) -> NDArray[np.int64]:
        """Number of real (unpadded) input cells in every window."""
        starts = self.starts()
        stops = starts + self.pool_size
        return np.minimum(stops, self.steps) - np.maximum(starts, 0)


def _positive_int(name: str, value: object) -> int:
    # bool is an int subclass in Python; Keras users never mean True as 1.
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    try:
        number = operator.index(value)
    except TypeError:
        raise ValueError(f"{name} must be a positive integer, got {value!r}") from None
    if number < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return number


def _padding(value: object) -> str:
    if isinstance(value, str) and value.lower() in PADDINGS:
        return value.lower()
    raise ValueError(f'padding must be "valid" or "same", got {value!r}')


def _data_format(value: object) -> str:
    if value in DATA_FORMATS:
        return value  # type: ignore[return-value]
    raise ValueError(
        f'data_format must be "channels_last" or "channels_first", got {value!r}'
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
        Window length.
    strides : int or None
        Distance between window starts; ``None`` means ``pool_size``.
    padding : {"valid", "same"}
        Case-insensitive, as in Keras.

    Returns
    -------
    Geometry

    Raises
    ------
    ValueError
        If an argument is not of the kind Keras accepts, or if
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
            raise ValueError(
                f"pool_size={pool_size} is larger than the {steps} steps of the input, "
                'so padding="valid" leaves no window that fits; use padding="same" '
                f"or a pool_size of at most {steps}"
            )
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
        raise ValueError(f"x must be 3-D {layout}, got shape {array.shape}")
    if data_format == "channels_first":
        array = array.transpose(0, 2, 1)
    if array.shape[1] == 0:
        raise ValueError(f"x must have at least one step, got shape {np.shape(x)}")
    return array, data_format


def _restore(result: NDArray[np.float32], data_format: str) -> NDArray[np.float32]:
    if data_format == "channels_first":
        result = result.transpose(0, 2, 1)
    return np.ascontiguousarray(result, dtype=np.float32)


def _windows(padded: NDArray[np.float32], geometry: Geometry):
    """Yield, for each offset within a window, that offset's cell of every window.

    Each item is a strided view of shape (batch, out_steps, features): a loop
    over the ``pool_size`` offsets, never over windows.
    """
    last = (geometry.out_steps - 1) * geometry.strides
    for offset in range(geometry.pool_size):
        yield padded[:, offset : offset + last + 1 : geometry.strides, :]


def _pad(x: NDArray[np.float32], geometry: Geometry, fill: float) -> NDArray[np.float32]:
    if geometry.pad_left == geometry.pad_right == 0:
        return x
    return np.pad(
        x, ((0, 0), (geometry.pad_left, geometry.pad_right), (0, 0)), constant_values=fill
    )


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
        Window length.
    strides : int or None
        Distance between windows; ``None`` means ``pool_size``.
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
    result = None
    for cells in _windows(_pad(batch, geometry, -np.inf), geometry):
        # np.maximum propagates NaN, as XLA's max does.
        result = cells.copy() if result is None else np.maximum(result, cells)
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

    Parameters
    ----------
    x : array_like
        (batch, steps, features) for ``"channels_last"``,
        (batch, features, steps) for ``"channels_first"``.
    pool_size : int
        Window length.
    strides : int or None
        Distance between windows; ``None`` means ``pool_size``.
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
    total = np.zeros((batch.shape[0], geometry.out_steps, batch.shape[2]), np.float32)
    # inf + -inf is NaN in Keras too: a result to show, not a warning.
    with np.errstate(invalid="ignore", over="ignore"):
        for cells in _windows(_pad(batch, geometry, 0.0), geometry):
            total += cells
    divisor = geometry.counts().astype(np.float32)[None, :, None]
    return _restore(total / divisor, data_format)


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
    result = np.max(array, axis=1, keepdims=bool(keepdims))
    return _restore(result, data_format) if keepdims else result.astype(np.float32)


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
    if mask is None:
        with np.errstate(invalid="ignore", over="ignore"):
            result = np.mean(array, axis=1, keepdims=True, dtype=np.float32)
    else:
        weights = np.asarray(mask)
        if weights.shape != array.shape[:2]:
            raise ValueError(
                f"mask must have shape (batch, steps) = {array.shape[:2]}, got {weights.shape}"
            )
        keep = weights.astype(bool)[:, :, None]
        # Masked steps are replaced by 0, not multiplied by it: NaN * 0 is
        # NaN, and Keras drops a NaN or inf at a masked step.
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            result = np.sum(np.where(keep, array, 0), axis=1, keepdims=True, dtype=np.float32) / np.sum(
                keep, axis=1, keepdims=True, dtype=np.float32
            )
    if keepdims:
        return _restore(result, data_format)
    return np.ascontiguousarray(result[:, 0, :], dtype=np.float32)
