"""Routes: parse, call the engine, serialise. Nothing else."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, url_for

from pooling import PRESETS
from pooling.i18n import LANGUAGES, PSEUDO

from .cache import cached_json
from .encoding import json_array
from .i18n import current, page_messages
from .jsonbody import read_json_object
from .openapi import openapi_document
from .schemas import LIMITS, TraceRequest
from .service import build_trace

__all__ = ["DEFAULT_REQUEST", "api", "boot_data", "pages"]

api = Blueprint("api", __name__, url_prefix="/api")
pages = Blueprint("pages", __name__)

# What the page opens on: the classic example, MaxPooling1D(pool_size=2, strides=1).
DEFAULT_REQUEST: dict[str, Any] = TraceRequest(preset="classic", strides=1).model_dump()


def boot_data() -> dict[str, Any]:
    """Everything the page needs before its first fetch."""
    return {
        "presets": [preset.to_dict(current().lang) for preset in PRESETS.values()],
        "defaults": dict(DEFAULT_REQUEST),
        "limits": dict(LIMITS),
        "api": {
            "trace": url_for("api.trace"),
            "presets": url_for("api.presets"),
            # POST /api/export/<format> (webapp/exports.py): the page appends the format.
            "export": url_for("api.trace").rsplit("/", 1)[0] + "/export/",
            "quiz": url_for("classroom.quiz_questions"),
            "qr": url_for("classroom.qr"),
        },
        # The menu's languages and the pseudo-locale the browser tests use.
        "languages": [*LANGUAGES, PSEUDO],
    }


@api.post("/trace")
def trace() -> Response:
    """Trace a pooling layer and its global twin over one sequence."""
    req = TraceRequest.model_validate(read_json_object())
    return cached_json(req.model_dump(), lambda: build_trace(req, json_array))


@api.get("/presets")
def presets() -> Response:
    """The named examples."""
    return jsonify([preset.to_dict() for preset in PRESETS.values()])


@api.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description, generated from the request and response models."""
    return jsonify(openapi_document())


@pages.get("/healthz")
def healthz() -> Response:
    """Liveness: the process answers."""
    return jsonify(status="ok")


@pages.get("/")
def index() -> str:
    """The explainer page."""
    return render_template(
        "index.html", plotly_src=url_for("plotly_js"), boot=boot_data(), messages=page_messages(current().lang)
    )
