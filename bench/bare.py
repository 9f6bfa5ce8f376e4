"""A bare Flask app with one route, GET /healthz: the floor bench/capacity.py measures the explainer against.

    gunicorn 'bench.bare:create_app()'
"""
from __future__ import annotations

from flask import Flask, jsonify


def create_app() -> Flask:
    """Flask and nothing else: no hooks, no compression, no security headers."""
    app = Flask(__name__)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app
