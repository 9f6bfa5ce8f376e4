"""Keras-exact 1-D pooling in pure NumPy, with traces for the visualiser.

No Flask, no Plotly, no Keras: NumPy in, NumPy or plain data out.
"""
from __future__ import annotations

from .batch import (
    BATCH_PRESETS,
    BatchPreset,
    BatchTrace,
    masked_global_max_pooling1d,
    pad_sequences,
    trace_batch,
)
from .embeddings import MAX_FEATURES, tokenize, toy_embeddings
from .gradients import (
    average_pooling1d_grad,
    global_average_pooling1d_grad,
    global_max_pooling1d_grad,
    max_pooling1d_grad,
    max_pooling1d_routes,
)
from .layers import (
    ArgumentError,
    Geometry,
    TooShortError,
    average_pooling1d,
    flush_subnormals,
    global_average_pooling1d,
    global_max_pooling1d,
    max_pooling1d,
    output_length_formula,
    resolve_geometry,
)
from .models import MODELS, LayerRow, ModelSummary, dense_params, lstm_params, model_summary
from . import questions
from .presets import PRESETS, Preset, get_preset
from .textcnn import WIDTHS, ConvFilter, TextCnnTrace, conv1d, feature_wins, toy_filters, trace_textcnn
from .traces import TRACE_FORMAT, GlobalTrace, PoolingTrace, json_floats, trace_global, trace_pooling, window_cells

__all__ = [
    "TRACE_FORMAT",
    "BATCH_PRESETS",
    "MAX_FEATURES",
    "MODELS",
    "PRESETS",
    "WIDTHS",
    "BatchPreset",
    "BatchTrace",
    "ConvFilter",
    "Geometry",
    "GlobalTrace",
    "LayerRow",
    "ModelSummary",
    "PoolingTrace",
    "Preset",
    "TextCnnTrace",
    "TooShortError",
    "average_pooling1d",
    "average_pooling1d_grad",
    "conv1d",
    "dense_params",
    "feature_wins",
    "flush_subnormals",
    "get_preset",
    "global_average_pooling1d",
    "global_average_pooling1d_grad",
    "global_max_pooling1d",
    "global_max_pooling1d_grad",
    "json_floats",
    "lstm_params",
    "masked_global_max_pooling1d",
    "max_pooling1d",
    "max_pooling1d_grad",
    "max_pooling1d_routes",
    "model_summary",
    "output_length_formula",
    "pad_sequences",
    "questions",
    "resolve_geometry",
    "tokenize",
    "toy_embeddings",
    "toy_filters",
    "trace_batch",
    "trace_global",
    "trace_pooling",
    "trace_textcnn",
    "window_cells",
]
