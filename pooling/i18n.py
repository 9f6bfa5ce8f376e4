"""Message catalogs: every learner-facing string, by id, in each language.

A catalog is one JSON object per language and domain,
``pooling/messages/<lang>/<domain>.json``, mapping a message id
(``"page.title"``, ``"caption.window"``) to its text. The browser reads the
same catalogs (the page embeds its language's messages), so Python and
JavaScript never hold a string of their own.

A text names its placeholders, ``"Window {index} of {total}"``, and a
message that counts something is an object with one text per plural
category of the language (CLDR's, from Babel here and ``Intl.PluralRules``
in the browser), chosen by the ``count`` placeholder:
``{"one": "{count} word", "other": "{count} words"}``. Ids ending in
``_html`` may hold inline markup (``<code>``, ``<em>``, ``<a>``); their
placeholders are escaped by whoever inserts them.

``en-XA`` is a pseudo-locale made from English at load time: every text
lengthened by about 40% and wrapped in ``⟦ ⟧``, so a browser test can see
that each visible string came from a catalog and that longer strings break
no layout.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Union

from babel import Locale
from babel.numbers import format_decimal

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "PSEUDO",
    "Messages",
    "catalog",
    "messages",
    "placeholders",
    "plural_categories",
]

CATALOG_DIR = Path(__file__).with_name("messages")
DEFAULT_LANGUAGE = "en"
# The languages a learner can choose, in the menu's order.
LANGUAGES = ("en", "es", "zh")
PSEUDO = "en-XA"
PSEUDO_OPEN, PSEUDO_CLOSE, PSEUDO_PAD = "⟦", "⟧", "·"
# CLDR's minimumGroupingDigits where it is not 1 (Babel does not carry it;
# the browser's Intl.NumberFormat does): Spanish writes 1000 but 10.000.
_MIN_GROUPING = {"es": 2}

Text = Union[str, dict[str, str]]
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_TAG = re.compile(r"<(/?[a-z][a-z0-9]*)\b[^>]*>")


def _language(lang: str) -> str:
    if lang in LANGUAGES or lang == PSEUDO:
        return lang
    raise ValueError(f"lang must be one of {', '.join(LANGUAGES)} (or {PSEUDO}), got {lang!r}")


def plural_categories(lang: str) -> frozenset[str]:
    """The plural categories a counted message needs in ``lang`` (CLDR, through Babel).

    >>> sorted(plural_categories("en")), sorted(plural_categories("es")), sorted(plural_categories("zh"))
    (['one', 'other'], ['many', 'one', 'other'], ['other'])
    """
    locale = Locale.parse(_babel_name(lang))
    return frozenset(locale.plural_form.tags) | {"other"}


def _babel_name(lang: str) -> str:
    return DEFAULT_LANGUAGE if lang == PSEUDO else lang


def placeholders(text: Text) -> frozenset[str]:
    """The placeholder names of a text, over all its plural forms.

    >>> sorted(placeholders({"one": "{count} word", "other": "{count} words in {where}"}))
    ['count', 'where']
    """
    forms = text.values() if isinstance(text, dict) else (text,)
    return frozenset(name for form in forms for name in _PLACEHOLDER.findall(form))


def tags(text: Text) -> list[str]:
    """The markup tags of a text, sorted, over all its plural forms (translations must keep them).

    >>> tags("Use <code>pool_size</code> and <em>look</em>.")
    ['/code', '/em', 'code', 'em']
    """
    forms = text.values() if isinstance(text, dict) else (text,)
    return sorted(tag for form in forms for tag in _TAG.findall(form))


def _pseudo_text(text: str) -> str:
    """English made longer and marked: placeholders and markup kept as they are.

    The padding is 40% of the whole text, placeholders included: a message
    that is mostly placeholders ("{word} (word {number})") grows as much as
    the sentence it makes.
    """
    return f"{PSEUDO_OPEN}{text}{PSEUDO_PAD * math.ceil(len(text) * 0.4)}{PSEUDO_CLOSE}"


def _pseudo(entries: Mapping[str, Text]) -> dict[str, Text]:
    return {
        key: ({form: _pseudo_text(t) for form, t in text.items()} if isinstance(text, dict) else _pseudo_text(text))
        for key, text in entries.items()
    }


@lru_cache(maxsize=None)
def catalog(lang: str) -> Mapping[str, Text]:
    """Every message of ``lang``: the union of its domain files (an id in two files is an error).

    >>> catalog("en")["lang.name"]
    'English'
    >>> catalog("en-XA")["lang.name"]
    '⟦English···⟧'
    """
    lang = _language(lang)
    if lang == PSEUDO:
        return _pseudo(catalog(DEFAULT_LANGUAGE))
    entries: dict[str, Text] = {}
    for path in sorted((CATALOG_DIR / lang).glob("*.json")):
        for key, text in json.loads(path.read_text(encoding="utf-8")).items():
            if key in entries:
                raise ValueError(f"message id {key!r} is in two files of {lang}: {path.name} and another")
            entries[key] = text
    return entries


class Messages:
    """The messages of one language: ``t(id, **placeholders)``.

    >>> Messages("en").t("lang.name")
    'English'
    >>> Messages("es").t("lang.name")
    'Español'
    """

    def __init__(self, lang: str = DEFAULT_LANGUAGE) -> None:
        self.lang = _language(lang)
        self._catalog = catalog(self.lang)
        self._locale = Locale.parse(_babel_name(self.lang))

    def __repr__(self) -> str:
        return f"Messages({self.lang!r})"

    def number(self, value: int) -> str:
        """A whole number as prose in this language writes it (grouping digits).

        >>> Messages("en").number(12345), Messages("es").number(12345), Messages("es").number(1000)
        ('12,345', '12.345', '1000')
        """
        grouped = abs(value) >= 10 ** (3 + _MIN_GROUPING.get(self.lang, 1) - 1)
        return format_decimal(value, locale=self._locale, group_separator=grouped)

    def text(self, key: str, count: int | None = None) -> str:
        """The raw text of ``key`` (the plural form for ``count``), placeholders unfilled."""
        try:
            entry = self._catalog[key]
        except KeyError:
            raise KeyError(f"no message {key!r} in {self.lang}") from None
        if isinstance(entry, dict):
            if count is None:
                raise ValueError(f"message {key!r} counts something: give count")
            return entry.get(self._locale.plural_form(count)) or entry["other"]
        return entry

    def t(self, key: str, **params: Any) -> str:
        """The message ``key`` with its placeholders filled; whole numbers written as prose writes them.

        >>> Messages("en").t("lang.choose")
        'Language'
        """
        count = params.get("count")
        text = self.text(key, count if isinstance(count, int) else None)

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in params:
                raise KeyError(f"message {key!r} needs {{{name}}}")
            value = params[name]
            if isinstance(value, int) and not isinstance(value, bool):
                return self.number(value)
            return str(value)

        return _PLACEHOLDER.sub(fill, text)


@lru_cache(maxsize=8)
def messages(lang: str = DEFAULT_LANGUAGE) -> Messages:
    """The (shared) :class:`Messages` of ``lang``."""
    return Messages(lang)
