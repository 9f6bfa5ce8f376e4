"""Named examples a teacher can open in one click.

Each preset pins the words and their vectors, so the numbers on screen are
the same in every classroom, whatever toy-embedding settings are chosen.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["PRESETS", "Preset", "get_preset"]


@dataclass(frozen=True)
class Preset:
    """A sentence with hand-written embeddings and what it teaches."""

    name: str
    title: str
    teaches: str
    tokens: tuple[str, ...]
    embeddings: tuple[tuple[float, ...], ...]

    @property
    def sentence(self) -> str:
        return " ".join(self.tokens)

    def x(self) -> NDArray[np.float64]:
        """The embeddings as a (steps, features) array."""
        return np.array(self.embeddings, dtype=np.float64)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "teaches": self.teaches,
            "sentence": self.sentence,
            "tokens": list(self.tokens),
            "embeddings": [list(row) for row in self.embeddings],
        }


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "classic",
            "The boy will live",
            "Global max pooling picks each feature's maximum from a different word: "
            "[.8, -.1, .8] comes from boy, will and live, and is no single word's vector.",
            ("the", "boy", "will", "live"),
            ((0.7, -0.2, 0.1), (0.8, -0.3, 0.2), (0.2, -0.1, 0.4), (0.4, -0.4, 0.8)),
        ),
        Preset(
            "negatives",
            "All negative",
            "Max pooling ignores padding: with padding=\"same\" the outputs stay negative, "
            "they are not pulled up to a padded 0.",
            ("cold", "grey", "wet", "dark", "late"),
            (
                (-0.3, -0.8, -0.5),
                (-0.6, -0.2, -0.9),
                (-0.1, -0.7, -0.4),
                (-0.9, -0.4, -0.2),
                (-0.5, -0.6, -0.7),
            ),
        ),
        Preset(
            "ties",
            "Ties",
            "When two words share a feature's maximum, the first one wins.",
            ("red", "red", "blue", "red"),
            ((0.5, 0.1), (0.5, 0.1), (0.2, 0.9), (0.5, 0.1)),
        ),
        Preset(
            "single",
            "One strong word",
            "When one word holds every maximum, global max pooling returns exactly its vector.",
            ("a", "truly", "great", "day"),
            ((0.1, -0.3, 0.2), (0.4, 0.1, 0.3), (0.9, 0.6, 0.8), (0.2, 0.0, -0.1)),
        ),
    )
}


def get_preset(name: str) -> Preset:
    """Look up a preset by name.

    Examples
    --------
    >>> get_preset("classic").sentence
    'the boy will live'
    """
    try:
        return PRESETS[name]
    except (KeyError, TypeError):
        known = ", ".join(sorted(PRESETS))
        raise ValueError(f"preset must be one of {known}, got {name!r}") from None
