"""Shared fixtures: the app under test and its client (flaskr's conftest pattern)."""
from __future__ import annotations

import pytest

from app import create_app
from webapp.config import TestConfig


@pytest.fixture
def app():
    return create_app(TestConfig)


@pytest.fixture
def client(app):
    return app.test_client()
