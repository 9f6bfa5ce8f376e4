"""Browser fixtures: the real gunicorn server and headless Chromium.

`page` fails its test when the browser logs a console error, a script
throws, a dialog opens (an `alert` from a pasted `<script>` would), or a
request goes anywhere but the local server.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from .server import CHROMIUM_ARGS, chromium_path, running_server

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - reported by the skip below
    sync_playwright = None

VIEWPORT = {"width": 1440, "height": 900}
# Chromium logs every 4xx response as a console error; tests that provoke an
# API error on purpose say so with @pytest.mark.api_errors.
_API_ERROR = re.compile(r"Failed to load resource: the server responded with a status of 4\d\d")


def pytest_configure(config):
    config.addinivalue_line("markers", "api_errors: the test expects 4xx answers from /api/trace")


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def base_url():
    """The server under test: E2E_BASE_URL if set, else gunicorn started here."""
    if os.environ.get("E2E_BASE_URL"):
        yield os.environ["E2E_BASE_URL"].rstrip("/")
        return
    with running_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if sync_playwright is None:
        _unavailable("the playwright package is not installed")
    executable = chromium_path()
    if executable is None:
        _unavailable("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class BrowserLog:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def context(browser, base_url):
    """One browser context for the run, so plotly.min.js comes from the HTTP cache after the first page."""
    context = browser.new_context(viewport=VIEWPORT, base_url=base_url)
    yield context
    context.close()


@pytest.fixture
def page(context, base_url, request):
    """A fresh page on the explainer, watched for errors and foreign requests."""
    allow_api_errors = request.node.get_closest_marker("api_errors") is not None
    page = context.new_page()
    log = BrowserLog()

    def on_console(message):
        if message.type != "error":
            return
        location = message.location.get("url", "")
        if allow_api_errors and _API_ERROR.search(message.text) and location.endswith("/api/trace"):
            return
        log.console_errors.append(f"{message.text} ({location})")

    def on_dialog(dialog):
        log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    page.on("dialog", on_dialog)
    page.on("request", lambda req: log.requests.append(req.url))
    page.browser_log = log
    yield page
    page.close()

    origin = urlsplit(base_url)[:2]
    foreign = [
        url for url in log.requests
        if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url)[:2] != origin
    ]
    assert not log.dialogs, f"a dialog opened: {log.dialogs}"
    assert not log.page_errors, f"uncaught errors in the page: {log.page_errors}"
    assert not log.console_errors, f"console errors: {log.console_errors}"
    assert not foreign, f"requests left the local server: {foreign}"
