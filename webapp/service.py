"""From a validated request to the trace the page draws: the engine does the maths."""
from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from pooling import PRESETS, TRACE_FORMAT, json_floats, tokenize, toy_embeddings, trace_global, trace_pooling
from pooling.traces import Floats

from .errors import ApiError, show
from .schemas import FLOAT32_MAX, MAX_TOKENS, MAX_WORD_CHARS, TraceRequest
from .wording import message

__all__ = ["build_trace", "source", "words"]


def words(sentence: str) -> list[str]:
    """The sentence's words, within the limits, or ApiError on ``sentence``."""
    try:
        tokens = tokenize(sentence)
    except ValueError:
        # The engine's message quotes the whole sentence; keep ours short.
        raise ApiError("sentence", "errors.sentence.no_words", got=show(sentence)) from None
    if len(tokens) > MAX_TOKENS:
        raise ApiError("sentence", "errors.sentence.too_many_words", words=str(len(tokens)), max=str(MAX_TOKENS))
    for word in tokens:
        if len(word) > MAX_WORD_CHARS:
            raise ApiError(
                "sentence", "errors.sentence.long_word", word=show(word, 40), chars=len(word), max=str(MAX_WORD_CHARS)
            )
    return tokens


def source(req: TraceRequest) -> tuple[list[str], NDArray[np.float32]]:
    """The request's words and their vectors: a preset's, given embeddings, or toy ones."""
    if req.preset is not None:
        preset = PRESETS[req.preset]
        return list(preset.tokens), preset.x().astype(np.float32)
    if req.embeddings is not None:
        x = np.asarray(req.embeddings, dtype=np.float32)
        if req.sentence is None:
            return [f"w{i}" for i in range(len(x))], x
        tokens = words(req.sentence)
        if len(tokens) != len(x):
            raise ApiError(
                "sentence",
                "errors.sentence.rows_differ",
                words=message("errors.count.words", count=len(tokens)),
                rows=message("errors.count.rows", count=len(x)),
            )
        return tokens, x
    assert req.sentence is not None  # the model guarantees one source
    tokens = words(req.sentence)
    return tokens, toy_embeddings(tokens, req.features, req.seed).astype(np.float32)


def build_trace(req: TraceRequest, floats: Floats = json_floats) -> dict[str, Any]:
    """The ``POST /api/trace`` response for a validated request.

    ``floats`` writes each float32 array: ``json_floats``' plain lists by
    default (the exports read them), ``webapp.encoding.json_array`` for the
    answer orjson writes (the same bytes, faster).

    Engine ValueErrors (such as ``pool_size`` larger than the sentence with
    ``padding="valid"``) propagate to the app's error handler.
    """
    tokens, x = source(req)
    # The engine keeps float32 overflow quiet; it is caught just below.
    pooling = trace_pooling(x, req.layer, req.pool_size, req.strides, req.padding)
    global_ = trace_global(x, kind=req.layer)
    if not (np.isfinite(pooling.output).all() and np.isfinite(global_.output).all()):
        # Each value fits float32, but a float32 sum of several may not (average only).
        raise ApiError("embeddings", "errors.embeddings.sum_overflow", max=f"{FLOAT32_MAX:.1e}")
    return {
        "format": TRACE_FORMAT,
        "tokens": tokens,
        "x": floats(x),
        "pooling": pooling.to_dict(floats),
        "global": global_.to_dict(floats),
        "request": req.model_dump(),
    }
