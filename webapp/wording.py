"""Small helpers that keep the API's messages grammatical: plurals and full stops."""
from __future__ import annotations

__all__ = ["as_sentence", "count"]


def count(n: int, noun: str) -> str:
    """``n`` and ``noun``, singular for one: "1 word", "2 words".

    >>> count(1, "row"), count(3, "row"), count(1000, "word")
    ('1 row', '3 rows', '1,000 words')
    """
    return f"{n:,} {noun if n == 1 else noun + 's'}"


def as_sentence(message: str) -> str:
    """``message`` ending in a full stop: every error the API sends reads as a sentence.

    >>> as_sentence("pool_size must be a positive integer, got 0")
    'pool_size must be a positive integer, got 0.'
    >>> as_sentence("The body must be JSON.")
    'The body must be JSON.'
    """
    message = message.rstrip()
    return message if message.endswith((".", "?", "!")) else message + "."
