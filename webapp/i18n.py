"""The request's language, and the catalogs in templates.

The language of a request is, in order: the ``lang`` query parameter (a
lesson link), the ``lang`` cookie (the menu's last choice, so Back and a new
tab keep it), the browser's ``Accept-Language``, then English. The page is
rendered in it, embeds its messages for the modules, and sends it back as
``Accept-Language`` on every API call, so errors come back in it too.
"""
from __future__ import annotations

from typing import Any

from babel import negotiate_locale
from flask import Flask, Response, g, request
from markupsafe import Markup, escape

from pooling.i18n import DEFAULT_LANGUAGE, LANGUAGES, PSEUDO, Messages, catalog, messages

__all__ = ["COOKIE", "current", "page_messages", "register_i18n", "request_language"]

COOKIE = "lang"
_KNOWN = frozenset(LANGUAGES) | {PSEUDO}


def request_language() -> str:
    """The language this request asks for (see the module's docstring for the order)."""
    for value in (request.args.get("lang"), request.cookies.get(COOKIE)):
        if value in _KNOWN:
            return value
    # In the browser's order of preference, a region matching its language (zh-TW, es-419).
    preferred = [value for value, _quality in request.accept_languages]
    # The pseudo-locale's page sends it as Accept-Language on its API calls: their texts follow.
    if preferred[:1] == [PSEUDO]:
        return PSEUDO
    return negotiate_locale(preferred, LANGUAGES, sep="-") or DEFAULT_LANGUAGE


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


def page_messages(lang: str) -> dict[str, Any]:
    """What a page embeds for its modules: the language and its whole catalog."""
    return {"lang": lang, "messages": dict(catalog(lang))}


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
