"""Settings, read from the environment once, when this module is imported.

``create_app`` starts from :class:`Config` and lets a mapping or an object
override it; tests pass :class:`TestConfig`.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable


def _flag(name: str) -> bool:
    # Debug mode runs the Werkzeug debugger, which executes code typed into a
    # browser: it is on only when someone explicitly asks for it.
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise ValueError(f"PORT must be a whole number from 1 to 65535, got {value!r}") from None
    if not 1 <= port <= 65535:
        raise ValueError(f"PORT must be a whole number from 1 to 65535, got {value!r}")
    return port


def _number(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name} must be a positive number, got {value!r}") from None
    if not number > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return number


# scheme://host[:port] and nothing else: a DNS name (ASCII; punycode for
# others) or a bracketed IPv6 address. No path, quotes, semicolons, commas
# or spaces, so an origin can never add a directive to the CSP header.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_ORIGIN = re.compile(
    rf"https?://(?:{_LABEL}(?:\.{_LABEL})*|\[[0-9a-f:.]+\])(?::(?P<port>[0-9]{{1,5}}))?",
    re.IGNORECASE | re.ASCII,  # without ASCII, [a-z] would also match the Kelvin sign
)


def frame_ancestors(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """The origins allowed to frame the page, checked; empty means nobody.

    Parameters
    ----------
    value : str or iterable of str or None
        The ``FRAME_ANCESTORS`` setting: origins separated by white space
        (``"https://moodle.example.edu https://slides.example.org"``), or
        already a list of origins (from a config mapping).

    Returns
    -------
    tuple of str
        Lower-cased origins, each once, in the order given.

    Raises
    ------
    ValueError
        Naming ``FRAME_ANCESTORS`` and the first item that is not an origin
        ``http(s)://host[:port]``: keywords such as ``'self'``, wildcards,
        paths, quotes, semicolons, commas.

    Examples
    --------
    >>> frame_ancestors("https://Moodle.example.edu  http://localhost:8080")
    ('https://moodle.example.edu', 'http://localhost:8080')
    >>> frame_ancestors("")
    ()
    >>> frame_ancestors("https://a.example; script-src *")
    Traceback (most recent call last):
    ...
    ValueError: FRAME_ANCESTORS must list origins such as https://moodle.example.edu, separated by spaces; 'https://a.example;' is not one (http or https, a host, an optional port; no path, wildcard, quotes, semicolons or commas).
    """
    if value is None:
        return ()
    items = value.split() if isinstance(value, str) else list(value)
    origins: list[str] = []
    for item in items:
        match = _ORIGIN.fullmatch(item) if isinstance(item, str) else None
        if match is None or (match["port"] is not None and not 1 <= int(match["port"]) <= 65535):
            raise ValueError(
                "FRAME_ANCESTORS must list origins such as https://moodle.example.edu, separated "
                f"by spaces; {item!r:.80} is not one (http or https, a host, an optional port; "
                "no path, wildcard, quotes, semicolons or commas)."
            )
        origin = item.lower()
        if origin not in origins:
            origins.append(origin)
    return tuple(origins)


def public_url(value: str | None) -> str:
    """The address students' devices use to reach the page, checked; empty means none is set.

    Parameters
    ----------
    value : str or None
        The ``PUBLIC_URL`` setting: an http(s) address with an optional path
        (``https://pooling.example.edu/explainer``), no query or fragment.

    Returns
    -------
    str
        The address without a trailing slash.

    Raises
    ------
    ValueError
        Naming ``PUBLIC_URL`` and the value when it is not such an address.

    Examples
    --------
    >>> public_url("http://192.168.1.20:8000/")
    'http://192.168.1.20:8000'
    >>> public_url("")
    ''
    >>> public_url("192.168.1.20:8000")
    Traceback (most recent call last):
    ...
    ValueError: PUBLIC_URL must be an address such as http://192.168.1.20:8000 or https://pooling.example.edu/explainer (http or https, a host, an optional port and path; no query), got '192.168.1.20:8000'.
    """
    text = (value or "").strip()
    if not text:
        return ""
    origin = _ORIGIN.match(text)
    rest = text[origin.end():] if origin else ""
    if origin is None or not re.fullmatch(r"(/[A-Za-z0-9._~%!$&'()*+,;=:@-]*)*", rest):
        raise ValueError(
            "PUBLIC_URL must be an address such as http://192.168.1.20:8000 or "
            "https://pooling.example.edu/explainer (http or https, a host, an optional port and path; "
            f"no query), got {text!r:.80}."
        )
    return text.rstrip("/")


class Config:
    """Defaults for every deployment; each can be overridden by an environment variable."""

    # Where `python app.py` listens; gunicorn reads HOST/PORT in gunicorn.conf.py.
    HOST = os.environ.get("HOST", "127.0.0.1")
    PORT = _port(os.environ.get("PORT", "8000"))
    DEBUG = _flag("DEBUG") or _flag("FLASK_DEBUG")
    # A full 256 x 64 embedding matrix is about 100 kB of JSON: 1 MiB is ample.
    MAX_CONTENT_LENGTH = 1024 * 1024
    # How request bodies must arrive, and what a worker holds of them while
    # they do (webapp/bodies.py): no pause over BODY_IDLE_SECONDS, all of it
    # within BODY_GRACE_SECONDS plus 1 s per BODY_MIN_RATE bytes, at most
    # BODY_MEMORY bytes of unfinished bodies per worker; an answer the
    # client does not take within WRITE_TIMEOUT seconds ends the connection.
    BODY_IDLE_SECONDS = _number("BODY_IDLE_SECONDS", 5)
    BODY_GRACE_SECONDS = _number("BODY_GRACE_SECONDS", 5)
    BODY_MIN_RATE = int(_number("BODY_MIN_RATE", 64 * 1024))
    BODY_MEMORY = int(_number("BODY_MEMORY", 32 * 1024 * 1024))
    WRITE_TIMEOUT = _number("WRITE_TIMEOUT", 20)
    # Exports and gradients running at once in one worker; one more is a JSON
    # 503 with Retry-After (webapp/limits.py), so they never starve the traces.
    # One: each runs on a thread beside the worker's event loop (HEAVY_THREADS),
    # sharing the worker's GIL with the traces; more would take more of it.
    HEAVY_CONCURRENCY = int(_number("HEAVY_CONCURRENCY", 1))
    # Seconds one more heavy request waits for a slot before its 503: a page
    # that aborts a stale gradient and asks again at once (the guided
    # sections do, as the learner types) waits for the server to finish the
    # stale one instead of failing.
    HEAVY_WAIT_SECONDS = _number("HEAVY_WAIT_SECONDS", 3)
    # Where heavy routes compute: None, on native threads when gevent serves
    # the worker, so its event loop keeps answering the cheap routes
    # (webapp/limits.py); True or False, always or never (for the tests).
    HEAVY_THREADS: bool | None = None
    # None means templates/ next to app.py; tests may point elsewhere.
    TEMPLATE_FOLDER = None
    # None means the cartesian bundle vendored in static/vendor/ (webapp/vendor.py).
    PLOTLY_JS_PATH = None
    # Sites allowed to show the page in a frame (?embed=1 in slides or a course
    # page), e.g. FRAME_ANCESTORS="https://moodle.example.edu https://slides.example.org".
    # Empty, the default: no site may frame it.
    FRAME_ANCESTORS = frame_ancestors(os.environ.get("FRAME_ANCESTORS", ""))
    # The address the QR code of a lesson gives students when the page was
    # opened on this computer's own address (localhost), e.g.
    # PUBLIC_URL="http://192.168.1.20:8000". Empty, the default: the server's
    # address on the local network when it listens on all interfaces (HOST=0.0.0.0).
    PUBLIC_URL = public_url(os.environ.get("PUBLIC_URL", ""))
    # Answers kept per worker for identical requests (webapp/cache.py); 0 entries: no cache.
    TRACE_CACHE_ENTRIES = int(os.environ.get("TRACE_CACHE_ENTRIES", "128"))
    TRACE_CACHE_BYTES = int(os.environ.get("TRACE_CACHE_BYTES", str(8 * 1024 * 1024)))


class TestConfig(Config):
    """For the test suite: exceptions propagate to the test instead of becoming 500s."""

    # The tests that fill the heavy slots expect their 503 without a long wait.
    HEAVY_WAIT_SECONDS = 0.05

    TESTING = True
    DEBUG = False
