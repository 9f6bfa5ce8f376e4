"""The OpenAPI 3.1 description of the API, generated from the pydantic models."""
from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from pydantic import TypeAdapter

from .teaching_schemas import teaching_paths
from .schemas import LIMITS, ErrorBody, Health, PresetBody, TraceRequest, TraceResponse

__all__ = ["openapi_document"]

_REF = "#/components/schemas/{model}"
_CLASSIC = {"preset": "classic", "layer": "max", "pool_size": 2, "strides": 1, "padding": "valid"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    components: dict[str, Any] = {}

    def schema_of(kind: Any) -> dict[str, Any]:
        schema = TypeAdapter(kind).json_schema(ref_template=_REF)
        components.update(schema.pop("$defs", {}))
        title = schema.get("title")
        if title is None:
            return schema
        components[title] = schema
        return {"$ref": _REF.format(model=title)}

    error = schema_of(ErrorBody)
    errors = {
        "400": _json(error, "Bad input: the field at fault and what is wrong with it."),
        "405": _json(error, "The URL does not allow this method."),
        "413": _json(error, f"The body is over {LIMITS['max_body_bytes']:,} bytes."),
        "415": _json(error, "The body is not sent as application/json."),
    }
    method_error = {"405": errors["405"]}
    limits = ", ".join(f"{name} = {value}" for name, value in LIMITS.items())
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "1-D pooling explainer",
            "version": "2.0.0",
            "description": (
                "Traces Keras MaxPooling1D / AveragePooling1D and their global twins over a "
                "sentence's embeddings, window by window. Every error is "
                '{"error": <sentence>, "field": <field>}. Limits: ' + limits + "."
            ),
        },
        "paths": {
            "/api/trace": {
                "post": {
                    "operationId": "trace",
                    "summary": "Trace a pooling layer and its global twin over one sequence",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": schema_of(TraceRequest),
                                "example": _CLASSIC,
                            }
                        },
                    },
                    "responses": {
                        "200": _json(schema_of(TraceResponse), "The trace the page animates."),
                        **errors,
                    },
                }
            },
            "/api/export/{format}": {
                "post": {
                    "operationId": "export",
                    "summary": "The view as a file: CSV, JSON, a Keras or PyTorch program, or an offline HTML player",
                    "description": (
                        "Takes the body of POST /api/trace. csv: one row per window and feature "
                        "(UTF-8 with a byte-order mark; text cells that a spreadsheet would run "
                        "as a formula start with a single quote). json: the POST /api/trace "
                        "answer. keras, pytorch: a runnable program that prints the same numbers. "
                        "html: the animation in one file that plays offline, plotly.js inside. "
                        "Content-Disposition names the file after the layer settings."
                    ),
                    "parameters": [
                        {
                            "name": "format",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "enum": ["csv", "json", "keras", "pytorch", "html"]},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": schema_of(TraceRequest), "example": _CLASSIC}
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The file, as an attachment.",
                            "headers": {
                                "Content-Disposition": {
                                    "description": 'attachment; filename="max_pooling1d_pool2_strides1_valid.csv"',
                                    "schema": {"type": "string"},
                                }
                            },
                            "content": {
                                "text/csv": {"schema": {"type": "string"}},
                                "application/json": {"schema": schema_of(TraceResponse)},
                                "text/x-python": {"schema": {"type": "string"}},
                                "text/html": {"schema": {"type": "string"}},
                            },
                        },
                        **errors,
                        "404": _json(error, "No such export format."),
                    },
                }
            },
            "/api/presets": {
                "get": {
                    "operationId": "presets",
                    "summary": "Named examples with their words and embeddings",
                    "responses": {
                        "200": _json(schema_of(list[PresetBody]), "Every preset."),
                        **method_error,
                    },
                }
            },
            "/api/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {
                        "200": _json({"type": "object"}, "OpenAPI 3.1."),
                        **method_error,
                    },
                }
            },
            "/healthz": {
                "get": {
                    "operationId": "healthz",
                    "summary": "Liveness check for load balancers and Docker",
                    "responses": {"200": _json(schema_of(Health), "The server answers."), **method_error},
                }
            },
            **teaching_paths(schema_of, errors),
        },
        "components": {"schemas": components},
    }


def openapi_document() -> dict[str, Any]:
    """A fresh copy of the OpenAPI document (built once, then copied)."""
    return copy.deepcopy(_document())
