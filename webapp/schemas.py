"""What the API accepts and returns, as pydantic models: the one source of truth.

The request model validates input at the door; the response shapes are
TypedDicts describing the plain dicts the engine's ``to_dict()`` already
builds. ``/api/openapi.json`` is generated from both (see ``openapi.py``).

Decisions the brief left open, written down once here:

* Whole-number fields (``features``, ``seed``, ``pool_size``, ``strides``)
  accept JSON integers and integral floats such as ``2.0`` (JSON Schema counts
  2.0 as an integer, and ``json.dumps(2.0)`` is what a Python client sends);
  they reject ``2.5``, booleans and strings such as ``"2"``.
* Embedding values accept integers and floats; they reject booleans,
  strings, ``NaN`` and ``Infinity`` (including ``1e999``, which Python's
  parser reads as infinity) and anything whose float32 is infinite.
* ``padding`` is case-insensitive, as in Keras, and echoed in lower case.
* ``features`` and ``seed`` only shape toy embeddings for a sentence; with a
  preset or explicit embeddings they are accepted and ignored, so the page
  can keep its whole view state in one object when switching source.
* ``embeddings`` without a ``sentence`` are labelled ``"w0"``, ``"w1"``, ...
  (0-based, like the ``winners`` indices).
* ``null`` for ``sentence``, ``embeddings`` or ``preset`` means "not given";
  the echoed ``request`` is itself a valid request giving the same trace.
* Limits: 256 words or rows, 64 features, ``pool_size`` and ``strides`` up
  to 256, ``seed`` from 0 to 2**31 - 1, a sentence of at most 10,000
  characters (code points) and a word of at most 100, a body of at most
  1 MiB. Each error message states the limit it enforces.
* The body must be a UTF-8 JSON object; duplicate keys are rejected naming
  the key (Python would silently keep the last one), as are unknown fields.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal, Optional

import numpy as np
from pydantic import (
    AllowInfNan,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError
from typing_extensions import NotRequired, TypedDict

from pooling import MAX_FEATURES, PRESETS, TRACE_FORMAT

from .wording import message

__all__ = [
    "LIMITS",
    "ErrorBody",
    "Health",
    "PresetBody",
    "ResolvedRequest",
    "TraceRequest",
    "TraceResponse",
]

# Abuse limits: a classroom server must answer everyone, so one request stays small.
MAX_TOKENS = 256
MAX_POOL_SIZE = 256
MAX_STRIDES = 256
MAX_SEED = 2**31 - 1
MAX_SENTENCE_CHARS = 10_000
MAX_WORD_CHARS = 100
MAX_BODY_BYTES = 1024 * 1024
FLOAT32_MAX = float(np.finfo(np.float32).max)

LIMITS: dict[str, int] = {
    "max_tokens": MAX_TOKENS,
    "max_features": MAX_FEATURES,
    "max_pool_size": MAX_POOL_SIZE,
    "max_strides": MAX_STRIDES,
    "min_seed": 0,
    "max_seed": MAX_SEED,
    "max_sentence_chars": MAX_SENTENCE_CHARS,
    "max_word_chars": MAX_WORD_CHARS,
    "max_body_bytes": MAX_BODY_BYTES,
}

PRESET_NAMES = tuple(PRESETS)


def _field_error(field: str, key: str, **params: Any) -> PydanticCustomError:
    # The field and the message travel as data; errors.py writes the message in the reader's language.
    sentence = message(key, **params)
    return PydanticCustomError("field_error", str(sentence), {"field": field, "sentence": sentence})


def _whole_number(value: Any) -> Any:
    # 2.0 is 2 to JSON Schema and to json.dumps; 2.5 and True are not numbers of windows.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _whole(low: int, high: int, description: str) -> Any:
    # BeforeValidator last, so the bounds still show up as minimum/maximum in the schema.
    return Annotated[
        int,
        Strict(),
        Field(ge=low, le=high, description=description),
        BeforeValidator(_whole_number),
    ]


Number = Annotated[float, Strict(), AllowInfNan(False)]
Row = Annotated[list[Number], Field(min_length=1, max_length=MAX_FEATURES, fail_fast=True)]
Embeddings = Annotated[list[Row], Field(min_length=1, max_length=MAX_TOKENS, fail_fast=True)]
Layer = Literal["max", "average"]
PaddingName = Literal["valid", "same"]
Padding = Annotated[
    PaddingName,
    BeforeValidator(_lower),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^([Vv][Aa][Ll][Ii][Dd]|[Ss][Aa][Mm][Ee])$",
            "description": '"valid" or "same", case-insensitive as in Keras.',
            "examples": ["valid", "same"],
        },
        mode="validation",
    ),
]
PresetName = Literal[PRESET_NAMES]  # type: ignore[valid-type]


class TraceRequest(BaseModel):
    """A sequence and a pooling layer to trace.

    Give exactly one source: ``preset``, ``embeddings`` (optionally labelled
    by ``sentence``), or ``sentence`` alone (toy embeddings).
    """

    model_config = ConfigDict(
        extra="forbid",
        title="TraceRequest",
        # The one-source rule, stated in the schema too, so that generated
        # clients and fuzzers know what the server accepts.
        json_schema_extra={
            "anyOf": [
                {
                    "required": ["preset"],
                    "properties": {
                        "preset": {"type": "string"},
                        "sentence": {"type": "null"},
                        "embeddings": {"type": "null"},
                    },
                },
                {
                    "required": ["embeddings"],
                    "properties": {"embeddings": {"type": "array"}, "preset": {"type": "null"}},
                },
                {
                    "required": ["sentence"],
                    "properties": {"sentence": {"type": "string"}, "preset": {"type": "null"}},
                },
            ]
        },
    )

    sentence: Optional[Annotated[str, Field(max_length=MAX_SENTENCE_CHARS)]] = Field(
        default=None,
        description=(
            f"Text to split into words (at most {MAX_SENTENCE_CHARS:,} characters, "
            f"{MAX_TOKENS} words, {MAX_WORD_CHARS} characters a word). Alone, its words "
            "get toy embeddings; with `embeddings`, it only labels the rows and must have "
            "one word per row."
        ),
    )
    embeddings: Optional[Embeddings] = Field(
        default=None,
        description=(
            f"One row per word (1 to {MAX_TOKENS}), all of the same length "
            f"(1 to {MAX_FEATURES} features); finite numbers that fit float32. "
            'Without `sentence` the rows are labelled "w0", "w1", ...'
        ),
    )
    preset: Optional[PresetName] = Field(
        default=None,
        description="A named example (see GET /api/presets); not combined with sentence or embeddings.",
    )
    features: _whole(1, MAX_FEATURES, "Toy embedding size, for a sentence alone.") = 4  # type: ignore[valid-type]
    seed: _whole(0, MAX_SEED, "Picks another toy vocabulary, for a sentence alone.") = 0  # type: ignore[valid-type]
    layer: Layer = Field(default="max", description="MaxPooling1D or AveragePooling1D (and the global twin).")
    pool_size: _whole(1, MAX_POOL_SIZE, "Window length.") = 2  # type: ignore[valid-type]
    strides: Optional[_whole(1, MAX_STRIDES, "Distance between windows.")] = Field(  # type: ignore[valid-type]
        default=None, description="null means the same as pool_size, as in Keras."
    )
    padding: Padding = "valid"

    @model_validator(mode="after")
    def _one_source(self) -> TraceRequest:
        if self.preset is not None and (self.sentence is not None or self.embeddings is not None):
            other = "sentence" if self.sentence is not None else "embeddings"
            raise _field_error("preset", "errors.preset.combined", other=other)
        if self.preset is None and self.sentence is None and self.embeddings is None:
            raise _field_error("sentence", "errors.sentence.missing")
        if self.embeddings is not None:
            width = len(self.embeddings[0])
            for i, row in enumerate(self.embeddings):
                if len(row) != width:
                    raise _field_error(
                        "embeddings",
                        "errors.embeddings.ragged",
                        first=message("errors.count.numbers", count=width),
                        row=str(i),
                        other=message("errors.count.numbers", count=len(row)),
                    )
            with np.errstate(over="ignore"):
                too_big = ~np.isfinite(np.asarray(self.embeddings, dtype=np.float32))
            if too_big.any():
                i, j = (int(k) for k in np.argwhere(too_big)[0])
                raise _field_error(
                    "embeddings",
                    "errors.embeddings.float32",
                    row=str(i),
                    column=str(j),
                    value=f"{self.embeddings[i][j]:g}",
                    max=f"{FLOAT32_MAX:.1e}",
                )
        return self


# Response shapes. They are what the engine's to_dict() returns; tests and
# schemathesis check real responses against them, and extra keys are
# forbidden so the contract cannot drift silently.
_strict = ConfigDict(extra="forbid")


class ErrorBody(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    error: Annotated[
        str,
        Field(
            description=(
                "A sentence saying what is wrong, with the limit if any, in the language of the "
                "request's Accept-Language (en, es or zh; English otherwise)."
            )
        ),
    ]
    field: Annotated[
        str,
        Field(
            description=(
                "The request field at fault; `body` for the body as a whole, `path` for an "
                "unknown URL, `method` for a method the URL does not allow."
            )
        ),
    ]


class Health(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    status: Literal["ok"]


class PresetSettings(TypedDict):
    """The layer a preset teaches with: request fields, ready to send with the preset."""

    __pydantic_config__ = _strict  # type: ignore[misc]
    layer: Layer
    pool_size: int
    strides: int
    padding: PaddingName


class PresetBody(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    name: str
    title: str
    teaches: str
    sentence: str
    tokens: list[str]
    embeddings: list[list[float]]
    steps: Annotated[int, Field(description="Words (rows of embeddings).")]
    features: Annotated[int, Field(description="Numbers per word (columns of embeddings).")]
    settings: PresetSettings


class ResolvedRequest(TypedDict):
    """The request with every default filled in: send it back to get the same trace."""

    __pydantic_config__ = _strict  # type: ignore[misc]
    sentence: Optional[str]
    embeddings: Optional[list[list[float]]]
    preset: Optional[PresetName]  # type: ignore[valid-type]
    features: int
    seed: int
    layer: Layer
    pool_size: int
    strides: Optional[int]
    padding: PaddingName


class PoolingConfig(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    pool_size: int
    strides: int
    padding: PaddingName
    data_format: Literal["channels_last"]


class Frame(TypedDict):
    """One window: where it falls and, for max, where each feature's winner sits in it.

    Its real rows are ``max(start, 0)`` up to ``min(stop, steps)``, the rest
    of ``start``..``stop`` is padding, an average divides by the number of
    real rows, and its output is row ``index`` of ``pooling.output``: the
    answer holds each number once (format 2).
    """

    __pydantic_config__ = _strict  # type: ignore[misc]
    index: int
    start: Annotated[int, Field(description="First input position covered; below 0 is padding.")]
    stop: Annotated[int, Field(description="One past the last position covered; from `steps` on is padding.")]
    winner_offsets: NotRequired[
        Annotated[
            list[int],
            Field(
                description=(
                    "Max only: per feature, the place in the window of the input row that won "
                    "(the first maximum); that row is `start` + offset."
                )
            ),
        ]
    ]


Shape3 = tuple[Literal[1], int, int]


class PoolingTraceBody(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    name: Literal["MaxPooling1D", "AveragePooling1D"]
    kind: Layer
    call: str
    config: PoolingConfig
    steps: int
    features: int
    out_steps: int
    pad_left: int
    pad_right: int
    formula: str
    input_shape: Shape3
    output_shape: Shape3
    output: list[list[float]]
    frames: list[Frame]


class GlobalTraceBody(TypedDict):
    __pydantic_config__ = _strict  # type: ignore[misc]
    name: Literal["GlobalMaxPooling1D", "GlobalAveragePooling1D"]
    kind: Layer
    call: str
    input_shape: Shape3
    output_shape: tuple[Literal[1], int]
    output: list[float]
    is_single_row: bool
    single_row: Optional[int]
    winners: NotRequired[Annotated[list[int], Field(description="Max only: input row per feature.")]]


TraceResponse = TypedDict(
    "TraceResponse",
    {
        "format": Annotated[
            Literal[TRACE_FORMAT],  # type: ignore[valid-type]
            Field(
                description=(
                    "Layout of this answer. 2: frames hold index, start, stop and (max) "
                    "winner_offsets; their rows, padding, divisor and output follow from `steps` "
                    "and `pooling.output`. Format 1 (before this field) repeated them in every "
                    "frame and gave winners as input rows."
                )
            ),
        ],
        "tokens": list[str],
        "x": list[list[float]],
        "pooling": PoolingTraceBody,
        "global": GlobalTraceBody,
        "request": ResolvedRequest,
    },
)
TraceResponse.__pydantic_config__ = _strict  # type: ignore[attr-defined]
