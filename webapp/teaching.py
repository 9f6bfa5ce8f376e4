"""Endpoints behind the teaching sections (issue 9): parse, call the engine, serialise.

``POST /api/gradient``, ``/api/batch``, ``/api/model``, ``/api/textcnn`` and
``/api/questions`` (issue 15's next questions) take the same view state as ``/api/trace`` (plus their own fields) and answer
with the numbers each section draws. Errors take the app's one shape,
``{"error", "field"}``.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from flask import Blueprint, Response, current_app, jsonify, request
from flask.json.provider import JSONProvider
from numpy.typing import NDArray
from pydantic import TypeAdapter

from pooling import (
    BATCH_PRESETS,
    ArgumentError,
    average_pooling1d,
    average_pooling1d_grad,
    feature_wins,
    global_average_pooling1d,
    global_average_pooling1d_grad,
    global_max_pooling1d,
    global_max_pooling1d_grad,
    json_floats,
    max_pooling1d,
    max_pooling1d_grad,
    max_pooling1d_routes,
    model_summary,
    questions,
    resolve_geometry,
    toy_embeddings,
    trace_batch,
    trace_textcnn,
)
from pooling.i18n import Messages, messages

from .encoding import choose_encoding, encode_response
from .errors import ApiError
from .i18n import current
from .jsonbody import parse_json_object, read_json_bytes, read_json_object
from .limits import offload
from .schemas import FLOAT32_MAX, MAX_TOKENS
from .service import source, words
from .teaching_schemas import (
    MAX_SENTENCES,
    BatchRequest,
    GradientRequest,
    ModelRequest,
    QuestionsRequest,
    TextCnnRequest,
)

__all__ = ["teaching"]

teaching = Blueprint("teaching", __name__, url_prefix="/api")

_MODEL_REQUEST = TypeAdapter(ModelRequest)
_MODEL_DEFAULTS = {"steps": 6, "features": 10}
# The tie rules in the learner's words (message ids, written in the request's
# language); how XLA and JAX come to them is in the section's "for the
# curious" note (templates/sections.html).
TIE_RULES = {
    "MaxPooling1D": "sections.gradient.tie_rule_max",
    "AveragePooling1D": "sections.gradient.tie_rule_average",
    "GlobalMaxPooling1D": "sections.gradient.tie_rule_global_max",
    "GlobalAveragePooling1D": "sections.gradient.tie_rule_global_average",
}


def _finite(values: NDArray[np.float32], field: str, key: str) -> None:
    # key: the message saying what overflows (a field, an average, a sum of upstream values).
    if not np.isfinite(values).all():
        raise ApiError(field, key, field=field, max=f"{FLOAT32_MAX:.1e}")


def _upstream(given: Any, shape: tuple[int, ...], field: str) -> NDArray[np.float32]:
    if given is None:
        return np.ones(shape, np.float32)
    with np.errstate(over="ignore"):
        array = np.asarray(given, dtype=np.float32)
    if array.shape != shape:
        raise ApiError(
            field, "errors.upstream.shape", field=field, expected=str(list(shape)), got=str(list(array.shape))
        )
    _finite(array, field, "errors.overflow.field")
    return array


@teaching.post("/gradient")
def gradient() -> Response:
    """The gradient each input cell receives from the windowed and the global layer."""
    # On a heavy thread (webapp/limits.py), with what it needs from the request read here.
    return offload(gradient_response, read_json_bytes(), current_app.json, choose_encoding(request), current())


def gradient_response(data: bytes, provider: JSONProvider, encoding: str | None, language: Messages) -> Response:
    """The ``POST /api/gradient`` response to the JSON body ``data``, as ``jsonify`` writes it, compressed in ``encoding``."""
    req = GradientRequest.model_validate(parse_json_object(data))
    return encode_response(provider.response(build_gradient(req, language)), encoding)


def build_gradient(req: GradientRequest, language: Messages | None = None) -> dict[str, Any]:
    """The ``POST /api/gradient`` answer: both layers' outputs, upstreams and gradients (tie rules in ``language``)."""
    language = language or messages()
    tokens, x = source(req)
    batch = x[None]
    geometry = resolve_geometry(len(x), req.pool_size, req.strides, req.padding)
    args = (req.pool_size, req.strides, req.padding)
    up_pool = _upstream(req.upstream_pooling, (geometry.out_steps, x.shape[1]), "upstream_pooling")
    up_global = _upstream(req.upstream_global, (x.shape[1],), "upstream_global")
    strides = "None" if req.strides is None else req.strides
    call = f'(pool_size={req.pool_size}, strides={strides}, padding="{req.padding}")'
    if req.layer == "max":
        name, global_name = "MaxPooling1D", "GlobalMaxPooling1D"
        output = max_pooling1d(batch, *args)
        grad = max_pooling1d_grad(batch, up_pool[None], *args)
        global_output = global_max_pooling1d(batch)
        global_grad = global_max_pooling1d_grad(batch, up_global[None])
        extra: dict[str, Any] = {"routes": max_pooling1d_routes(batch, *args)[0].tolist()}
        global_extra: dict[str, Any] = {"shares": (x == global_output).sum(axis=0).tolist()}
    else:
        name, global_name = "AveragePooling1D", "GlobalAveragePooling1D"
        output = average_pooling1d(batch, *args)
        grad = average_pooling1d_grad(batch, up_pool[None], *args)
        global_output = global_average_pooling1d(batch)
        global_grad = global_average_pooling1d_grad(batch, up_global[None])
        extra, global_extra = {"divisors": geometry.counts().tolist()}, {}
    _finite(output, "embeddings", "errors.overflow.average")
    _finite(global_output, "embeddings", "errors.overflow.average")
    # Overlapping windows add their upstream values.
    _finite(grad, "upstream_pooling", "errors.overflow.upstream_sum")
    return {
        "tokens": tokens,
        "x": json_floats(x),
        "pooling": {
            "name": name,
            "call": name + call,
            "output": json_floats(output[0]),
            "upstream": json_floats(up_pool),
            "grad": json_floats(grad[0]),
            "tie_rule": language.t(TIE_RULES[name]),
            **extra,
        },
        "global": {
            "name": global_name,
            "call": global_name + "()",
            "output": json_floats(global_output[0]),
            "upstream": json_floats(up_global),
            "grad": json_floats(global_grad[0]),
            "tie_rule": language.t(TIE_RULES[global_name]),
            **global_extra,
        },
        "request": req.model_dump(),
    }


