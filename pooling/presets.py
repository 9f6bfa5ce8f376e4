"""Named examples a teacher can open in one click.

Each preset pins the words and their vectors, so the numbers on screen are
the same in every classroom, whatever toy-embedding settings are chosen, and
the layer settings that show what it teaches (``negatives`` teaches
``padding="same"``, so it opens with it).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from .i18n import DEFAULT_LANGUAGE, messages

__all__ = ["PRESETS", "Preset", "get_preset"]


@dataclass(frozen=True)
class Preset:
    """A sentence with hand-written embeddings, what it teaches and the layer that shows it.

    ``title`` and ``teaches`` are message ids (pooling/messages): the menu
    shows the title, and the line under the controls what it teaches, in
    the page's language. The sentence stays as written: its numbers belong
    to its words.

    ``layer``, ``pool_size``, ``strides`` and ``padding`` are the pooling
    layer's arguments as the API and Keras spell them; ``strides`` is always
    a number here, so the page can show it as given.
    """

    name: str
    title: str
    teaches: str
    tokens: tuple[str, ...]
    embeddings: tuple[tuple[float, ...], ...]
    layer: Literal["max", "average"]
    pool_size: int
    strides: int
    padding: Literal["valid", "same"]

    @property
    def sentence(self) -> str:
        return " ".join(self.tokens)

    @property
    def steps(self) -> int:
        return len(self.embeddings)

    @property
    def features(self) -> int:
        return len(self.embeddings[0])

    @property
    def settings(self) -> dict[str, Any]:
        """The layer arguments this preset teaches with, as request fields.

        Examples
        --------
        >>> get_preset("negatives").settings
        {'layer': 'max', 'pool_size': 3, 'strides': 1, 'padding': 'same'}
        """
        return {
            "layer": self.layer,
            "pool_size": self.pool_size,
            "strides": self.strides,
            "padding": self.padding,
        }

    def x(self) -> NDArray[np.float64]:
        """The embeddings as a (steps, features) array."""
        return np.array(self.embeddings, dtype=np.float64)

    def to_dict(self, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
        """The preset as the API and the page see it, its title and lesson in ``lang``.

        >>> get_preset("ties").to_dict()["title"]
        'Ties'
        """
        words = messages(lang)
        return {
            "name": self.name,
            "title": words.t(self.title),
            "teaches": words.t(self.teaches),
            "sentence": self.sentence,
            "tokens": list(self.tokens),
            "embeddings": [list(row) for row in self.embeddings],
            "steps": self.steps,
            "features": self.features,
            "settings": self.settings,
        }


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "classic",
            "page.preset.classic.title",
            "page.preset.classic.teaches",
            ("the", "boy", "will", "live"),
            ((0.7, -0.2, 0.1), (0.8, -0.3, 0.2), (0.2, -0.1, 0.4), (0.4, -0.4, 0.8)),
            # The page's default view: MaxPooling1D(pool_size=2, strides=1).
            layer="max", pool_size=2, strides=1, padding="valid",
        ),
        Preset(
            "negatives",
            "page.preset.negatives.title",
            "page.preset.negatives.teaches",
            ("cold", "grey", "wet", "dark", "late"),
            (
                (-0.3, -0.8, -0.5),
                (-0.6, -0.2, -0.9),
                (-0.1, -0.7, -0.4),
                (-0.9, -0.4, -0.2),
                (-0.5, -0.6, -0.7),
            ),
            # "same" with windows of 3 every step: 5 windows for 5 words (the
            # output keeps the input's length), the first and the last each
            # holding one padded position that never wins.
            layer="max", pool_size=3, strides=1, padding="same",
        ),
        Preset(
            "ties",
            "page.preset.ties.title",
            "page.preset.ties.teaches",
            ("red", "red", "blue", "red"),
            ((0.5, 0.1), (0.5, 0.1), (0.2, 0.9), (0.5, 0.1)),
            # Window 1 holds both equal 'red's; the global max ties three of them.
            layer="max", pool_size=2, strides=1, padding="valid",
        ),
        Preset(
            "single",
            "page.preset.single.title",
            "page.preset.single.teaches",
            ("a", "truly", "great", "day"),
            ((0.1, -0.3, 0.2), (0.4, 0.1, 0.3), (0.9, 0.6, 0.8), (0.2, 0.0, -0.1)),
            # Every window holding 'great' returns its whole vector too.
            layer="max", pool_size=2, strides=1, padding="valid",
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
        raise ValueError(f"preset must be one of {known}, got {name!r}.") from None
