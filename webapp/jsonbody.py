"""Reading a JSON request body strictly.

Python's ``json`` module is lenient where an API must not be: it accepts
``NaN`` and ``Infinity``, keeps the last of duplicate keys, and raises
RecursionError on deeply nested arrays. This reader turns each of those into
a 400 that names the field (or ``body``).
"""
from __future__ import annotations

import json
from typing import Any

from flask import request

from .errors import ApiError

__all__ = ["NonFinite", "parse_json_object", "read_json_object"]


class NonFinite:
    """Stands for a ``NaN``/``Infinity`` token so that validation names its field."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    def __repr__(self) -> str:
        return self.token


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


_decoder = json.JSONDecoder(object_pairs_hook=_object, parse_constant=NonFinite)


def parse_json_object(data: bytes) -> dict[str, Any]:
    """Parse ``data`` as a UTF-8 JSON object, or raise ApiError."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError("body", "The body must be JSON encoded as UTF-8.") from None
    try:
        value = _decoder.decode(text)
    except _DuplicateKey as exc:
        key = exc.key if len(exc.key) <= 100 else exc.key[:99] + "\u2026"
        raise ApiError(key, f'The key "{key}" appears more than once; give each field once.') from None
    except json.JSONDecodeError as exc:
        raise ApiError(
            "body", f"The body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from None
    except RecursionError:
        raise ApiError("body", "The body is not valid here: its JSON is nested too deeply.") from None
    except ValueError:
        # Integers of more than 4,300 digits (CPython's int conversion limit).
        raise ApiError("body", "The body holds a number with too many digits.") from None
    if not isinstance(value, dict):
        raise ApiError(
            "body", 'The body must be a JSON object such as {"sentence": "the boy will live"}.'
        )
    return value


def read_json_object() -> dict[str, Any]:
    """The current request's body as a JSON object; 415, 413 or 400 otherwise."""
    if not request.is_json:
        raise ApiError(
            "body", 'Send the body as JSON, with the header "Content-Type: application/json".', 415
        )
    # get_data enforces MAX_CONTENT_LENGTH (413) before anything is parsed.
    return parse_json_object(request.get_data(cache=False))
