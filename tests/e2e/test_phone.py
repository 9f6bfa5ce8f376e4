"""A phone (390x844): the numbers behind a picture open in the flow and close again;
the section 5 model tables fit their box with the totals in reach."""
from __future__ import annotations

import pytest

from .test_page import by_id, wait_settled

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def box(locator):
    return locator.evaluate(
        "el => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,"
        " scrollWidth: el.scrollWidth, clientWidth: el.clientWidth}; }"
    )


def on_top(page, locator) -> bool:
    """Whether a tap at the middle of `locator` reaches it (nothing covers it)."""
    return locator.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);"
        " return el === hit || el.contains(hit); }"
    )


@pytest.mark.parametrize("panel", ["sliding", "global"])
def test_the_numbers_open_under_their_button_and_close(phone, panel):
    phone.goto("/?sentence=the+boy+will+live+happily&features=8")
    wait_settled(phone)
    button = by_id(phone, f"{panel}-numbers-button")
    region = by_id(phone, f"{panel}-numbers")
    button.scroll_into_view_if_needed()
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    shown = box(region)
    assert shown["left"] >= 0 and shown["right"] <= PHONE["width"], "the box stays on the screen"
    assert shown["top"] >= box(button)["bottom"] - 1, "the table opens under its button, not over it"
    if shown["scrollWidth"] > shown["clientWidth"]:
        # Wider than the phone: the values scroll inside the box, and the box says so.
        assert by_id(phone, f"{panel}-numbers-hint").is_visible()
        assert "Scroll" in by_id(phone, f"{panel}-numbers-hint").text_content()
    button.scroll_into_view_if_needed()
    assert on_top(phone, button), "nothing covers the Hide button"
    button.click()
    assert button.get_attribute("aria-expanded") == "false" and button.text_content() == "Show the numbers"
    assert region.evaluate("el => el.classList.contains('visually-hidden')")


def test_the_window_table_shows_its_values_on_a_phone(phone):
    phone.goto("/?sentence=the+boy+will+live+happily&features=8")
    wait_settled(phone)
    by_id(phone, "sliding-numbers-button").click()
    region = by_id(phone, "sliding-numbers")
    right = box(region)["right"]
    # The first feature's values are inside the box, not pushed off to the right.
    cells = region.locator("tbody tr:first-child td").first
    assert box(cells)["right"] <= right
    assert cells.text_content().strip() != ""


def test_the_model_tables_fit_a_phone_with_the_totals_in_reach(phone):
    phone.goto("/")
    wait_settled(phone)
    phone.locator("#model").scroll_into_view_if_needed()
    phone.wait_for_function("() => document.querySelectorAll('#model table.summary-table').length === 2")
    for table in phone.locator("#model table.summary-table").all():
        holder = box(table.locator(".."))
        assert holder["scrollWidth"] <= holder["clientWidth"], "the table fits its box"
        assert holder["right"] <= PHONE["width"]
        for name in ("Param #", "Total params"):
            cell = table.get_by_text(name, exact=True)
            assert box(cell)["right"] <= holder["right"]
        total = table.locator("tfoot td").first
        assert box(total)["right"] <= holder["right"] and total.text_content().strip() != ""
