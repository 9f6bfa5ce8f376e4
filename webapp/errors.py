"""One error shape for the whole app: ``{"error": <sentence>, "field": <field>}``.

Every failure a caller can cause ends here with a 4xx and that JSON body:
the request model's ValidationError, the engine's ValueError, our own
ApiError, and Werkzeug's HTTP errors (404, 405, 413, 415, ...). No HTML
error page ever reaches a ``fetch`` caller.

The sentence is written in the request's language (``Accept-Language``,
:func:`webapp.i18n.current`) from the catalog ``errors.json``; the errors
carry their message as data (a :class:`~webapp.wording.Message`) until
then. ``field`` is the same in every language.
"""
from __future__ import annotations

import json
from typing import Any

from flask import Flask, Response, jsonify, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from pooling import TooShortError

from .i18n import current

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
from .teaching_schemas import MAX_FILTERS, MAX_MODEL_STEPS, BatchRequest, GradientRequest, ModelRequest, TextCnnRequest
from .wording import Message, as_sentence, message, written

__all__ = ["KNOWN_FIELDS", "ApiError", "describe_validation_error", "field_of_engine_error", "register_error_handlers", "show"]


class ApiError(Exception):
    """An error a caller caused: the field to blame, its message (a catalog id and placeholders), the HTTP status.

    ``str(error)`` and :attr:`message` are the English sentence.
    """

    def __init__(self, field: str, key: str, status: int = 400, /, **params: Any) -> None:
        self.field = field
        self.sentence = message(key, **params)
        self.status = status
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return str(self.sentence)


def without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate written as its escape (``\\ud800``), so it can be sent as UTF-8.

    >>> without_surrogates("a\\ud800b") == "a" + "\\\\" + "ud800b"
    True
    """
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def error_response(sentence: str | Message, field: str, status: int) -> Response:
    """The JSON error answer: ``sentence`` in the request's language, ``field`` as it is."""
    # Messages and fields may quote the caller's input, which JSON allows to
    # hold lone surrogates that UTF-8 (and orjson) cannot.
    text = written(sentence, current())
    response = jsonify(error=as_sentence(without_surrogates(text)), field=without_surrogates(field))
    response.status_code = status
    return response


def show(value: Any, limit: int = 60) -> str | Message:
    """A short, JSON-looking rendering of a bad value for an error message (a long list is counted, in words)."""
    if isinstance(value, (list, dict)) and len(value) > 8:
        key = "errors.value.list" if isinstance(value, list) else "errors.value.object"
        return message(key, items=str(len(value)))
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


