"""Security headers on every response."""
from __future__ import annotations

from collections.abc import Sequence

from flask import Flask, Response, g, request
from markupsafe import escape

from .config import frame_ancestors
from .i18n import current

__all__ = [
    "CONTENT_SECURITY_POLICY", "FRAME_NOTICE_POLICY", "SECURITY_HEADERS", "frame_notice", "register_security_headers",
    "security_headers",
]


def security_headers(frame_origins: Sequence[str] = ()) -> dict[str, str]:
    """The headers every response carries.

    Framing is refused (``frame-ancestors 'none'`` and ``X-Frame-Options:
    DENY``) unless ``frame_origins`` lists the sites that may frame the
    page; then the CSP names them and ``X-Frame-Options`` is left out, as it
    cannot name more than one site (browsers that know CSP ignore it anyway
    when ``frame-ancestors`` is set). The origins must already be checked
    by :func:`webapp.config.frame_ancestors`.
    """
    ancestors = " ".join(frame_origins) if frame_origins else "'none'"
    # Scripts only from this server, never inline; Plotly.js injects <style>
    # rules at run time, so styles need 'unsafe-inline' (styles cannot run code).
    policy = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {ancestors}",
        ]
    )
    headers = {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if frame_origins:
        del headers["X-Frame-Options"]
    return headers


# The defaults: nobody may frame the page.
SECURITY_HEADERS = security_headers()
CONTENT_SECURITY_POLICY = SECURITY_HEADERS["Content-Security-Policy"]


# The notice a refused frame shows: no script, no app content, so any site may frame it.
FRAME_NOTICE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors *"
)
_FRAME_NOTICE = """<!doctype html>
<html lang="{lang}">
<head><meta charset="utf-8"><title>{title}</title></head>
<body style="margin:0;padding:16px;font:16px/1.45 system-ui,sans-serif;color:#17181c;background:#fff4e8">
<p style="margin:0 0 8px;font-weight:700">{heading}</p>
<p style="margin:0 0 8px">{why}</p>
<p style="margin:0"><a href="{url}" target="_blank" rel="noopener">{open}</a></p>
</body>
</html>
"""


def frame_notice(url: str) -> Response:
    """The page a frame gets while framing is refused: a short notice naming ``FRAME_ANCESTORS``.

    Browsers show a refused frame as a broken page with no reason; this
    notice says why, and links to ``url`` in a new tab, in the page's
    language (the link's ``lang``, the cookie, then ``Accept-Language``).
    """
    lang = current()
    page = _FRAME_NOTICE.format(
        lang=lang.lang,
        title=escape(lang.t("errors.frame.title")),
        heading=escape(lang.t("errors.frame.heading")),
        # Markup from the catalog (<code>), no placeholders.
        why=lang.t("errors.frame.why_html"),
        open=escape(lang.t("errors.frame.open")),
        url=escape(url),
    )
    response = Response(page, mimetype="text/html")
    response.headers["Content-Security-Policy"] = FRAME_NOTICE_POLICY
    response.headers["Cache-Control"] = "no-store"
    response.headers["Vary"] = "Sec-Fetch-Dest"
    return response


def register_security_headers(app: Flask) -> None:
    """Add the security headers to every response, framing as ``FRAME_ANCESTORS`` allows.

    The setting is checked here, once, so a bad value stops the app from
    starting instead of reaching a header.
    """
    origins = frame_ancestors(app.config.get("FRAME_ANCESTORS"))
    headers = security_headers(origins)

    if not origins:
        # Chromium, Firefox and Safari say when they load a page into a frame;
        # with framing refused, such a load gets the notice instead of the page.
        @app.before_request
        def _refused_frame() -> Response | None:
            if request.method in ("GET", "HEAD") and request.headers.get("Sec-Fetch-Dest") in ("iframe", "frame"):
                g.frame_notice = True
                return frame_notice(request.url)
            return None

    @app.after_request
    def _add_security_headers(response: Response) -> Response:
        for name, value in headers.items():
            if name == "X-Frame-Options" and g.get("frame_notice"):
                continue
            response.headers.setdefault(name, value)
        return response
