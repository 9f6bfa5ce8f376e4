"""Reading a JSON request body strictly.

Python's ``json`` module is lenient where an API must not be: it accepts
``NaN`` and ``Infinity``, keeps the last of duplicate keys, and raises
RecursionError on deeply nested arrays. This reader turns each of those into
a 400 that names the field (or ``body``).
"""
from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
from flask import request

from .errors import KNOWN_FIELDS, ApiError, without_surrogates
from .wording import message

__all__ = ["NonFinite", "parse_json_object", "read_json_bytes", "read_json_object"]


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
# What Python's json module says is wrong, in the catalog's words (its own are English).
_JSON_REASONS = {
    "Expecting value": message("errors.json.expecting_value"),
    "Expecting property name enclosed in double quotes": message("errors.json.expecting_name"),
    "Expecting ':' delimiter": message("errors.json.expecting_colon"),
    "Expecting ',' delimiter": message("errors.json.expecting_comma"),
    "Unterminated string starting at": message("errors.json.unterminated_string"),
    "Invalid control character at": message("errors.json.control_character"),
    "Invalid \\escape": message("errors.json.bad_escape"),
    "Invalid \\uXXXX escape": message("errors.json.bad_unicode_escape"),
    "Extra data": message("errors.json.extra_data"),
    # Python 3.13's words for a comma before } or ].
    "Illegal trailing comma before end of object": message("errors.json.trailing_comma_object"),
    "Illegal trailing comma before end of array": message("errors.json.trailing_comma_array"),
}

# What a body may hold before it is parsed, counted outside its strings at C
# speed: a request is at most 3 deep ({"embeddings": [[...]]}), one object of
# at most a dozen fields, and about 520 lists (256 rows of embeddings and of
# upstream_pooling). The limits leave room for every mistake the validator
# explains (2,000 rows, a cell nested 50 deep), and refuse what cost most to
# parse only to refuse it: half a million nested lists (300 ms), 88,000 keys
# (400 ms with their errors).
MAX_DEPTH = 64
MAX_LISTS = 4096
MAX_OBJECTS = 64
MAX_KEYS = 64
# Unrolled ("normal* (special normal*)*"): linear, and fast on a megabyte-long string.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_STEP = np.zeros(256, np.int8)
_STEP[[ord("["), ord("{")]] = 1
_STEP[[ord("]"), ord("}")]] = -1


def structure(data: bytes) -> dict[str, int]:
    """How deeply ``data``'s arrays and objects nest, and how many lists, objects and keys it has.

    >>> structure(b'{"a": [[1], "[[[:"]}')
    {'depth': 3, 'lists': 2, 'objects': 1, 'keys': 1}
    """
    chars = np.frombuffer(_STRING.sub(b"", data), np.uint8)
    return {
        "depth": int(np.cumsum(_STEP[chars], dtype=np.int64).max(initial=0)),
        "lists": int(np.count_nonzero(chars == ord("["))),
        "objects": int(np.count_nonzero(chars == ord("{"))),
        "keys": int(np.count_nonzero(chars == ord(":"))),
    }


def _check_structure(data: bytes) -> None:
    shape = structure(data)
    if shape["depth"] > MAX_DEPTH:
        raise ApiError("body", "errors.body.too_deep")
    if shape["keys"] > MAX_KEYS or shape["objects"] > MAX_OBJECTS:
        raise ApiError(
            "body",
            "errors.body.too_many_keys",
            keys=shape["keys"],
            objects=shape["objects"],
            max=str(len(KNOWN_FIELDS)),
        )
    if shape["lists"] > MAX_LISTS:
        raise ApiError("body", "errors.body.too_many_lists", lists=shape["lists"])


def parse_json_object(data: bytes) -> dict[str, Any]:
    """Parse ``data`` as a UTF-8 JSON object, or raise ApiError."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError("body", "errors.body.not_utf8") from None
    _check_structure(data)
    try:
        value = _decoder.decode(text)
    except _DuplicateKey as exc:
        key = exc.key if len(exc.key) <= 100 else exc.key[:99] + "\u2026"
        raise ApiError(key, "errors.body.duplicate_key", name=key) from None
    except json.JSONDecodeError as exc:
        raise ApiError(
            "body",
            "errors.json.syntax",
            reason=_JSON_REASONS.get(exc.msg, exc.msg),
            line=str(exc.lineno),
            column=str(exc.colno),
        ) from None
    except RecursionError:
        raise ApiError("body", "errors.body.too_deep") from None
    except ValueError:
        # Integers of more than 4,300 digits (CPython's int conversion limit).
        raise ApiError("body", "errors.body.long_number") from None
    if not isinstance(value, dict):
        raise ApiError("body", "errors.body.not_object")
    if len(value) > len(KNOWN_FIELDS):
        # Surely some key is unknown: name the first, before a validator lists
        # every one of 88,000 of them (which took 400 ms).
        unknown = next(key for key in value if key not in KNOWN_FIELDS)
        field = without_surrogates(unknown if len(unknown) <= 100 else unknown[:99] + "\u2026")
        raise ApiError(field, "errors.unknown_field.too_many", field=field, fields=len(value))
    return value


def read_json_object() -> dict[str, Any]:
    """The current request's body as a JSON object; 415, 413 or 400 otherwise."""
    return parse_json_object(read_json_bytes())


def read_json_bytes() -> bytes:
    """The current request's body, unparsed: 415 unless it says it is JSON, 413 over the limit."""
    if not request.is_json:
        raise ApiError("body", "errors.body.not_json", 415)
    # get_data enforces MAX_CONTENT_LENGTH (413) before anything is parsed.
    return request.get_data(cache=False)
