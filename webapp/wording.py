"""Small helpers that keep the API's messages grammatical: plurals and full stops."""
from __future__ import annotations

__all__ = ["as_sentence", "count", "too_short"]


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


def too_short(steps: int, pool_size: int) -> str:
    """What to do when a sentence is shorter than ``pool_size`` under ``padding="valid"``.

    >>> too_short(2, 3)
    "pool_size 3 is larger than the sentence: 2 words need pool_size \u2264 2, or padding 'same'."
    >>> too_short(1, 2)
    "pool_size 2 is larger than the sentence: 1 word needs pool_size 1, or padding 'same'."
    """
    need = "needs pool_size 1" if steps == 1 else f"need pool_size \u2264 {steps:,}"
    return f"pool_size {pool_size:,} is larger than the sentence: {count(steps, 'word')} {need}, or padding 'same'."
