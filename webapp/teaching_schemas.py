"""Requests and responses of the teaching sections' endpoints (issue 9), as pydantic models.

The gradient, batch and text-CNN requests extend :class:`TraceRequest`: the
same source fields (``preset`` / ``sentence`` / ``embeddings`` with
``features`` and ``seed``), the same layer fields, the same one-source rule
and limits, so the page sends its one view state to every section. Each adds
only what its section needs. The model request is its own: two numbers.

Decisions written down once here:

* ``upstream_pooling`` / ``upstream_global``: ``null`` means ones (the
  gradient of a sum of the outputs); otherwise the layer's output shape,
  (out_steps, features) and (features,), checked after the layer is known.
* A batch is the ``sentence`` split into lines, one sentence per line (blank
  lines skipped), at most 16 lines and 256 words in all. With
  ``embeddings``, the rows are the words of all lines in order. A preset may
  also name a batch preset (``pitfall``).
* The text CNN's weights are toy weights from ``filter_seed`` (not ``seed``,
  which picks the vocabulary), ``filters`` per width 2, 3 and 4.
"""
from __future__ import annotations

from typing import Any, Callable, Literal, Optional

from pydantic import ConfigDict, Field
from typing_extensions import NotRequired, TypedDict

from pooling import BATCH_PRESETS, MAX_FEATURES, PRESETS

from .schemas import (
    MAX_SEED,
    MAX_TOKENS,
    Number,
    PaddingName,
    ResolvedRequest,
    TraceRequest,
    _whole,
)

__all__ = [
    "BatchRequest",
    "BatchResponse",
    "GradientRequest",
    "GradientResponse",
    "MAX_FILTERS",
    "MAX_SENTENCES",
    "ModelRequest",
    "ModelResponse",
    "QuestionsRequest",
    "QuestionsResponse",
    "TextCnnRequest",
    "TextCnnResponse",
    "teaching_paths",
]

MAX_SENTENCES = 16
MAX_FILTERS = 8
MAX_MODEL_STEPS = 256

_strict = ConfigDict(extra="forbid")
# The parent's one-source rule, restated for the generated schema.
_ONE_SOURCE = TraceRequest.model_config["json_schema_extra"]

UpstreamRows = Optional[
    list[list[Number]]
]  # shape checked against the layer's output, once the layer is known
UpstreamRow = Optional[list[Number]]


class GradientRequest(TraceRequest):
    """A trace request plus the upstream gradients of the two layers' outputs."""

    model_config = ConfigDict(extra="forbid", title="GradientRequest", json_schema_extra=_ONE_SOURCE)

    upstream_pooling: UpstreamRows = Field(
        default=None,
        max_length=MAX_TOKENS,
        description=(
            "Gradient of the loss with respect to the windowed layer's output, "
            "(out_steps, features); null means all ones."
        ),
    )
    upstream_global: UpstreamRow = Field(
        default=None,
        max_length=MAX_FEATURES,
        description="Gradient with respect to the global layer's output, (features,); null means ones.",
    )


BatchPresetName = Literal[tuple(PRESETS) + tuple(BATCH_PRESETS)]  # type: ignore[valid-type]


class BatchRequest(TraceRequest):
    """Several sentences, one per line of ``sentence``, padded into one batch."""

    model_config = ConfigDict(extra="forbid", title="BatchRequest", json_schema_extra=_ONE_SOURCE)

    preset: Optional[BatchPresetName] = Field(  # type: ignore[valid-type]
        default=None,
        description="A preset (one sentence) or a batch preset such as pitfall.",
    )


class TextCnnRequest(TraceRequest):
    """A trace request plus the toy text CNN's size."""

    model_config = ConfigDict(extra="forbid", title="TextCnnRequest", json_schema_extra=_ONE_SOURCE)

    filters: _whole(1, MAX_FILTERS, "Filters per width (2, 3 and 4).") = 2  # type: ignore[valid-type]
    filter_seed: _whole(0, MAX_SEED, "Picks other toy filter weights.") = 0  # type: ignore[valid-type]


class QuestionsRequest(TraceRequest):
    """A trace request; the next questions' sections use only its words and vectors."""

    model_config = ConfigDict(extra="forbid", title="QuestionsRequest", json_schema_extra=_ONE_SOURCE)


