"""Keyboard and screen-reader access, and an axe-core audit of each state a class sees."""
from __future__ import annotations

import pytest

from .test_page import by_id, caption, renders, wait_settled

SERIOUS = {"serious", "critical"}


@pytest.fixture
def audited(browser, base_url):
    """A page in a context that lets axe-core's script in (the page's CSP rightly refuses it)."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 768}, base_url=base_url)
    page = context.new_page()
    yield page
    context.close()


def violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def open_audited(page, query=""):
    page.goto(f"/{query}")
    wait_settled(page)


def test_the_default_view_has_no_serious_violation(audited):
    open_audited(audited)
    assert violations(audited) == []


def test_an_error_state_has_no_serious_violation(audited):
    open_audited(audited)
    by_id(audited, "sentence").fill("")
    by_id(audited, "error").wait_for(state="visible")
    assert violations(audited) == []


def test_presentation_mode_has_no_serious_violation(audited):
    open_audited(audited, "?present=1")
    assert violations(audited) == []


def test_the_open_worksheet_has_no_serious_violation(audited):
    open_audited(audited)
    by_id(audited, "files").click()
    by_id(audited, "worksheet").click()
    by_id(audited, "worksheet-sheet").wait_for(state="visible")
    assert violations(audited) == []


def test_the_numbers_behind_each_picture_are_a_table(page):
    page.goto("/")
    wait_settled(page)
    region = by_id(page, "sliding-numbers")
    # Hidden from sight, present for a screen reader, described by the plot.
    assert by_id(page, "sliding-plot").get_attribute("aria-describedby") == "sliding-numbers"
    text = region.text_content()
    assert "Window 1 of 3" in text and "the (word 1)" in text and "boy (word 2)" in text
    assert "max 0.8 from 'boy' (word 2)" in text
    by_id(page, "sliding-numbers-button").click()
    assert region.is_visible()
    assert by_id(page, "sliding-numbers-button").get_attribute("aria-expanded") == "true"
    by_id(page, "next").click()
    assert "Window 2 of 3" in region.text_content()
    glob = by_id(page, "global-numbers").text_content()
    assert "from 'boy' (word 2)" in glob and "from 'will' (word 3)" in glob and "from 'live' (word 4)" in glob


def test_every_control_is_reached_by_keyboard_with_visible_focus(page):
    page.goto("/")
    wait_settled(page)
    seen = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                return {id: e.dataset.testid || e.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"""
        )
        if info["id"] in ("play", "next", "step", "sentence", "pool-size", "present", "share", "files", "edit-matrix"):
            assert info["outline"] != "none" and info["width"] >= 2, f"no visible focus on {info['id']}"
        seen.add(info["id"])
    assert {"sentence", "pool-size", "play", "step", "present", "share", "files"} <= seen


def test_home_end_and_arrows_move_the_caption(page):
    page.goto("/?sentence=one+two+three+four+five+six")
    wait_settled(page)
    by_id(page, "play").focus()
    page.keyboard.press("End")
    assert caption(page).startswith("Window 5 of 5")
    page.keyboard.press("ArrowLeft")
    assert caption(page).startswith("Window 4 of 5")
    page.keyboard.press("Home")
    assert caption(page).startswith("Window 1 of 5")
