"""One error shape for the whole app: ``{"error": <sentence>, "field": <field>}``.

Every failure a caller can cause ends here with a 4xx and that JSON body:
the request model's ValidationError, the engine's ValueError, our own
ApiError, and Werkzeug's HTTP errors (404, 405, 413, 415, ...). No HTML
error page ever reaches a ``fetch`` caller.
"""
from __future__ import annotations

import json
from typing import Any

from flask import Flask, Response, jsonify, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from pooling import TooShortError

from .schemas import (
    LIMITS,
    MAX_FEATURES,
    MAX_POOL_SIZE,
    MAX_SEED,
    MAX_SENTENCE_CHARS,
    MAX_STRIDES,
    MAX_TOKENS,
    PRESET_NAMES,
    TraceRequest,
)
from .teaching_schemas import MAX_MODEL_STEPS, BatchRequest, GradientRequest, ModelRequest, TextCnnRequest
from .wording import as_sentence, too_short

__all__ = ["KNOWN_FIELDS", "ApiError", "describe_validation_error", "field_of_engine_error", "register_error_handlers", "show"]


class ApiError(Exception):
    """An error a caller caused, with the field to blame and the HTTP status."""

    def __init__(self, field: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.status = status


def without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate written as its escape (``\\ud800``), so it can be sent as UTF-8.

    >>> without_surrogates("a\\ud800b") == "a" + "\\\\" + "ud800b"
    True
    """
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def error_response(message: str, field: str, status: int) -> Response:
    # Messages and fields may quote the caller's input, which JSON allows to
    # hold lone surrogates that UTF-8 (and orjson) cannot.
    response = jsonify(error=as_sentence(without_surrogates(message)), field=without_surrogates(field))
    response.status_code = status
    return response


def show(value: Any, limit: int = 60) -> str:
    """A short, JSON-looking rendering of a bad value for an error message."""
    if isinstance(value, (list, dict)) and len(value) > 8:
        return f"a {'list' if isinstance(value, list) else 'JSON object'} of {len(value)} items"
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


_FIELDS = tuple(TraceRequest.model_fields)
_RULES = {
    "sentence": f"sentence must be text of at most {MAX_SENTENCE_CHARS:,} characters (or null)",
    "embeddings": (
        f"embeddings must be a list of 1 to {MAX_TOKENS} rows, one per word, "
        f"each a list of 1 to {MAX_FEATURES} numbers (or null)"
    ),
    "preset": f"preset must be one of {', '.join(PRESET_NAMES)} (or null)",
    "features": f"features must be a whole number from 1 to {MAX_FEATURES}",
    "seed": f"seed must be a whole number from 0 to {MAX_SEED}",
    "layer": 'layer must be "max" or "average"',
    "pool_size": f"pool_size must be a whole number from 1 to {MAX_POOL_SIZE}",
    "strides": (
        f"strides must be null (meaning the same as pool_size) "
        f"or a whole number from 1 to {MAX_STRIDES}"
    ),
    "padding": 'padding must be "valid" or "same"',
    # Fields the teaching requests add (webapp/teaching_schemas.py).
    "upstream_pooling": f"upstream_pooling must be null or a list of 1 to {MAX_TOKENS} rows of finite numbers",
    "upstream_global": "upstream_global must be null or a list of finite numbers, one per feature",
    "filters": "filters must be a whole number from 1 to 8",
    "filter_seed": f"filter_seed must be a whole number from 0 to {MAX_SEED}",
    "steps": f"steps must be a whole number from 1 to {MAX_MODEL_STEPS}",
}
# The fields each request model accepts, by the model's name (a ValidationError's title).
_MODEL_FIELDS = {
    model.__name__: tuple(model.model_fields)
    for model in (TraceRequest, GradientRequest, BatchRequest, TextCnnRequest)
}
_MODEL_FIELDS["ModelRequest"] = tuple(ModelRequest.__annotations__)
# Every field of every request: a key outside these is unknown to every route.
KNOWN_FIELDS = frozenset(field for fields in _MODEL_FIELDS.values() for field in fields)


def _clip(name: str, limit: int = 100) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "\u2026"


def describe_validation_error(exc: ValidationError) -> tuple[str, str]:
    """The field and a learner-readable sentence for the first thing wrong.

    Unknown fields come first: a misspelt name usually explains the rest.
    """
    errors = exc.errors(include_url=False)
    errors.sort(key=lambda e: e["type"] != "extra_forbidden")
    first = errors[0]
    loc = first["loc"]
    if first["type"] == "field_error":
        return first["ctx"]["field"], first["msg"]
    if first["type"] == "string_unicode" and not loc and isinstance(first.get("input"), str):
        # pydantic cannot read a key holding a lone surrogate as a field name,
        # and says so with no location: no field has such a name, so it is unknown.
        loc = (without_surrogates(first["input"]),)
        first = {**first, "type": "extra_forbidden", "loc": loc}
    if first["type"] == "extra_forbidden":
        field = _clip(str(loc[0]))
        which = "a trace request" if exc.title == "TraceRequest" else "this request"
        allowed = _MODEL_FIELDS.get(exc.title, _FIELDS)
        return field, f'Unknown field "{field}": {which} may only contain {", ".join(allowed)}.'
    if not loc:
        return "body", "The body must be a JSON object such as {\"sentence\": \"the boy will live\"}."
    field = str(loc[0])
    got = show(first.get("input"))
    if first["type"] == "string_unicode":
        return field, (
            f"{field} must be valid Unicode text, but it holds an unpaired surrogate "
            "(an escape such as \\ud800 that is half of a character)."
        )
    if field == "sentence" and first["type"] == "string_too_long":
        return field, (
            f"sentence has {len(first['input']):,} characters; "
            f"the limit is {MAX_SENTENCE_CHARS:,}."
        )
    if field == "embeddings" and len(loc) == 2:
        return field, (
            f"embeddings row {loc[1]} must be a list of 1 to {MAX_FEATURES} numbers, got {got}."
        )
    if field == "embeddings" and len(loc) >= 3:
        return field, f"embeddings[{loc[1]}][{loc[2]}] must be a finite number, got {got}."
    return field, f"{_RULES.get(field, field + ' is not valid')}, got {got}."


# Some engine arguments have another name in the API.
_ENGINE_ALIASES = {"x": "embeddings", "kind": "layer", "tokens": "sentence"}


def field_of_engine_error(exc: ValueError) -> str:
    """The request field an engine error is about: its ``argument``, in the API's words."""
    name = getattr(exc, "argument", "")
    name = _ENGINE_ALIASES.get(name, name)
    return name if name in _FIELDS else "body"


_HTTP_MESSAGES = {
    400: ("body", "The request could not be understood."),
    413: (
        "body",
        f"The body is larger than the limit of 1 MB ({LIMITS['max_body_bytes']:,} bytes).",
    ),
    415: ("body", 'Send the body as JSON, with the header "Content-Type: application/json".'),
}


def _http_error(exc: HTTPException) -> Response:
    if exc.code == 404:
        field, message = "path", (
            f"There is nothing at {_clip(request.path)}. The API has POST /api/trace, "
            "GET /api/presets and GET /api/openapi.json."
        )
    elif exc.code == 405:
        allowed = ", ".join(m for m in (exc.valid_methods or []) if m not in {"HEAD", "OPTIONS"})
        field, message = "method", f"{request.method} is not allowed on {_clip(request.path)}; use {allowed}."
    elif exc.code in _HTTP_MESSAGES:
        field, message = _HTTP_MESSAGES[exc.code]
    elif exc.code and exc.code >= 500:
        field, message = "body", "Something went wrong on the server. Please try again."
    else:
        field, message = "body", exc.description or exc.name
    # Keep Werkzeug's headers (Allow on a 405), swap the HTML for JSON.
    response = exc.get_response()
    response.set_data(json.dumps({"error": as_sentence(message), "field": field}))
    response.content_type = "application/json"
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return error_response(exc.message, exc.field, exc.status)

    @app.errorhandler(ValidationError)
    def _validation_error(exc: ValidationError) -> Response:
        field, message = describe_validation_error(exc)
        return error_response(message, field, 400)

    @app.errorhandler(ValueError)
    def _engine_error(exc: ValueError) -> Response:
        # The engine checks its arguments and says what is wrong in words;
        # error_response makes sure the words end as a sentence. A sentence
        # shorter than pool_size is said in the page's words, not the engine's.
        message = too_short(exc.steps, exc.pool_size) if isinstance(exc, TooShortError) else str(exc)
        return error_response(message, field_of_engine_error(exc), 400)

    app.register_error_handler(HTTPException, _http_error)