_FIELDS = tuple(TraceRequest.model_fields)
# What each field must be, as a message with the bad value in {got}; the
# limits are the schema's (numbers as code writes them pass as text).
_RULES = {
    "sentence": message("errors.rule.sentence", max=MAX_SENTENCE_CHARS),
    "embeddings": message("errors.rule.embeddings", max_rows=str(MAX_TOKENS), max_features=str(MAX_FEATURES)),
    "preset": message("errors.rule.preset", presets=", ".join(PRESET_NAMES)),
    "features": message("errors.rule.features", max=str(MAX_FEATURES)),
    "seed": message("errors.rule.seed", max=str(MAX_SEED)),
    "layer": message("errors.rule.layer"),
    "pool_size": message("errors.rule.pool_size", max=str(MAX_POOL_SIZE)),
    "strides": message("errors.rule.strides", max=str(MAX_STRIDES)),
    "padding": message("errors.rule.padding"),
    # Fields the teaching requests add (webapp/teaching_schemas.py).
    "upstream_pooling": message("errors.rule.upstream_pooling", max=str(MAX_TOKENS)),
    "upstream_global": message("errors.rule.upstream_global"),
    "filters": message("errors.rule.filters", max=str(MAX_FILTERS)),
    "filter_seed": message("errors.rule.filter_seed", max=str(MAX_SEED)),
    "steps": message("errors.rule.steps", max=str(MAX_MODEL_STEPS)),
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


def _rule(field: str, got: str | Message) -> Message:
    rule = _RULES.get(field)
    if rule is None:
        return message("errors.rule.other", field=field, got=got)
    return message(rule.key, **rule.params, got=got)


def describe_validation_error(exc: ValidationError) -> tuple[str, Message]:
    """The field and a learner-readable sentence for the first thing wrong.

    Unknown fields come first: a misspelt name usually explains the rest.
    The sentence is a :class:`~webapp.wording.Message`: pydantic's own
    (English) words never reach the caller.
    """
    errors = exc.errors(include_url=False)
    errors.sort(key=lambda e: e["type"] != "extra_forbidden")
    first = errors[0]
    loc = first["loc"]
    if first["type"] == "field_error":
        return first["ctx"]["field"], first["ctx"]["sentence"]
    if first["type"] == "string_unicode" and not loc and isinstance(first.get("input"), str):
        # pydantic cannot read a key holding a lone surrogate as a field name,
        # and says so with no location: no field has such a name, so it is unknown.
        loc = (without_surrogates(first["input"]),)
        first = {**first, "type": "extra_forbidden", "loc": loc}
    if first["type"] == "extra_forbidden":
        field = _clip(str(loc[0]))
        allowed = ", ".join(_MODEL_FIELDS.get(exc.title, _FIELDS))
        if exc.title == "TraceRequest":
            return field, message("errors.unknown_field.trace", field=field, fields=allowed)
        return field, message("errors.unknown_field.other", field=field, fields=allowed)
    if not loc:
        return "body", message("errors.body.not_object")
    field = str(loc[0])
    got = show(first.get("input"))
    if first["type"] == "string_unicode":
        return field, message("errors.value.surrogate", field=field)
    if field == "sentence" and first["type"] == "string_too_long":
        return field, message("errors.sentence.too_long", chars=len(first["input"]), max=MAX_SENTENCE_CHARS)
    if field == "embeddings" and len(loc) == 2:
        return field, message("errors.embeddings.row", row=str(loc[1]), max=str(MAX_FEATURES), got=got)
    if field == "embeddings" and len(loc) >= 3:
        return field, message("errors.embeddings.cell", row=str(loc[1]), column=str(loc[2]), got=got)
    return field, _rule(field, got)


# Some engine arguments have another name in the API.
_ENGINE_ALIASES = {"x": "embeddings", "kind": "layer", "tokens": "sentence"}


def field_of_engine_error(exc: ValueError) -> str:
    """The request field an engine error is about: its ``argument``, in the API's words."""
    name = getattr(exc, "argument", "")
    name = _ENGINE_ALIASES.get(name, name)
    return name if name in _FIELDS else "body"


def engine_sentence(exc: ValueError) -> str | Message:
    """What an engine error says, as a message when the engine gives it one (English otherwise).

    A sentence shorter than pool_size is said in the page's words ("words",
    not the engine's "steps").
    """
    if isinstance(exc, TooShortError):
        return message("errors.too_short", count=exc.steps, pool_size=exc.pool_size)
    key = getattr(exc, "message_id", None)
    if key is not None:
        return message(key, **exc.params)  # type: ignore[attr-defined]
    return str(exc)


_HTTP_MESSAGES = {
    400: ("body", message("errors.http.bad_request")),
    413: ("body", message("errors.body.too_large", max=LIMITS["max_body_bytes"])),
    415: ("body", message("errors.body.not_json")),
}


def _http_error(exc: HTTPException) -> Response:
    sentence: str | Message
    if exc.code == 404:
        field, sentence = "path", message("errors.http.not_found", path=_clip(request.path))
    elif exc.code == 405:
        allowed = ", ".join(m for m in (exc.valid_methods or []) if m not in {"HEAD", "OPTIONS"})
        field = "method"
        # Short placeholder names: the message is mostly its values (the pseudo-locale lengthens the rest).
        sentence = message("errors.http.method", verb=request.method, url=_clip(request.path), ok=allowed)
    elif exc.code in _HTTP_MESSAGES:
        field, sentence = _HTTP_MESSAGES[exc.code]
    elif exc.code and exc.code >= 500:
        field, sentence = "body", message("errors.http.server")
    else:
        # Another of Werkzeug's errors (a 429, ...): its status, in our words (Werkzeug's are English only).
        field, sentence = "body", message("errors.http.other", status=str(exc.code))
    # Keep Werkzeug's headers (Allow on a 405), swap the HTML for JSON.
    response = exc.get_response()
    response.set_data(json.dumps({"error": as_sentence(written(sentence, current())), "field": field}))
    response.content_type = "application/json"
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return error_response(exc.sentence, exc.field, exc.status)

    @app.errorhandler(ValidationError)
    def _validation_error(exc: ValidationError) -> Response:
        field, sentence = describe_validation_error(exc)
        return error_response(sentence, field, 400)

    @app.errorhandler(ValueError)
    def _engine_error(exc: ValueError) -> Response:
        # The engine checks its arguments and says what is wrong in words
        # (and, for the errors a request can reach, as a catalog message);
        # error_response makes sure the words end as a sentence.
        return error_response(engine_sentence(exc), field_of_engine_error(exc), 400)

    app.register_error_handler(HTTPException, _http_error)
