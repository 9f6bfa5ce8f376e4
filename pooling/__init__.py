"""Keras-exact 1-D pooling in pure NumPy, with traces for the visualiser.

No Flask, no Plotly, no Keras: NumPy in, NumPy or plain data out.
"""
from __future__ import annotations

from .embeddings import MAX_FEATURES, tokenize, toy_embeddings
from .gradients import (
    average_pooling1d_grad,
    global_average_pooling1d_grad,
    global_max_pooling1d_grad,
    max_pooling1d_grad,
    max_pooling1d_routes,
)
from .layers import (
    Geometry,
    average_pooling1d,
    global_average_pooling1d,
    global_max_pooling1d,
    max_pooling1d,
    output_length_formula,
    resolve_geometry,
)
from .presets import PRESETS, Preset, get_preset
from .traces import GlobalTrace, PoolingTrace, json_floats, trace_global, trace_pooling

__all__ = [
    "MAX_FEATURES",
    "PRESETS",
    "Geometry",
    "GlobalTrace",
    "PoolingTrace",
    "Preset",
    "average_pooling1d",
    "average_pooling1d_grad",
    "get_preset",
    "global_average_pooling1d",
    "global_average_pooling1d_grad",
    "global_max_pooling1d",
    "global_max_pooling1d_grad",
    "json_floats",
    "max_pooling1d",
    "max_pooling1d_grad",
    "max_pooling1d_routes",
    "output_length_formula",
    "resolve_geometry",
    "tokenize",
    "toy_embeddings",
    "trace_global",
    "trace_pooling",
]
