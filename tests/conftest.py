"""Shared fixtures: the app under test and its client (flaskr's conftest pattern),
and the published OpenAPI document with a check against it."""
from __future__ import annotations

import jsonschema
import pytest

from app import create_app
from webapp.config import TestConfig


@pytest.fixture
def app():
    return create_app(TestConfig)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def openapi():
    """The OpenAPI document the app publishes at /api/openapi.json."""
    return create_app(TestConfig).test_client().get("/api/openapi.json").get_json()


@pytest.fixture(scope="session")
def assert_matches(openapi):
    """``assert_matches(component, instance)``: ``instance`` conforms to ``#/components/schemas/<component>``."""

    def check(component, instance):
        schema = {"$ref": f"#/components/schemas/{component}", "components": openapi["components"]}
        jsonschema.Draft202012Validator(schema).validate(instance)

    return check
