"""Lesson links: the whole view in the query string, in real Chromium."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from .test_page import XSS, by_id, caption, renders, wait_settled


def open_link(page, query: str):
    page.goto(f"/?{query}" if query else "/")
    wait_settled(page)


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query, keep_blank_values=True)


def test_a_link_with_a_step_and_hidden_controls_round_trips(page, context):
    open_link(page, "")
    before = renders(page)
    by_id(page, "sentence").fill("we are what we repeatedly do")
    wait_settled(page, before)
    before = renders(page)
    by_id(page, "pool-size").fill("3")
    wait_settled(page, before)
    before = renders(page)
    by_id(page, "padding").select_option("same")
    wait_settled(page, before)
    by_id(page, "next").click()
    by_id(page, "next").click()
    expected = caption(page)
    assert expected.startswith("Window 3 of 6")
    # Moving the window reaches the address bar after a short pause (not on every frame of play).
    page.wait_for_function("() => new URLSearchParams(location.search).get('step') === '3'")
    link = page.url + "&hide=padding,strides"

    other = context.new_page()
    other.goto(link)
    wait_settled(other)
    assert caption(other) == expected
    assert by_id(other, "sentence").input_value() == "we are what we repeatedly do"
    assert by_id(other, "padding").is_hidden() and by_id(other, "strides").is_hidden()
    assert by_id(other, "pool-size").is_visible() and by_id(other, "pool-size").input_value() == "3"
    assert by_id(other, "notice").is_hidden()
    other.close()


def test_a_link_opens_presentation_mode_on_the_global_view(page):
    open_link(page, "preset=ties&present=1&view=global")
    assert by_id(page, "present").get_attribute("aria-pressed") == "true"
    assert by_id(page, "global-plot").is_visible() and by_id(page, "sliding-plot").is_hidden()
    page.keyboard.press("Escape")
    assert "present" not in query(page)


def test_back_and_forward_walk_through_edits(page):
    open_link(page, "")
    for layer in ("average", "max"):
        before = renders(page)
        by_id(page, "layer").select_option(layer)
        wait_settled(page, before)
    before = renders(page)
    by_id(page, "pool-size").fill("3")
    wait_settled(page, before)
    # Steps replace the entry instead of adding one.
    by_id(page, "next").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('step') === '2'")

    before = renders(page)
    page.go_back()
    wait_settled(page, before)
    assert by_id(page, "pool-size").input_value() == "2"
    assert by_id(page, "layer").input_value() == "max"
    before = renders(page)
    page.go_back()
    wait_settled(page, before)
    assert by_id(page, "layer").input_value() == "average"
    assert caption(page).startswith("Window 1 of 3") and "mean" in caption(page)
    before = renders(page)
    page.go_forward()
    wait_settled(page, before)
    assert by_id(page, "layer").input_value() == "max"


def test_bad_and_unknown_parameters_fall_back_with_a_notice(page):
    open_link(page, "pool_size=0&layer=median&colour=red&strides=2")
    notice = by_id(page, "notice")
    assert notice.is_visible()
    text = notice.text_content()
    assert "pool_size=0" in text and "layer=median" in text and '"colour"' in text
    # The good parameter is used, the bad ones are defaults: the page is drawn.
    assert by_id(page, "sliding-title").text_content() == 'MaxPooling1D(pool_size=2, strides=2, padding="valid")'


@pytest.mark.api_errors
@pytest.mark.parametrize("markup", XSS)
def test_markup_in_a_link_shows_as_text(page, markup):
    from urllib.parse import quote

    page.goto(f"/?sentence={quote(markup)}&hide={quote(markup)}&{quote(markup)}=1")
    page.wait_for_function(
        "() => !document.body.dataset.busy && (Number(document.body.dataset.renders) >= 1"
        " || !document.querySelector('[data-testid=error]').hidden)"
    )
    assert by_id(page, "sentence").input_value() == markup
    assert markup in by_id(page, "notice").text_content()
    injected = page.evaluate(
        """() => document.querySelectorAll(
            'img, iframe, object, embed, svg[onload], [onerror], [onload], script:not([src]):not([type="application/json"])'
        ).length"""
    )
    assert injected == 0


def test_links_stay_short_for_typical_sentences(page):
    open_link(page, "")
    before = renders(page)
    by_id(page, "sentence").fill("the cat sat on the mat and looked at the dog")
    wait_settled(page, before)
    assert len(page.url) < 120
    assert set(query(page)) == {"sentence"}


def test_share_copies_the_link(page, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_link(page, "preset=negatives&step=2")
    by_id(page, "share").click()
    page.wait_for_function("() => document.querySelector('[data-testid=share-status]').textContent !== ''")
    assert by_id(page, "share-status").text_content() == "Link copied."
    assert page.evaluate("() => navigator.clipboard.readText()") == page.url


def test_embed_shows_the_views_alone(page):
    open_link(page, "embed=1&preset=classic")
    assert by_id(page, "sentence").is_hidden()
    assert by_id(page, "sliding-plot").is_visible() and by_id(page, "play").is_visible()


# ---- your own numbers ---------------------------------------------------------------

def cell_centre(page, test_id, row, feature):
    return page.evaluate(
        """([id, row, f]) => { const gd = document.querySelector(`[data-testid="${id}"]`);
        const fl = gd._fullLayout; const r = gd.getBoundingClientRect();
        return [r.left + fl.xaxis._offset + fl.xaxis.l2p(f), r.top + fl.yaxis._offset + fl.yaxis.l2p(row)]; }""",
        [test_id, row, feature],
    )


def test_an_edited_cell_changes_both_outputs_and_travels_in_the_link(page, base_url, context):
    open_link(page, "")
    x, y = cell_centre(page, "sliding-plot", 1, 0)  # 'boy', f0 = 0.8
    page.mouse.click(x, y)
    by_id(page, "cell-value").wait_for(state="visible")
    assert by_id(page, "cell-value").input_value() == "0.8"
    before = renders(page)
    by_id(page, "cell-value").fill("0.95")
    page.keyboard.press("Enter")
    wait_settled(page, before)
    sliding = page.evaluate("() => document.querySelector('[data-testid=sliding-plot]').data[2].z[0]")
    glob = page.evaluate("() => document.querySelector('[data-testid=global-plot]').data[1].z[0]")
    assert sliding[0] == 0.95 and glob[0] == 0.95
    assert by_id(page, "features").is_disabled()
    # The link carries the numbers and their words.
    other = context.new_page()
    other.goto(page.url)
    wait_settled(other)
    assert other.evaluate("() => document.querySelector('[data-testid=global-plot]').data[1].z[0][0]") == 0.95
    assert by_id(other, "sentence").input_value() == "the boy will live"
    other.close()


@pytest.mark.parametrize(
    ("pasted", "problem"),
    [
        ("a, 1, 2\nb, x, 3", 'Row 2, column 2: "x" is not a number.'),
        ("1\t2\n3", "Row 2 has 1 number but row 1 has 2; every row needs the same number of features."),
        ("[[1, 2], [3]]", "Row 2 has 1 number but row 1 has 2; every row needs the same number of features."),
    ],
)
def test_a_bad_paste_names_the_cell_and_keeps_the_last_good_matrix(page, pasted, problem):
    open_link(page, "")
    by_id(page, "edit-matrix").click()
    by_id(page, "matrix-text").fill(pasted)
    by_id(page, "matrix-apply").click()
    assert by_id(page, "matrix-error").text_content() == problem
    assert page.evaluate("() => document.querySelector('[data-testid=sliding-plot]').data[0].z[0]") == [0.7, -0.2, 0.1]


@pytest.mark.parametrize(
    "pasted",
    ["cat\t0.5\t-1\ndog\t0.25\t2\nfox\t-3\t1", "cat, 0.5, -1\ndog, 0.25, 2\nfox, -3, 1", '[["x"]]'],
    ids=["tsv", "csv", "json"],
)
def test_a_pasted_matrix_redraws_both_views(page, base_url, pasted):
    open_link(page, "")
    by_id(page, "edit-matrix").click()
    if pasted.startswith("[["):
        pasted = "[[0.5, -1], [0.25, 2], [-3, 1], [1, 1]]"  # JSON rows keep the sentence's four words
    by_id(page, "matrix-text").fill(pasted)
    before = renders(page)
    by_id(page, "matrix-apply").click()
    wait_settled(page, before)
    z = page.evaluate("() => document.querySelector('[data-testid=global-plot]').data[1].z[0]")
    rows = page.evaluate("() => document.querySelector('[data-testid=sliding-plot]').data[0].z")
    assert z == [max(r[0] for r in rows), max(r[1] for r in rows)]
    assert rows[0] == [0.5, -1]


def test_add_and_remove_a_word_and_reset_to_toy_vectors(page, base_url):
    open_link(page, "sentence=one+two+three")
    by_id(page, "edit-matrix").click()
    by_id(page, "matrix-add").click()
    assert by_id(page, "matrix-text").input_value().splitlines()[-1] == "word4, 0, 0, 0, 0"
    before = renders(page)
    by_id(page, "matrix-apply").click()
    wait_settled(page, before)
    assert caption(page).startswith("Window 1 of 3")
    by_id(page, "edit-matrix").click()
    by_id(page, "matrix-remove").click()
    by_id(page, "matrix-remove").click()
    before = renders(page)
    by_id(page, "matrix-apply").click()
    wait_settled(page, before)
    assert caption(page).startswith("Window 1 of 1")
    by_id(page, "edit-matrix").click()
    before = renders(page)
    by_id(page, "matrix-reset").click()
    wait_settled(page, before)
    from .test_page import api as trace_api
    expected = trace_api(base_url, {"sentence": "one two", "features": 4, "seed": 0})
    assert page.evaluate("() => document.querySelector('[data-testid=sliding-plot]').data[0].z") == expected["x"]
    assert by_id(page, "features").is_enabled()
