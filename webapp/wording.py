"""The API's sentences: catalog messages written in the reader's language, each ending as a sentence.

Every message the server writes is a :class:`Message`, a catalog id
(``pooling/messages/<lang>/errors.json``) and its placeholders, kept as data
until the answer is written, in the request's language. A placeholder may
itself be a :class:`Message` (a counted noun such as "3 words", or the
error a line of a batch has), written in the same language.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import get_decimal_symbol

from pooling.i18n import DEFAULT_LANGUAGE, PSEUDO, PSEUDO_CLOSE, Messages, messages

__all__ = ["Message", "as_sentence", "message", "written"]


@dataclass(frozen=True)
class Message:
    """A sentence to write: its catalog id and its placeholders.

    >>> from pooling.i18n import messages
    >>> message("errors.too_short", count=2, pool_size=3).text(messages("en"))
    "pool_size 3 is larger than the sentence: 2 words need pool_size \u2264 2, or padding 'same'."
    >>> message("errors.too_short", count=1, pool_size=2).text(messages("en"))
    "pool_size 2 is larger than the sentence: 1 word needs pool_size 1, or padding 'same'."
    """

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: Messages) -> str:
        """This message in ``lang``'s words; whole numbers as its prose writes them."""
        return lang.t(self.key, **{name: _param(value, lang) for name, value in self.params.items()})

    def __str__(self) -> str:
        return self.text(messages("en"))


def message(key: str, /, **params: Any) -> Message:
    """The :class:`Message` ``key`` with ``params``."""
    return Message(key, params)


def _param(value: Any, lang: Messages) -> Any:
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, float):
        # One decimal, with the language's decimal sign (4.1 MB, 4,1 MB).
        sign = get_decimal_symbol(DEFAULT_LANGUAGE if lang.lang == PSEUDO else lang.lang)
        return f"{value:.1f}".replace(".", sign)
    return value


def written(text: str | Message, lang: Messages) -> str:
    """``text`` in ``lang`` (a plain string is already written, in English)."""
    return text.text(lang) if isinstance(text, Message) else text


def as_sentence(text: str) -> str:
    """``text`` ending in a full stop: every error the API sends reads as a sentence.

    >>> as_sentence("pool_size must be a positive integer, got 0")
    'pool_size must be a positive integer, got 0.'
    >>> as_sentence("The body must be JSON."), as_sentence("请求体必须是 JSON。")
    ('The body must be JSON.', '请求体必须是 JSON。')
    """
    text = text.rstrip()
    # Chinese ends with its own full stop; the pseudo-locale's texts end in its marker.
    return text if text.endswith((".", "?", "!", "\u3002", "\uff1f", "\uff01", PSEUDO_CLOSE)) else text + "."
