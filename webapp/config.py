"""Settings, read from the environment once, when this module is imported.

``create_app`` starts from :class:`Config` and lets a mapping or an object
override it; tests pass :class:`TestConfig`.
"""
from __future__ import annotations

import os


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


class Config:
    """Defaults for every deployment; each can be overridden by an environment variable."""

    # Where `python app.py` listens; gunicorn reads HOST/PORT in gunicorn.conf.py.
    HOST = os.environ.get("HOST", "127.0.0.1")
    PORT = _port(os.environ.get("PORT", "8000"))
    DEBUG = _flag("DEBUG") or _flag("FLASK_DEBUG")
    # A full 256 x 64 embedding matrix is about 100 kB of JSON: 1 MiB is ample.
    MAX_CONTENT_LENGTH = 1024 * 1024
    # None means templates/ next to app.py; tests may point elsewhere.
    TEMPLATE_FOLDER = None
    # None means the plotly.min.js shipped with the installed plotly package.
    PLOTLY_JS_PATH = None


class TestConfig(Config):
    """For the test suite: exceptions propagate to the test instead of becoming 500s."""

    TESTING = True
    DEBUG = False