class ModelRequest(TypedDict):
    """The input shape of the two models of the classic question."""

    __pydantic_config__ = ConfigDict(extra="forbid", title="ModelRequest")  # type: ignore[misc]
    steps: NotRequired[_whole(1, MAX_MODEL_STEPS, "Input steps; at least 2 for the windowed model.")]  # type: ignore[valid-type]
    features: NotRequired[_whole(1, MAX_FEATURES, "Features per step.")]  # type: ignore[valid-type]


# ---------------------------------------------------------------- responses


class GradientResolved(ResolvedRequest):
    upstream_pooling: Optional[list[list[float]]]
    upstream_global: Optional[list[float]]


class PoolingGradient(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    name: Literal["MaxPooling1D", "AveragePooling1D"]
    call: str
    output: list[list[float]]
    upstream: list[list[float]]
    grad: list[list[float]]
    tie_rule: str
    routes: NotRequired[list[list[int]]]
    divisors: NotRequired[list[int]]


class GlobalGradient(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    name: Literal["GlobalMaxPooling1D", "GlobalAveragePooling1D"]
    call: str
    output: list[float]
    upstream: list[float]
    grad: list[list[float]]
    tie_rule: str
    shares: NotRequired[list[int]]


GradientResponse = TypedDict(
    "GradientResponse",
    {
        "tokens": list[str],
        "x": list[list[float]],
        "pooling": PoolingGradient,
        "global": GlobalGradient,
        "request": GradientResolved,
    },
)
GradientResponse.__pydantic_config__ = ConfigDict(extra="forbid", title="GradientResponse")  # type: ignore[attr-defined]


class Sentence(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    text: str
    tokens: list[str]


class BatchMax(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    call: str
    output: list[list[float]]
    winners: list[list[int]]
    padding_won: NotRequired[list[list[bool]]]


class BatchAverage(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    call: str
    output: list[list[float]]


class BatchResolved(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    sentence: Optional[str]
    embeddings: Optional[list[list[float]]]
    preset: Optional[BatchPresetName]  # type: ignore[valid-type]
    features: int
    seed: int
    layer: Literal["max", "average"]
    pool_size: int
    strides: Optional[int]
    padding: PaddingName


class BatchResponse(TypedDict):
    __pydantic_config__ = ConfigDict(extra="forbid", title="BatchResponse")  # type: ignore[misc]
    sentences: list[Sentence]
    input_shape: tuple[int, int, int]
    output_shape: tuple[int, int]
    lengths: list[int]
    x: list[list[list[float]]]
    mask: list[list[bool]]
    global_max: BatchMax
    masked_max: BatchMax
    global_average: BatchAverage
    masked_average: BatchAverage
    request: BatchResolved


class LayerRowBody(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    layer: str
    call: str
    output_shape: list[Optional[int]]
    params: int
    formula: str
    pooling: bool


class ModelSummaryBody(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    name: Literal["windowed", "global"]
    input_shape: list[Optional[int]]
    rows: list[LayerRowBody]
    total_params: int
    trainable_params: int


class ModelResolved(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    steps: int
    features: int


class ModelResponse(TypedDict):
    __pydantic_config__ = ConfigDict(extra="forbid", title="ModelResponse")  # type: ignore[misc]
    models: list[ModelSummaryBody]
    request: ModelResolved


class Winner(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    window: int
    start: int
    stop: int
    rows: list[int]
    value: float
    all_zero: bool
    windows: list[int]


class FilterBody(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    name: str
    width: int
    filter: int
    kernel: list[list[float]]
    bias: float
    pre_activation: list[float]
    activation: list[float]
    winner: Winner


class TextCnnResolved(ResolvedRequest):
    filters: int
    filter_seed: int


class TextCnnResponse(TypedDict):
    __pydantic_config__ = ConfigDict(extra="forbid", title="TextCnnResponse")  # type: ignore[misc]
    tokens: list[str]
    x: list[list[float]]
    padding: PaddingName
    widths: list[int]
    filters: list[FilterBody]
    vector: list[float]
    vector_shape: tuple[int, int]
    phrase_wins: list[int]
    feature_wins: list[int]
    request: TextCnnResolved


class Program(TypedDict):
    """A short program and what it prints (tests/claims/test_sections.py runs it)."""

    __pydantic_config__ = _strict  # type: ignore[misc]
    code: str
    prints: str


class FlattenModelBody(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    name: Literal["windowed_flatten", "global_flatten"]
    input_shape: list[Optional[int]]
    rows: list[LayerRowBody]
    total_params: int
    trainable_params: int
    pooled_total_params: int


class FlattenModels(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    steps: int
    features: int
    models: list[FlattenModelBody]


class FlattenBody(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    question: FlattenModels
    sentence: FlattenModels
    received_steps: int
    error: str
    variable_error: str
    program: Program


class GlobalViews(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    max: list[float]
    average: list[float]
    concat: list[float]
    concat_shape: tuple[int, int]
    argmax: list[int]
    ties: list[list[int]]
    channels_first: list[list[float]]
    per_step: list[float]


class ReturnSequencesBody(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    units: int
    input: tuple[int, int, int]
    last: tuple[int, int]
    sequence: tuple[int, int, int]
    pooled: tuple[int, int]
    error: str
    program: Program


class MaskedMax(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    output: list[float]
    winners: list[int]


class PlainMax(MaskedMax):
    padding_won: list[bool]


class MaskingBody(TypedDict):
    """The sentence padded after its words with zero rows, pooled without and with the mask."""

    __pydantic_config__ = _strict  # type: ignore[misc]
    padding: int
    padded_shape: tuple[int, int, int]
    x: list[list[float]]
    mask: list[bool]
    global_max: PlainMax
    masked_max: MaskedMax
    masked_average: list[float]
    program: Program


class QuestionsPrograms(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    concat: Program
    argmax_keras: Program
    argmax_pytorch: Program
    data_format_keras: Program
    data_format_pytorch: Program


QuestionsResponse = TypedDict(
    "QuestionsResponse",
    {
        "tokens": list[str],
        "x": list[list[float]],
        "input_shape": tuple[int, int, int],
        "global": GlobalViews,
        "flatten": FlattenBody,
        "return_sequences": ReturnSequencesBody,
        "masking": MaskingBody,
        "programs": QuestionsPrograms,
        "request": ResolvedRequest,
    },
)
QuestionsResponse.__pydantic_config__ = ConfigDict(extra="forbid", title="QuestionsResponse")  # type: ignore[attr-defined]


# ---------------------------------------------------------------- OpenAPI

_CLASSIC = {"preset": "classic", "layer": "max", "pool_size": 2, "strides": 1, "padding": "valid"}
_OPERATIONS = (
    ("/api/gradient", "gradient", "The backward pass: the gradient each input cell receives",
     GradientRequest, GradientResponse, _CLASSIC),
    ("/api/batch", "batch", "Sentences padded into one batch: global pooling with and without the mask",
     BatchRequest, BatchResponse, {"preset": "pitfall"}),
    ("/api/model", "model", "model.summary() of the two LSTM models of the classic question",
     ModelRequest, ModelResponse, {"steps": 6, "features": 10}),
    ("/api/textcnn", "textcnn", "A toy text CNN: Conv1D widths 2, 3, 4, ReLU, max over time",
     TextCnnRequest, TextCnnResponse, {"sentence": "the boy will live", "filters": 2}),
    ("/api/questions", "questions",
     "The next questions: Flatten or global pooling, max and average, argmax, return_sequences, data_format, masking",
     QuestionsRequest, QuestionsResponse, _CLASSIC),
)


def teaching_paths(schema_of: Callable[[Any], dict[str, Any]], errors: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI path items of the teaching endpoints, for ``openapi.py``."""
    paths = {}
    for path, operation_id, summary, request_model, response_model, example in _OPERATIONS:
        paths[path] = {
            "post": {
                "operationId": operation_id,
                "summary": summary,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": schema_of(request_model), "example": example}
                    },
                },
                "responses": {
                    "200": {
                        "description": summary + ".",
                        "content": {"application/json": {"schema": schema_of(response_model)}},
                    },
                    **errors,
                },
            }
        }
    return paths
