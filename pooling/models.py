"""``model.summary()`` for the two models of the classic question, in plain Python.

The question compares an LSTM stack pooled by a sliding window with one
pooled over the whole sequence:

* ``windowed``: ``LSTM(16, return_sequences=True)``,
  ``MaxPooling1D(pool_size=2, strides=1)``, ``LSTM(10)``, ``Dense(1)``;
* ``global``: ``LSTM(16, return_sequences=True)``, ``GlobalMaxPooling1D()``,
  ``Dense(1)``;

both on input ``(steps, features)``, ``(6, 10)`` in the question. Parameter
counts come from the layers' formulas: an LSTM has four gates, each with an
input kernel, a recurrent kernel and a bias, so ``4 * (units * (input_dim +
units) + units)``; a Dense layer ``input_dim * units + units``; a pooling
layer has none.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from .i18n import Messages, messages
from .layers import ArgumentError, resolve_geometry

__all__ = ["MODELS", "LayerRow", "ModelSummary", "dense_params", "lstm_params", "model_summary"]

MODELS = ("windowed", "global")


def lstm_params(units: int, input_dim: int) -> int:
    """Trainable parameters of ``LSTM(units)`` on ``input_dim`` features.

    >>> lstm_params(16, 10)
    1728
    """
    return 4 * (units * (input_dim + units) + units)


def dense_params(units: int, input_dim: int) -> int:
    """Trainable parameters of ``Dense(units)`` on ``input_dim`` inputs.

    >>> dense_params(1, 16)
    17
    """
    return input_dim * units + units


Shape = tuple[Optional[int], ...]


@dataclass(frozen=True)
class LayerRow:
    """One row of the summary: the layer as written, its output shape and parameters."""

    layer: str
    call: str
    output_shape: Shape
    params: int
    formula: str
    pooling: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "call": self.call,
            "output_shape": list(self.output_shape),
            "params": self.params,
            "formula": self.formula,
            "pooling": self.pooling,
        }


@dataclass(frozen=True)
class ModelSummary:
    """What ``model.summary()`` prints, as data; the batch axis is ``None``."""

    name: str
    input_shape: Shape
    rows: tuple[LayerRow, ...]

    @property
    def total_params(self) -> int:
        return sum(row.params for row in self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "input_shape": list(self.input_shape),
            "rows": [row.to_dict() for row in self.rows],
            "total_params": self.total_params,
            "trainable_params": self.total_params,
        }


def _lstm(units: int, input_dim: int, output_shape: Shape, call: str) -> LayerRow:
    return LayerRow(
        "LSTM",
        call,
        output_shape,
        lstm_params(units, input_dim),
        f"4 × ({units} × ({input_dim} + {units}) + {units}) = {lstm_params(units, input_dim)}",
        False,
    )


def _dense(units: int, input_dim: int) -> LayerRow:
    return LayerRow(
        "Dense",
        f"Dense({units})",
        (None, units),
        dense_params(units, input_dim),
        f"{input_dim} × {units} + {units} = {dense_params(units, input_dim)}",
        False,
    )


def model_summary(
    model: str = "windowed", steps: int = 6, features: int = 10, language: Messages | None = None
) -> ModelSummary:
    """Layer-by-layer output shapes and parameter counts, as ``model.summary()``.

    Parameters
    ----------
    model : {"windowed", "global"}
    steps : int
        Length of the input sequence (at least 2 for the windowed model,
        whose ``MaxPooling1D(pool_size=2)`` needs two steps).
    features : int
        Features per step.
    language : Messages, optional
        The language of the pooling rows' note ("no weights"); English by default.

    Returns
    -------
    ModelSummary

    Raises
    ------
    ValueError
        If ``model`` is unknown or ``steps`` / ``features`` is not a
        positive integer (or ``steps`` is 1 for the windowed model).

    Examples
    --------
    >>> s = model_summary("windowed", steps=6, features=10)
    >>> [(r.layer, r.output_shape, r.params) for r in s.rows]  # doctest: +NORMALIZE_WHITESPACE
    [('LSTM', (None, 6, 16), 1728), ('MaxPooling1D', (None, 5, 16), 0),
     ('LSTM', (None, 10), 1080), ('Dense', (None, 1), 11)]
    >>> s.total_params, model_summary("global").total_params
    (2819, 1745)
    """
    if model not in MODELS:
        raise ValueError(f'model must be "windowed" or "global", got {model!r}')
    for name, value in (("steps", steps), ("features", features)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    no_weights = (language or messages()).t("sections.summary.no_weights")
    first = _lstm(16, features, (None, steps, 16), "LSTM(16, return_sequences=True)")
    if model == "global":
        pool = LayerRow("GlobalMaxPooling1D", "GlobalMaxPooling1D()", (None, 16), 0, no_weights, True)
        return ModelSummary(model, (None, steps, features), (first, pool, _dense(1, 16)))
    if steps < 2:
        raise ArgumentError(
            "steps",
            f"steps must be at least 2 for MaxPooling1D(pool_size=2, strides=1) with "
            f'padding="valid", got {steps}',
            "errors.model.steps",
            steps=str(steps),
        )
    out_steps = resolve_geometry(steps, 2, 1, "valid").out_steps
    pool = LayerRow(
        "MaxPooling1D",
        "MaxPooling1D(pool_size=2, strides=1)",
        (None, out_steps, 16),
        0,
        no_weights,
        True,
    )
    second = _lstm(10, 16, (None, 10), "LSTM(10)")
    return ModelSummary(model, (None, steps, features), (first, pool, second, _dense(1, 10)))
