"""Embedding (issue 8, item 7), server side: who may show the page in a frame.

Framing is refused by default; FRAME_ANCESTORS, read by the one Config,
lists the origins allowed to frame it, and anything that is not an origin
stops the app from starting.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app import create_app
from webapp.config import TestConfig, frame_ancestors


def csp(response) -> dict[str, str]:
    return dict(part.split(" ", 1) for part in response.headers["Content-Security-Policy"].split("; "))


@pytest.mark.parametrize("path", ["/", "/healthz", "/api/presets", "/api/missing"])
def test_framing_is_refused_by_default(client, path):
    response = client.get(path)
    assert csp(response)["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "setting",
    [
        "https://moodle.example.edu https://slides.example.org",
        ("https://moodle.example.edu", "https://slides.example.org"),
        "  https://MOODLE.example.edu\thttps://slides.example.org https://moodle.example.edu ",
    ],
)
def test_listed_origins_may_frame_the_page(setting):
    app = create_app({**vars_of(TestConfig), "FRAME_ANCESTORS": setting})
    for path in ["/", "/api/presets"]:
        response = app.test_client().get(path)
        policy = csp(response)
        assert policy["frame-ancestors"] == "https://moodle.example.edu https://slides.example.org"
        # X-Frame-Options cannot name two sites; with frame-ancestors set, browsers ignore it.
        assert "X-Frame-Options" not in response.headers
        # The rest of the policy is untouched.
        assert policy["script-src"] == "'self'" and policy["object-src"] == "'none'"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def vars_of(config: type) -> dict:
    return {name: getattr(config, name) for name in dir(config) if name.isupper()}


HOSTILE = [
    "https://a.example; script-src *",
    "https://a.example 'unsafe-inline'",
    "'self'",
    "*",
    "https://*.example.edu",
    "https://a.example,https://b.example",
    "https://a.example/course/view.php",
    "https://a.example\r\nSet-Cookie: x=1",
    'https://a.example"',
    "javascript:alert(1)",
    "data:",
    "ftp://a.example",
    "https://a.example:99999",
    "https://ex\u00e4mple.de",
    "https://\u212aelvin.example",  # the Kelvin sign, which IGNORECASE alone would take for k
    "https://a..example",
    "https://-a.example",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_anything_but_origins_is_refused(value):
    with pytest.raises(ValueError, match="^FRAME_ANCESTORS must list origins"):
        frame_ancestors(value)
    with pytest.raises(ValueError, match="^FRAME_ANCESTORS must list origins"):
        create_app({**vars_of(TestConfig), "FRAME_ANCESTORS": value})


def test_a_list_item_with_a_space_is_refused():
    with pytest.raises(ValueError, match="'https://a.example https://b.example' is not one"):
        frame_ancestors(["https://a.example https://b.example"])


@pytest.mark.parametrize(
    "value, expected",
    [
        ("", ()),
        (None, ()),
        ("http://localhost:8000", ("http://localhost:8000",)),
        ("https://[::1]:8443 http://127.0.0.1", ("https://[::1]:8443", "http://127.0.0.1")),
        ("https://xn--exmple-cua.de", ("https://xn--exmple-cua.de",)),
    ],
)
def test_origins_are_accepted(value, expected):
    assert frame_ancestors(value) == expected


def run_with_environment(value: str) -> subprocess.CompletedProcess:
    code = (
        "from app import create_app\n"
        "r = create_app().test_client().get('/healthz')\n"
        "print(r.headers['Content-Security-Policy'].split('; ')[-1])\n"
        "print(r.headers.get('X-Frame-Options'))\n"
    )
    env = {**os.environ, "FRAME_ANCESTORS": value}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)


def test_the_environment_variable_is_read_by_config():
    done = run_with_environment("https://moodle.example.edu")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["frame-ancestors https://moodle.example.edu", "None"]


def test_a_hostile_environment_value_stops_the_app():
    done = run_with_environment("https://a.example; script-src 'unsafe-inline'")
    assert done.returncode != 0
    assert "FRAME_ANCESTORS must list origins" in done.stderr


# ---- a refused frame says why (issue 14, item 3) ----------------------------------------

@pytest.mark.parametrize("dest", ["iframe", "frame"])
@pytest.mark.parametrize("path", ["/?embed=1", "/", "/api/presets"])
def test_a_refused_frame_gets_a_notice_naming_the_setting(client, dest, path):
    response = client.get(path, headers={"Sec-Fetch-Dest": dest})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "FRAME_ANCESTORS" in body
    # Any site may frame the notice: it carries no script and none of the app.
    assert csp(response)["frame-ancestors"] == "*"
    assert csp(response)["default-src"] == "'none'"
    assert "X-Frame-Options" not in response.headers
    assert "<script" not in body and "Plotly" not in body and '"presets"' not in body
    assert response.headers["Cache-Control"] == "no-store"
    assert "Sec-Fetch-Dest" in response.headers["Vary"]


def test_the_notice_links_to_the_page_escaped(client):
    body = client.get('/?embed=1&x="><script>', headers={"Sec-Fetch-Dest": "iframe"}).get_data(as_text=True)
    assert "<script>" not in body and "&#34;&gt;&lt;script&gt;" in body


@pytest.mark.parametrize("dest", [None, "document", "empty"])
def test_other_loads_get_the_page_and_still_refuse_framing(client, dest):
    response = client.get("/?embed=1", headers={"Sec-Fetch-Dest": dest} if dest else {})
    assert 'id="boot"' in response.get_data(as_text=True)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert csp(response)["frame-ancestors"] == "'none'"


def test_an_allowed_frame_gets_the_page():
    app = create_app({**vars_of(TestConfig), "FRAME_ANCESTORS": "https://moodle.example.edu"})
    response = app.test_client().get("/?embed=1", headers={"Sec-Fetch-Dest": "iframe"})
    assert 'id="boot"' in response.get_data(as_text=True)
    assert csp(response)["frame-ancestors"] == "https://moodle.example.edu"
