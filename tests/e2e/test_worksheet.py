"""The worksheet: what a teacher prints, on screen and as the browser prints it."""
from __future__ import annotations

import re

import pytest

from .frames import format_1_frames
from .test_page import api, by_id, wait_settled


def open_worksheet(page, query="preset=negatives"):
    page.goto(f"/?{query}")
    wait_settled(page)
    by_id(page, "files").click()
    by_id(page, "worksheet").click()
    sheet = by_id(page, "worksheet-sheet")
    sheet.wait_for(state="visible")
    return sheet


def tables(page, selector):
    return page.evaluate(
        """sel => [...document.querySelectorAll(sel)].map(t => ({
            caption: t.querySelector('caption').textContent,
            rows: [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent)),
            blanks: t.querySelectorAll('td.ws-blank').length,
        }))""",
        selector,
    )


def test_every_window_is_a_small_multiple_with_blank_outputs_and_a_key(page, base_url):
    open_worksheet(page)
    presets = {p["name"]: p for p in __import__("json").load(__import__("urllib.request").request.urlopen(f"{base_url}/api/presets"))}
    expected = api(base_url, {"preset": "negatives", **presets["negatives"]["settings"]})
    frames = format_1_frames(expected)
    sheet = tables(page, ".ws-page:not(.ws-answers) .ws-window table")
    key = tables(page, ".ws-answers .ws-window table")
    assert len(sheet) == len(key) == len(frames)
    for i, (blank, answer, frame) in enumerate(zip(sheet, key, frames)):
        assert blank["caption"] == answer["caption"] == f"Window {i + 1}"
        features = len(frame["output"])
        assert blank["blanks"] == features, "the output row is left blank"
        assert blank["rows"][-1][1:] == [""] * features
        assert answer["rows"][-1][1:] == [f"{v:.2f}" for v in frame["output"]]
        # The window's words (and padding) as its rows.
        words = [expected["tokens"][r] for r in frame["rows"]]
        assert [row[0] for row in blank["rows"][:-1] if row[0] != "pad"] == words
        assert sum(row[0] == "pad" for row in blank["rows"]) == len(frame["padded"])
    glob = tables(page, ".ws-answers .ws-global table")[0]
    assert glob["rows"][-1][1:] == [f"{v:.2f}" for v in expected["global"]["output"]]
    assert tables(page, ".ws-page:not(.ws-answers) .ws-global table")[0]["blanks"] == len(expected["global"]["output"])


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_printing_gives_the_sheet_and_the_key_on_its_own_page(page, paper):
    open_worksheet(page)
    by_id(page, "worksheet-back").click()
    assert by_id(page, "sliding-plot").is_visible()
    # Printing from the browser, with the tool on screen, prints the worksheet.
    page.emulate_media(media="print")
    assert by_id(page, "sliding-plot").is_hidden() and by_id(page, "play").is_hidden()
    assert page.locator(".ws-answers").is_visible()
    pdf = page.pdf(format=paper)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 2, f"{pages} pages: the sheet, then the answer key"
    top = page.evaluate("() => document.querySelector('.ws-answers').getBoundingClientRect().top")
    assert top > 0


def test_the_worksheet_follows_the_view(page):
    open_worksheet(page, "sentence=one+two+three+four+five+six&pool_size=3&strides=3")
    assert len(tables(page, ".ws-page:not(.ws-answers) .ws-window table")) == 2
    assert "MaxPooling1D(pool_size=3, strides=3" in page.locator(".ws-call").first.text_content()
    by_id(page, "worksheet-back").click()
    assert page.evaluate("() => document.activeElement.dataset.testid") == "worksheet"
