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


# ---- printed: nothing overlaps, nothing leaves the page ---------------------------------

MM = 96 / 25.4  # CSS pixels per millimetre
PAGE_MARGIN_MM = 12  # app.css: @page { margin: 12mm }
PAPER_WIDTH_MM = {"A4": 210, "Letter": 215.9}
LONG_WORD = "antidisestablishmentarianism"
SHEETS = {
    "6 words x 4 features": "sentence=one+two+three+four+five+six",
    "30 words x 8 features": "features=8&sentence=" + "+".join(f"word{i}" for i in range(30)),
    "a long word": f"features=8&sentence=the+{LONG_WORD}+of+supercalifragilisticexpialidocious+words",
}


def printed_boxes(page):
    """Every worksheet table and caption as printed: its box, and whether any cell's text overflows it."""
    return page.evaluate(
        """() => {
            const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
            const tables = [...document.querySelectorAll('.ws-page .ws-table')].map((t) => ({
                caption: t.caption.textContent, ...box(t),
                overflowing: [...t.querySelectorAll('th, td')].filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent),
            }));
            const text = [...document.querySelectorAll('.ws-page p, .ws-page figcaption, .ws-legend')].map((el) => ({
                text: el.textContent.slice(0, 40), ...box(el), overflowing: el.scrollWidth > el.clientWidth + 1,
            }));
            return {tables, text, width: document.documentElement.clientWidth};
        }"""
    )


def overlap(a, b) -> bool:
    return a["left"] < b["right"] - 0.5 and b["left"] < a["right"] - 0.5 and a["top"] < b["bottom"] - 0.5 and b["top"] < a["bottom"] - 0.5


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("sheet", list(SHEETS))
def test_printed_tables_neither_overlap_nor_leave_the_page(page, paper, sheet):
    open_worksheet(page, SHEETS[sheet])
    # The printable width of the paper, laid out in print media.
    width = round((PAPER_WIDTH_MM[paper] - 2 * PAGE_MARGIN_MM) * MM)
    page.set_viewport_size({"width": width, "height": 1000})
    page.emulate_media(media="print")
    boxes = printed_boxes(page)
    assert boxes["width"] == width
    tables = boxes["tables"]
    assert len(tables) >= 4
    for t in tables:
        assert 0 <= t["left"] and t["right"] <= width, f"{t['caption']} leaves the page: {t}"
        assert t["overflowing"] == [], f"{t['caption']}: text wider than its cell"
    for i, a in enumerate(tables):
        for b in tables[i + 1:]:
            assert not overlap(a, b), f"{a['caption']} overlaps {b['caption']}"
    for t in boxes["text"]:
        assert 0 <= t["left"] and t["right"] <= width and not t["overflowing"], t
    pdf = page.pdf(format=paper)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 2


def test_a_long_word_is_shortened_with_its_full_form_in_a_legend(page):
    open_worksheet(page, SHEETS["a long word"])
    labels = [row[0] for row in tables(page, ".ws-page:not(.ws-answers) .ws-global table")[0]["rows"][:-1]]
    assert labels[0] == "the" and labels[2] == "of"
    shortened = labels[1]
    assert shortened != LONG_WORD and LONG_WORD.startswith(shortened.rstrip("…")[:5])
    legend = page.locator(".ws-page:not(.ws-answers) .ws-legend")
    pairs = legend.evaluate("dl => [...dl.querySelectorAll('dd')].map(dd => [dd.previousElementSibling.textContent, dd.textContent])")
    assert [shortened, LONG_WORD] in pairs
    assert len(pairs) == 2  # and supercalifragilisticexpialidocious; "the", "of", "words" stay whole
