"""Batches of sentences, the zero padding that makes them one array, and its pitfall.

Sentences of different lengths become one (batch, steps, features) array by
padding each at the end with zero vectors up to the longest, as
``keras.utils.pad_sequences(..., padding="post")`` does. ``GlobalMaxPooling1D``
then sees the padding as real steps: in a feature whose real values are all
negative, a padding zero wins. Keras' ``GlobalMaxPooling1D`` takes no mask
(measured with Keras 3.15.1 on JAX: ``Embedding(mask_zero=True)`` then
``GlobalMaxPooling1D`` gives ``[0, 0]`` for two real words of ``[-1, -2]``,
and warns that the layer "does not support masking"), while
``GlobalAveragePooling1D`` honours the mask. The fix is a masked max: masked
steps count as ``-inf``, so they never win.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .layers import flush_subnormals, global_average_pooling1d, global_max_pooling1d
from .traces import json_floats

__all__ = [
    "BATCH_PRESETS",
    "BatchPreset",
    "BatchTrace",
    "masked_global_max_pooling1d",
    "pad_sequences",
    "trace_batch",
]


def pad_sequences(
    sequences: list[ArrayLike], value: float = 0.0
) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
    """Pad sequences of vectors at the end to the longest, and say which steps are real.

    Parameters
    ----------
    sequences : list of array_like
        Each (steps_i, features), the same ``features`` for all.
    value : float
        What padded cells hold (``pad_sequences``' ``value``).

    Returns
    -------
    x : ndarray of float32, shape (batch, steps, features)
        ``steps`` is the longest sequence's length.
    mask : ndarray of bool, shape (batch, steps)
        True on real steps, False on padding (``Embedding(mask_zero=True)``'s mask).

    Raises
    ------
    ValueError
        If there is no sequence, one is empty or not 2-D, or the widths differ.

    Examples
    --------
    >>> x, mask = pad_sequences([[[1., -1.]], [[2., 2.], [3., 3.]]])
    >>> x.tolist()
    [[[1.0, -1.0], [0.0, 0.0]], [[2.0, 2.0], [3.0, 3.0]]]
    >>> mask.tolist()
    [[True, False], [True, True]]
    """
    if len(sequences) == 0:
        raise ValueError("sequences must hold at least one sequence, got none")
    arrays = [np.asarray(sequence, dtype=np.float32) for sequence in sequences]
    for i, array in enumerate(arrays):
        if array.ndim != 2 or array.shape[0] == 0:
            raise ValueError(
                f"sequences[{i}] must be 2-D (steps, features) with at least one step, got shape {array.shape}"
            )
        if array.shape[1] != arrays[0].shape[1]:
            raise ValueError(
                f"sequences must all have the same number of features: sequences[0] has "
                f"{arrays[0].shape[1]} but sequences[{i}] has {array.shape[1]}"
            )
    lengths = np.array([len(array) for array in arrays])
    steps = int(lengths.max())
    x = np.full((len(arrays), steps, arrays[0].shape[1]), value, np.float32)
    for i, array in enumerate(arrays):
        x[i, : len(array)] = array
    mask = np.arange(steps)[None, :] < lengths[:, None]
    return x, mask


def masked_global_max_pooling1d(
    x: ArrayLike,
    mask: ArrayLike,
    data_format: str = "channels_last",
    keepdims: bool = False,
) -> NDArray[np.float32]:
    """Max over the real steps only: the fix for the padding pitfall.

    Masked steps are treated as ``-inf`` (replaced, not added to, so a NaN
    at a masked step is dropped). A row with every step masked has no
    maximum and gives ``-inf``.

    Parameters
    ----------
    x : array_like
        3-D in ``data_format`` layout, as for :func:`pooling.global_max_pooling1d`.
    mask : array_like of bool
        (batch, steps); False steps never win.
    data_format : {"channels_last", "channels_first"}
    keepdims : bool

    Returns
    -------
    ndarray of float32
        The shape :func:`pooling.global_max_pooling1d` gives.

    Examples
    --------
    Two real words of ``[-1, -2]`` and two padding steps:

    >>> x = [[[-1., -2.], [-1., -2.], [0., 0.], [0., 0.]]]
    >>> masked_global_max_pooling1d(x, [[True, True, False, False]]).tolist()
    [[-1.0, -2.0]]
    """
    array = np.asarray(x, dtype=np.float32)
    keep = np.asarray(mask)
    steps_axis = 2 if data_format == "channels_first" else 1
    if array.ndim == 3 and keep.shape != (array.shape[0], array.shape[steps_axis]):
        raise ValueError(
            f"mask must have shape (batch, steps) = {(array.shape[0], array.shape[steps_axis])}, "
            f"got {keep.shape}"
        )
    if array.ndim == 3:
        keep = np.expand_dims(keep.astype(bool), 1 if data_format == "channels_first" else 2)
        array = np.where(keep, array, np.float32(-np.inf))
    # The layer itself checks x's rank and data_format.
    return global_max_pooling1d(array, data_format=data_format, keepdims=keepdims)


def _first_max_rows(x: NDArray[np.float32], mask: NDArray[np.bool_] | None) -> NDArray[np.int64]:
    x = flush_subnormals(x)  # subnormals tie with zeros, as in the layer
    values = x if mask is None else np.where(mask[:, :, None], x, np.float32(-np.inf))
    return np.argmax(values, axis=1)


@dataclass(frozen=True)
class BatchTrace:
    """Several sentences padded into one batch, pooled with and without the mask."""

    x: NDArray[np.float32]
    mask: NDArray[np.bool_]

    @property
    def lengths(self) -> list[int]:
        return self.mask.sum(axis=1).tolist()

    def to_dict(self) -> dict[str, Any]:
        """The JSON the API sends; ``winners`` are first-maximum rows, as in the global trace."""
        x, mask = self.x, self.mask
        plain_max = global_max_pooling1d(x)
        plain_winners = _first_max_rows(x, None)
        padding_won = plain_winners >= np.asarray(self.lengths)[:, None]
        return {
            "input_shape": list(x.shape),
            "lengths": self.lengths,
            "x": json_floats(x),
            "mask": mask.tolist(),
            "global_max": {
                "call": "GlobalMaxPooling1D()",
                "output": json_floats(plain_max),
                "winners": plain_winners.tolist(),
                "padding_won": padding_won.tolist(),
            },
            "masked_max": {
                "call": "masked_global_max_pooling1d(x, mask)",
                "output": json_floats(masked_global_max_pooling1d(x, mask)),
                "winners": _first_max_rows(x, mask).tolist(),
            },
            "global_average": {
                "call": "GlobalAveragePooling1D()",
                "output": json_floats(global_average_pooling1d(x)),
            },
            "masked_average": {
                "call": "GlobalAveragePooling1D()(x, mask=mask)",
                "output": json_floats(global_average_pooling1d(x, mask=mask)),
            },
            "output_shape": [int(x.shape[0]), int(x.shape[2])],
        }


def trace_batch(sequences: list[ArrayLike]) -> BatchTrace:
    """Pad ``sequences`` and trace the global layers over the batch.

    Examples
    --------
    >>> trace = trace_batch([[[0.5, 0.2], [0.1, 0.4], [0.3, 0.3]], [[-1., -2.], [-1., -2.]]])
    >>> d = trace.to_dict()
    >>> d["global_max"]["output"], d["global_max"]["padding_won"][1]
    ([[0.5, 0.4], [0.0, 0.0]], [True, True])
    >>> d["masked_max"]["output"][1], d["masked_average"]["output"][1]
    ([-1.0, -2.0], [-1.0, -2.0])
    """
    x, mask = pad_sequences(sequences)
    return BatchTrace(x, mask)


@dataclass(frozen=True)
class BatchPreset:
    """A named batch: one sentence per line, with hand-written vectors."""

    name: str
    title: str
    teaches: str
    sentences: tuple[str, ...]
    embeddings: tuple[tuple[tuple[float, ...], ...], ...]


BATCH_PRESETS: dict[str, BatchPreset] = {
    preset.name: preset
    for preset in (
        BatchPreset(
            name="pitfall",
            title="The padding pitfall",
            teaches=(
                '"not bad" is padded with two zero vectors to the length of "the boy will live"; '
                "its first two features are negative in both words, so a padding zero wins them "
                "under GlobalMaxPooling1D. The masked max keeps the real values."
            ),
            sentences=("the boy will live", "not bad"),
            embeddings=(
                ((0.7, -0.2, 0.1), (0.8, -0.3, 0.2), (0.2, -0.1, 0.4), (0.4, -0.4, 0.8)),
                ((-0.6, -0.3, 0.5), (-0.2, -0.7, 0.1)),
            ),
        ),
    )
}