@teaching.post("/batch")
def batch() -> Response:
    """Several sentences padded into one batch, pooled with and without the mask."""
    req = BatchRequest.model_validate(read_json_object())
    return jsonify(build_batch(req))


def _lines(sentence: str) -> list[tuple[str, list[str]]]:
    words(sentence)  # the limits on the whole text: 256 words, 100 characters a word
    lines = [line.strip() for line in sentence.splitlines() if line.strip()]
    if len(lines) > MAX_SENTENCES:
        raise ApiError("sentence", "errors.batch.too_many_lines", lines=str(len(lines)), max=str(MAX_SENTENCES))
    result = []
    for i, line in enumerate(lines):
        try:
            result.append((line, words(line)))
        except ApiError as exc:
            # The whole text is within the limits, so a line can only lack words ("?!").
            if exc.sentence.key != "errors.sentence.no_words":
                raise
            raise ApiError("sentence", "errors.batch.line_no_words", line=str(i + 1), **exc.sentence.params) from None
    return result


def build_batch(req: BatchRequest) -> dict[str, Any]:
    """The ``POST /api/batch`` answer: the padded batch and four global poolings of it."""
    if req.preset in BATCH_PRESETS:
        preset = BATCH_PRESETS[req.preset]
        texts = list(preset.sentences)
        tokens = [words(text) for text in texts]
        sequences = [np.asarray(e, np.float32) for e in preset.embeddings]
    elif req.preset is not None or req.sentence is None:
        # A one-sentence preset, or embeddings labelled w0, w1, ...: a batch of one.
        one, x = source(req)
        texts, tokens, sequences = [" ".join(one)], [one], [x]
    else:
        lines = _lines(req.sentence)
        texts, tokens = [line for line, _ in lines], [t for _, t in lines]
        count = sum(len(t) for t in tokens)
        if req.embeddings is None:
            sequences = [toy_embeddings(t, req.features, req.seed).astype(np.float32) for t in tokens]
        elif len(req.embeddings) != count:
            raise ApiError(
                "sentence",
                "errors.batch.rows_differ",
                words=str(count),
                lines=str(len(tokens)),
                rows=str(len(req.embeddings)),
            )
        else:
            rows = np.asarray(req.embeddings, np.float32)
            bounds = np.cumsum([0] + [len(t) for t in tokens])
            sequences = [rows[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    trace = trace_batch(sequences).to_dict()
    for key in ("global_average", "masked_average"):
        _finite(np.asarray(trace[key]["output"], np.float32), "embeddings", "errors.overflow.average")
    return {
        "sentences": [{"text": text, "tokens": t} for text, t in zip(texts, tokens)],
        **trace,
        "request": req.model_dump(),
    }


@teaching.post("/model")
def model() -> Response:
    """``model.summary()`` of the two models of the classic question."""
    req = {**_MODEL_DEFAULTS, **_MODEL_REQUEST.validate_python(read_json_object())}
    return jsonify(build_models(req["steps"], req["features"], current()))


def build_models(steps: int, features: int, language: Messages | None = None) -> dict[str, Any]:
    """The ``POST /api/model`` answer: both summaries, the windowed one first (notes in ``language``)."""
    try:
        models = [model_summary(name, steps, features, language).to_dict() for name in ("windowed", "global")]
    except ArgumentError as exc:
        raise ApiError("steps", exc.message_id, **exc.params) from None
    return {"models": models, "request": {"steps": steps, "features": features}}


@teaching.post("/textcnn")
def textcnn() -> Response:
    """A toy text CNN over the sentence: each filter's winning n-gram and the sentence vector."""
    req = TextCnnRequest.model_validate(read_json_object())
    return jsonify(build_textcnn(req))


def build_textcnn(req: TextCnnRequest) -> dict[str, Any]:
    """The ``POST /api/textcnn`` answer."""
    tokens, x = source(req)
    trace = trace_textcnn(x, padding=req.padding, filters=req.filters, seed=req.filter_seed).to_dict()
    _finite(np.asarray(trace["vector"], np.float32), "embeddings", "errors.overflow.convolution")
    for f in trace["filters"]:
        _finite(np.asarray(f["pre_activation"], np.float32), "embeddings", "errors.overflow.convolution")
    return {
        "tokens": tokens,
        "x": json_floats(x),
        **trace,
        "feature_wins": feature_wins(x).tolist(),
        "request": req.model_dump(),
    }


@teaching.post("/questions")
def next_questions() -> Response:
    """The numbers of the next questions: Flatten, max and average, argmax, return_sequences, data_format, masking."""
    req = QuestionsRequest.model_validate(read_json_object())
    return jsonify(build_questions(req, current()))


# The classic question's input shape, for the Flatten models beside the sentence's.
_QUESTION_SHAPE = (6, 10)
_POOLED_TWIN = {"windowed_flatten": "windowed", "global_flatten": "global"}


def _flatten_models(steps: int, features: int, language: Messages | None) -> dict[str, Any]:
    models = []
    for name, twin in _POOLED_TWIN.items():
        if name == "windowed_flatten" and steps < 2:
            continue  # MaxPooling1D(pool_size=2) needs two steps
        summary = questions.flatten_summary(name, steps, features, language).to_dict()
        summary["pooled_total_params"] = model_summary(twin, steps, features).total_params
        models.append(summary)
    return {"steps": steps, "features": features, "models": models}


def build_questions(req: QuestionsRequest, language: Messages | None = None) -> dict[str, Any]:
    """The ``POST /api/questions`` answer: only the sentence's words and vectors matter (notes in ``language``)."""
    tokens, x = source(req)
    steps, features = x.shape
    views = questions.global_views(x)
    _finite(np.asarray(views["average"], np.float32), "embeddings", "errors.overflow.average")
    argmax_code = questions.argmax_snippets(x, tokens)
    data_format_code = questions.data_format_snippets(x, tokens)
    return {
        "tokens": tokens,
        "x": json_floats(x),
        "input_shape": [1, steps, features],
        "global": views,
        "flatten": {
            "question": _flatten_models(*_QUESTION_SHAPE, language),
            "sentence": _flatten_models(steps, features, language),
            "received_steps": steps + 1,
            "error": questions.flatten_error(steps, steps + 1),
            "variable_error": questions.VARIABLE_FLATTEN_ERROR,
            "program": questions.flatten_snippet(steps, features, steps + 1),
        },
        "return_sequences": {
            **questions.return_sequences_shapes(steps, features),
            "program": questions.return_sequences_snippet(steps, features),
        },
        "masking": {**questions.masking_views(x), "program": questions.masking_snippet(x, tokens)},
        "programs": {
            "concat": questions.concat_snippet(x, tokens),
            "argmax_keras": argmax_code["keras"],
            "argmax_pytorch": argmax_code["pytorch"],
            "data_format_keras": data_format_code["keras"],
            "data_format_pytorch": data_format_code["pytorch"],
        },
        "request": req.model_dump(),
    }
