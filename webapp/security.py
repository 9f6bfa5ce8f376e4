"""Security headers on every response."""
from __future__ import annotations

from collections.abc import Sequence

from flask import Flask, Response

from .config import frame_ancestors

__all__ = ["CONTENT_SECURITY_POLICY", "SECURITY_HEADERS", "register_security_headers", "security_headers"]


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


def register_security_headers(app: Flask) -> None:
    """Add the security headers to every response, framing as ``FRAME_ANCESTORS`` allows.

    The setting is checked here, once, so a bad value stops the app from
    starting instead of reaching a header.
    """
    headers = security_headers(frame_ancestors(app.config.get("FRAME_ANCESTORS")))

    @app.after_request
    def _add_security_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response
