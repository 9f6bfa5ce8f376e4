"""The request's language, and the catalogs in templates.

The language of a request is, in order: the ``lang`` query parameter (a
lesson link), the ``lang`` cookie (the menu's last choice, so Back and a new
tab keep it), the browser's ``Accept-Language``, then English. The page is
rendered in it, embeds its messages for the modules, and sends it back as
``Accept-Language`` on every API call, so errors come back in it too: the
API reads ``Accept-Language`` only (never ``lang`` or the cookie).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import negotiate_locale
from flask import Flask, Response, g, request
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header
from markupsafe import Markup, escape

from pooling.i18n import DEFAULT_LANGUAGE, LANGUAGES, PSEUDO, Messages, catalog, messages

__all__ = ["COOKIE", "accept_language", "current", "page_messages", "register_i18n", "request_language"]

COOKIE = "lang"
_KNOWN = frozenset(LANGUAGES) | {PSEUDO}


def accept_language(header: str | None) -> str:
    """The language an ``Accept-Language`` header asks for, English if none of ours.

    In the browser's order of preference, a region matching its language
    (zh-TW, es-419); the pseudo-locale only when it comes first (the page in
    ``en-XA`` sends it, so its errors are marked too).

    >>> accept_language("fr-FR,zh-TW;q=0.8,es;q=0.5"), accept_language(None), accept_language("en-XA,en;q=0.5")
    ('zh', 'en', 'en-XA')
    """
    preferred = [value for value, _quality in parse_accept_header(header or "", LanguageAccept)]
    if preferred and preferred[0].lower() == PSEUDO.lower():
        return PSEUDO
    return negotiate_locale(preferred, LANGUAGES, sep="-") or DEFAULT_LANGUAGE


def request_language() -> str:
    """The language this request asks for (see the module's docstring for the order).

    The API (``/api/...``) answers in the language of ``Accept-Language``
    alone: the page sends its own language there on every call.
    """
    if not request.path.startswith("/api/"):
        for value in (request.args.get("lang"), request.cookies.get(COOKIE)):
            if value in _KNOWN:
                return value
    return accept_language(request.headers.get("Accept-Language"))


def current() -> Messages:
    """The :class:`~pooling.i18n.Messages` of this request (English outside one)."""
    if "messages" not in g:
        g.messages = messages(request_language())
    return g.messages


def t(key: str, **params: Any) -> str:
    """A message of this request's language (Jinja escapes it)."""
    return current().t(key, **params)


def t_html(key: str, **params: Any) -> Markup:
    """A message whose text holds markup (an id ending in ``_html``); its placeholders are escaped."""
    if not key.endswith("_html"):
        raise ValueError(f"t_html is for messages with markup (ids ending in _html), got {key!r}")
    return Markup(current().t(key, **{name: escape(value) for name, value in params.items()}))


SCRIPTS = Path(__file__).resolve().parent.parent / "static" / "js"
# A message id written in a module: quoted, dotted, lower case (tests/test_i18n.py holds
# every id to being written out so; an id built by concatenation would fail there).
_ID_LITERAL = re.compile(r"""["'`]([a-z0-9_]+(?:\.[a-z0-9_-]+)+)["'`]""")


@lru_cache(maxsize=1)
def script_ids(scripts: Path = SCRIPTS) -> frozenset[str]:
    """The message ids the browser's modules name: all a page needs to embed.

    The templates' texts are written on the server, and so are the quiz's
    and the errors', so about half of the catalog never needs to reach the
    browser (20 KB of a first visit's 30 KB with gzip, before this).
    """
    found: set[str] = set()
    for path in scripts.rglob("*.js"):
        found.update(_ID_LITERAL.findall(path.read_text(encoding="utf-8")))
    return frozenset(found)


@lru_cache(maxsize=8)
def page_messages(lang: str) -> dict[str, Any]:
    """What a page embeds for its modules: the language and the messages they name."""
    wanted = script_ids()
    return {"lang": lang, "messages": {key: text for key, text in catalog(lang).items() if key in wanted}}


def _vary(response: Response) -> Response:
    # The page and every message the API writes depend on the language.
    if "messages" in g:
        response.headers["Content-Language"] = g.messages.lang
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response


def register_i18n(app: Flask) -> None:
    """``t``, ``t_html``, ``lang`` and the language menu's entries in every template."""
    app.after_request(_vary)

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {
            "t": t,
            "t_html": t_html,
            "lang": current().lang,
            # Each language named in itself.
            "languages": [{"code": code, "name": messages(code).t("lang.name")} for code in LANGUAGES],
        }
