"""The 1-D pooling explainer: Flask application factory.

Serve with ``gunicorn 'app:create_app()'`` (settings in gunicorn.conf.py), or
for development ``python app.py``, which listens on http://127.0.0.1:8000
(``PORT`` and ``HOST`` change that; ``DEBUG=1`` turns the debugger on).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from webapp.assets import register_static
from webapp.bodies import BodyLimits, BodyReader
from webapp.classroom import classroom
from webapp.config import Config
from webapp.encoding import FastJSONProvider, register_compression
from webapp.errors import register_error_handlers
from webapp.exports import exports
from webapp.i18n import register_i18n
from webapp.limits import register_limits
from webapp.security import register_security_headers
from webapp.teaching import teaching
from webapp.vendor import register_plotly
from webapp.views import api, pages


def create_app(config: Mapping[str, Any] | object | None = None) -> Flask:
    """Build the app from :class:`~webapp.config.Config`, overridden by ``config``.

    ``config`` may be a mapping (``{"TESTING": True}``) or an object or class
    whose upper-case attributes are settings (``TestConfig``).
    """
    app = Flask(__name__)
    app.config.from_object(Config)
    if isinstance(config, Mapping):
        app.config.from_mapping(config)
    elif config is not None:
        app.config.from_object(config)
    if app.config.get("TEMPLATE_FOLDER"):
        # Before the first render, so Jinja's loader picks it up.
        app.template_folder = str(app.config["TEMPLATE_FOLDER"])
    app.json = FastJSONProvider(app)
    # "/api//trace" is a 404, not a 308 to a Location built from the Host header.
    app.url_map.merge_slashes = False
    register_error_handlers(app)
    register_security_headers(app)
    register_i18n(app)
    register_compression(app)
    register_limits(app)
    app.register_blueprint(api)
    app.register_blueprint(pages)
    app.register_blueprint(teaching)
    app.register_blueprint(exports)
    app.register_blueprint(classroom)
    register_plotly(app)
    register_static(app)
    # Outermost: a body is read whole, in time and within memory, before Flask sees it.
    app.wsgi_app = BodyReader(  # type: ignore[method-assign]
        app.wsgi_app,
        BodyLimits(
            max_bytes=app.config["MAX_CONTENT_LENGTH"],
            idle_seconds=app.config["BODY_IDLE_SECONDS"],
            grace_seconds=app.config["BODY_GRACE_SECONDS"],
            min_rate=app.config["BODY_MIN_RATE"],
            memory=app.config["BODY_MEMORY"],
            write_timeout=app.config["WRITE_TIMEOUT"],
        ),
    )
    return app


if __name__ == "__main__":
    application = create_app()
    application.run(
        host=application.config["HOST"],
        port=application.config["PORT"],
        debug=application.config["DEBUG"],
    )
