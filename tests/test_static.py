"""The page's static files: versioned URLs, a year's cache, gzip, and revalidation elsewhere."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from webapp.assets import IMMUTABLE, static_version

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "static"
VERSIONED = re.compile(r"^/static/v/([0-9a-f]{12})/(.+)$")


def page_urls(client) -> list[str]:
    html = client.get("/").get_data(as_text=True)
    return re.findall(r'(?:src|href)="(/[^"]+)"', html)


def test_the_page_links_its_own_files_by_version(client):
    urls = [url for url in page_urls(client) if url.startswith("/static/")]
    assert {VERSIONED.match(url).group(2) for url in urls} >= {"css/app.css", "js/main.js"}
    assert len({VERSIONED.match(url).group(1) for url in urls}) == 1
    assert VERSIONED.match(urls[0]).group(1) == static_version(STATIC)


@pytest.mark.parametrize("name", ["js/main.js", "js/heatmap.js", "css/app.css", "favicon.svg"])
def test_versioned_files_are_cached_for_a_year(client, name):
    url = f"/static/v/{static_version(STATIC)}/{name}"
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    body = gzip.decompress(response.data) if response.headers.get("Content-Encoding") == "gzip" else response.data
    assert body == (STATIC / name).read_bytes()


def test_modules_are_javascript_and_gzipped(client):
    url = f"/static/v/{static_version(STATIC)}/js/main.js"
    packed = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    plain = client.get(url)
    assert packed.headers["Content-Type"] == plain.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert packed.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in packed.headers["Vary"] and "Accept-Encoding" in plain.headers["Vary"]
    assert plain.data == (STATIC / "js" / "main.js").read_bytes()
    assert packed.headers["ETag"] != plain.headers["ETag"]


def test_revalidation_gives_304(client):
    url = f"/static/v/{static_version(STATIC)}/css/app.css"
    etag = client.get(url, headers={"Accept-Encoding": "gzip"}).headers["ETag"]
    response = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert response.status_code == 304 and response.data == b""


@pytest.mark.parametrize("url", ["/static/js/main.js", "/static/v/0123456789ab/js/main.js"])
def test_unversioned_or_other_version_revalidates(client, url):
    # Another release's page (a rolling deploy) still gets a working file, but
    # no year-long promise about it.
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.data == (STATIC / "js" / "main.js").read_bytes()


@pytest.mark.parametrize("name", ["../app.py", "js/nothing.js", "js"])
def test_nothing_outside_or_missing(client, name):
    response = client.get(f"/static/v/{static_version(STATIC)}/{name}")
    assert response.status_code == 404
    assert response.get_json()["field"] == "path"


def test_module_imports_are_relative_so_they_inherit_the_version():
    # main.js at /static/v/<version>/js/main.js imports "./heatmap.js", which
    # the browser asks for at /static/v/<version>/js/heatmap.js.
    modules = list((STATIC / "js").rglob("*.js"))
    assert modules
    for module in modules:
        for specifier in re.findall(r'^\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"', module.read_text(), re.M):
            assert specifier.startswith(("./", "../")), (module.name, specifier)


def test_version_follows_every_byte_and_name(tmp_path):
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.js").write_text("export const a = 1;\n")
    first = static_version(tmp_path)
    assert static_version(tmp_path) == first
    (tmp_path / "js" / "a.js").write_text("export const a = 2;\n")
    second = static_version(tmp_path)
    (tmp_path / "js" / "a.js").rename(tmp_path / "js" / "b.js")
    assert len({first, second, static_version(tmp_path)}) == 3


def test_a_repeat_visit_needs_only_the_page_and_its_data(client):
    # Everything the page links is versioned and immutable, so a browser
    # with a warm cache asks for nothing but the HTML and /api/trace.
    for url in page_urls(client):
        assert client.get(url).headers["Cache-Control"] == IMMUTABLE, url


ODD_SPELLINGS = [
    "a/../vendor/plotly-cartesian.min.js",
    "./vendor/plotly-cartesian.min.js",
    "vendor/./plotly-cartesian.min.js",
    "vendor//plotly-cartesian.min.js",
    "/vendor/plotly-cartesian.min.js",
    "%2e/vendor/plotly-cartesian.min.js",
    "vendor/%2e%2e/vendor/plotly-cartesian.min.js",
    "js/../../app.py",
    "JS/main.js",
    "js/main.js/",
    "js/main.js%00",
]


@pytest.mark.parametrize("prefix", ["/static/", "/static/v/{version}/"])
@pytest.mark.parametrize("spelling", ODD_SPELLINGS)
def test_only_the_canonical_spelling_of_a_file_is_served(app, client, prefix, spelling):
    url = prefix.format(version=static_version(STATIC)) + spelling
    response = client.get(url)
    assert response.status_code == 404, url
    assert response.get_json()["field"] == "path"
    assert "Location" not in response.headers


def test_the_table_of_files_is_built_once_and_never_grows(app, client):
    files = app.extensions["static_files"]
    expected = {path.relative_to(STATIC).as_posix() for path in STATIC.rglob("*") if path.is_file()}
    assert set(files["table"]) == expected
    before = dict(files["table"])
    assert client.get("/static/vendor/plotly-cartesian.min.js").status_code == 200
    for number in range(50):
        client.get(f"/static/{'./' * number}vendor/plotly-cartesian.min.js")
        client.get(f"/static/a{number}/../js/main.js")
    assert client.get("/static/js/main.js").status_code == 200
    assert files["table"] == before
    # Only canonical names were ever read: the two asked for by their own name.
    assert set(files["loaded"]) == {"vendor/plotly-cartesian.min.js", "js/main.js"}


@pytest.mark.parametrize(
    ("method", "url"),
    [("GET", "/static//js/main.js"), ("POST", "/api//trace"), ("GET", "//api/presets"), ("POST", "/api/export//csv")],
)
def test_doubled_slashes_are_a_json_404_without_a_location(client, method, url):
    response = client.open(url, method=method, json={"preset": "classic"}, headers={"Host": "evil.example"})
    assert response.status_code == 404
    assert response.is_json and response.get_json()["field"] == "path"
    assert "Location" not in response.headers
