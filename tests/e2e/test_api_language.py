"""The server's errors on the page, in the page's language: the page sends it as Accept-Language.

Each language has a browser context of its own (never the menu in the shared
context: its cookie would turn every later test into that language).
"""
from __future__ import annotations

import pytest

from pooling.i18n import messages

from .test_access import violations
from .test_page import by_id, wait_settled

# The classic example has four words: pool_size 9 leaves no window with padding "valid".
TOO_SHORT = {"count": 4, "pool_size": 9}
LOCALES = {"es": "es-ES", "zh": "zh-CN", "en-XA": "en-US"}


def open_in(browser, base_url, lang, viewport, **options):
    context = browser.new_context(locale=LOCALES[lang], base_url=base_url, viewport=viewport, **options)
    page = context.new_page()
    page.goto(f"/?lang={lang}")
    wait_settled(page)
    return context, page


def show_too_short(page):
    by_id(page, "pool-size").fill("9")
    error = by_id(page, "error")
    error.wait_for(state="visible")
    return error


@pytest.mark.parametrize("viewport", [{"width": 1024, "height": 768}, {"width": 390, "height": 844}])
@pytest.mark.parametrize("lang", ["es", "zh", "en-XA"])
def test_an_api_error_shows_in_the_pages_language_and_fits(browser, base_url, lang, viewport):
    context, page = open_in(browser, base_url, lang, viewport)
    try:
        error = show_too_short(page)
        assert error.text_content().strip() == messages(lang).t("errors.too_short", **TOO_SHORT)
        # Its text is not clipped in its box (where the box sits is the layout's: tests/e2e/test_layout_fit.py).
        fits = error.evaluate("el => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight")
        assert fits, f"the error is clipped in {lang} at {viewport}"
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["es", "zh"])
def test_the_error_state_has_no_serious_violation_in_each_language(browser, base_url, lang):
    context, page = open_in(browser, base_url, lang, {"width": 1366, "height": 768}, bypass_csp=True)
    try:
        show_too_short(page)
        assert violations(page) == []
    finally:
        context.close()
