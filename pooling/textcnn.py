"""A toy text CNN: where global max pooling lives in NLP.

Kim's text CNN (2014) used filters of widths 3, 4 and 5, 100 of each; this
toy is the size of Zhang and Wallace's illustration (2015): filters of widths
2, 3 and 4 (2 of each by default) slide over the sentence's word vectors
(``Conv1D``, strides 1), a ReLU keeps the positive part, and
``GlobalMaxPooling1D`` keeps each filter's largest response over the whole
sentence ("max over time"): for every filter one number, and the n-gram that
gave it. The numbers of all filters, concatenated, are the sentence vector.

The toy weights are deterministic, like the toy embeddings: two-decimal
values from ``blake2b`` of the filter's name and the seed.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .layers import ArgumentError, resolve_geometry
from .traces import json_floats

__all__ = [
    "WIDTHS",
    "ConvFilter",
    "TextCnnTrace",
    "conv1d",
    "feature_wins",
    "toy_filters",
    "trace_textcnn",
]

WIDTHS = (2, 3, 4)


@dataclass(frozen=True)
class ConvFilter:
    """The weights of one ``Conv1D`` layer: ``kernel`` (width, features, filters), ``bias`` (filters,)."""

    kernel: NDArray[np.float32]
    bias: NDArray[np.float32]

    @property
    def width(self) -> int:
        return int(self.kernel.shape[0])


def _toy_values(name: str, count: int, seed: int) -> NDArray[np.float64]:
    key = str(seed).encode()
    blocks = -(-count // 16)
    raw = b"".join(
        hashlib.blake2b(name.encode(), digest_size=32, key=key, salt=block.to_bytes(16, "little")).digest()
        for block in range(blocks)
    )
    return np.frombuffer(raw, dtype="<u2")[:count].astype(np.float64) / 65535.0 * 2.0 - 1.0


def toy_filters(
    features: int, widths: tuple[int, ...] = WIDTHS, filters: int = 2, seed: int = 0
) -> list[ConvFilter]:
    """Deterministic toy ``Conv1D`` weights, one layer per width.

    Kernel values lie in [-1, 1], biases in [-0.5, 0.5], both with two
    decimals. The same ``(features, width, filters, seed)`` gives the same
    weights on every machine.

    Parameters
    ----------
    features : int
        Features per word (the kernel's input channels).
    widths : tuple of int
        One ``Conv1D`` per width.
    filters : int
        Filters per width.
    seed : int

    Returns
    -------
    list of ConvFilter

    Examples
    --------
    >>> layers = toy_filters(features=3)
    >>> [layer.kernel.shape for layer in layers], layers[0].bias.shape
    ([(2, 3, 2), (3, 3, 2), (4, 3, 2)], (2,))
    """
    for name, value in (("features", features), ("filters", filters)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    result = []
    for width in widths:
        if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
            raise ValueError(f"widths must hold positive integers, got {width!r}")
        size = width * features * filters
        values = _toy_values(f"conv{width}x{features}x{filters}", size + filters, int(seed))
        kernel = np.round(values[:size], 2).reshape(width, features, filters) + 0.0
        bias = np.round(values[size:] / 2, 2) + 0.0
        result.append(ConvFilter(kernel.astype(np.float32), bias.astype(np.float32)))
    return result


def conv1d(
    x: ArrayLike, kernel: ArrayLike, bias: ArrayLike, padding: str = "valid", activation: str = "relu"
) -> NDArray[np.float32]:
    """``Conv1D(filters, width, padding=padding, activation=activation)`` with given weights.

    A cross-correlation with strides 1, as in Keras: output step ``t`` is
    ``sum(x[t + k, c] * kernel[k, c, f]) + bias[f]`` over the window's
    positions ``k`` and input features ``c``. ``"same"`` pads with zeros,
    the smaller half on the left.

    Parameters
    ----------
    x : array_like
        (batch, steps, features).
    kernel : array_like
        (width, features, filters).
    bias : array_like
        (filters,).
    padding : {"valid", "same"}
    activation : {"relu", "linear"}

    Returns
    -------
    ndarray of float32, shape (batch, out_steps, filters)

    Examples
    --------
    >>> conv1d([[[1.], [2.], [3.]]], [[[1.]], [[-1.]]], [0.5], activation="linear").tolist()
    [[[-0.5], [-0.5]]]
    """
    array = np.asarray(x, dtype=np.float32)
    weights = np.asarray(kernel, dtype=np.float32)
    shift = np.asarray(bias, dtype=np.float32)
    if array.ndim != 3 or array.shape[1] == 0:
        raise ValueError(f"x must be 3-D (batch, steps, features) with at least one step, got shape {array.shape}")
    if weights.ndim != 3 or weights.shape[1] != array.shape[2]:
        raise ValueError(
            f"kernel must be (width, features, filters) with features = {array.shape[2]}, got shape {weights.shape}"
        )
    if shift.shape != (weights.shape[2],):
        raise ValueError(f"bias must have shape ({weights.shape[2]},), got {shift.shape}")
    if activation not in ("relu", "linear"):
        raise ValueError(f'activation must be "relu" or "linear", got {activation!r}')
    width = weights.shape[0]
    # The window arithmetic of a pooling layer with pool_size=width, strides=1.
    geometry = resolve_geometry(array.shape[1], width, 1, padding)
    padded = np.pad(array, ((0, 0), (geometry.pad_left, geometry.pad_right), (0, 0)))
    out = np.zeros((array.shape[0], geometry.out_steps, weights.shape[2]), np.float32)
    for k in range(width):
        out += padded[:, k : k + geometry.out_steps, :] @ weights[k]
    out += shift
    return np.maximum(out, np.float32(0)) if activation == "relu" else out


def feature_wins(x: ArrayLike) -> NDArray[np.int64]:
    """How many features of the global max each row (word) won.

    Each feature is won by its first maximum, as in the global trace.

    Parameters
    ----------
    x : array_like
        (steps, features).

    Returns
    -------
    ndarray of int64, shape (steps,)

    Examples
    --------
    >>> x = [[.7, -.2, .1], [.8, -.3, .2], [.2, -.1, .4], [.4, -.4, .8]]
    >>> feature_wins(x).tolist()
    [0, 1, 1, 1]
    """
    array = np.asarray(x, dtype=np.float32)
    if array.ndim != 2 or array.shape[0] == 0:
        raise ValueError(f"x must be 2-D (steps, features) with at least one step, got shape {array.shape}")
    return np.bincount(np.argmax(array, axis=0), minlength=array.shape[0]).astype(np.int64)


@dataclass(frozen=True)
class TextCnnTrace:
    """Each filter's responses over the sentence, its winning n-gram and the sentence vector."""

    x: NDArray[np.float32]
    layers: tuple[ConvFilter, ...]
    padding: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON the API sends."""
        steps = self.x.shape[0]
        filters = []
        vector = []
        # Per word: how many filters' best phrases (any of a tie) hold it.
        phrase_wins = np.zeros(steps, np.int64)
        for layer in self.layers:
            geometry = resolve_geometry(steps, layer.width, 1, self.padding)
            pre = conv1d(self.x[None], layer.kernel, layer.bias, self.padding, "linear")[0]
            post = np.maximum(pre, np.float32(0))
            for f in range(layer.kernel.shape[2]):
                window = int(np.argmax(post[:, f]))
                start = window - geometry.pad_left
                value = post[window, f]
                vector.append(value)
                all_zero = bool((post[:, f] == 0).all())
                # Every window with the best score: a tie's value is shared.
                windows = [int(w) for w in np.flatnonzero(post[:, f] == value)] if not all_zero else []
                covered = {
                    r for w in windows for r in range(w - geometry.pad_left, w - geometry.pad_left + layer.width)
                    if 0 <= r < steps
                }
                phrase_wins[sorted(covered)] += 1
                filters.append({
                    "name": f"conv{layer.width}_{f}",
                    "width": layer.width,
                    "filter": f,
                    "kernel": json_floats(layer.kernel[:, :, f]),
                    "bias": json_floats(layer.bias[f : f + 1])[0],
                    "pre_activation": json_floats(pre[:, f]),
                    "activation": json_floats(post[:, f]),
                    "winner": {
                        "window": window,
                        "start": start,
                        "stop": start + layer.width,
                        "rows": [r for r in range(start, start + layer.width) if 0 <= r < steps],
                        "value": json_floats(np.float32(value)[None])[0],
                        # Every response clipped to 0: no phrase stands out ("window" is only
                        # the first of equals, and "windows" is empty).
                        "all_zero": all_zero,
                        "windows": windows,
                    },
                })
        return {
            "padding": self.padding,
            "widths": [layer.width for layer in self.layers],
            "filters": filters,
            "vector": json_floats(np.asarray(vector, np.float32)),
            "vector_shape": [1, len(vector)],
            "phrase_wins": phrase_wins.tolist(),
        }


def trace_textcnn(
    x: ArrayLike,
    layers: list[ConvFilter] | None = None,
    padding: str = "valid",
    filters: int = 2,
    seed: int = 0,
) -> TextCnnTrace:
    """Run the toy text CNN over one sentence (steps, features).

    Parameters
    ----------
    x : array_like
        (steps, features).
    layers : list of ConvFilter, optional
        The weights; by default :func:`toy_filters` for widths 2, 3 and 4.

    The answer's ``phrase_wins`` counts, for each word, the filters whose best
    phrase holds it (every best phrase of a tie; none for a filter whose
    scores are all 0).
    padding : {"valid", "same"}
        ``"valid"`` needs at least as many words as the widest filter.
    filters, seed
        For the toy weights.

    Examples
    --------
    >>> x = [[.7, -.2, .1], [.8, -.3, .2], [.2, -.1, .4], [.4, -.4, .8]]
    >>> d = trace_textcnn(x).to_dict()
    >>> d["widths"], len(d["vector"]), d["filters"][0]["winner"]["stop"] - d["filters"][0]["winner"]["start"]
    ([2, 3, 4], 6, 2)
    """
    array = np.asarray(x, dtype=np.float32)
    if array.ndim != 2 or array.shape[0] == 0:
        raise ValueError(f"x must be 2-D (steps, features) with at least one step, got shape {array.shape}")
    if layers is None:
        layers = toy_filters(array.shape[1], WIDTHS, filters, seed)
    for layer in layers:
        # Checks padding, and that a "valid" filter fits the sentence.
        if padding == "valid" and layer.width > array.shape[0]:
            raise ArgumentError(
                "padding",
                f"padding=\"valid\" needs at least {layer.width} words for the width-{layer.width} "
                f"filter, got {array.shape[0]}; use padding=\"same\" or a longer sentence.",
                "errors.textcnn.too_short",
                width=str(layer.width),
                steps=str(array.shape[0]),
            )
        resolve_geometry(array.shape[0], layer.width, 1, padding)
    return TextCnnTrace(array, tuple(layers), str(padding).lower())
