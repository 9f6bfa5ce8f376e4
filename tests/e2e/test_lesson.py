"""Lesson links: the whole view in the query string, in real Chromium."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
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
    # The global view is on screen: alone, with the swap button, or beside the
    # sliding view when both fit (issue 14), with no swap button.
    assert by_id(page, "global-plot").is_visible()
    assert by_id(page, "sliding-plot").is_hidden() or by_id(page, "present-swap").is_hidden()
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


# ---- history and the link on screen ---------------------------------------------------

@pytest.mark.api_errors  # "d" alone is too short for pool_size=2
def test_typing_a_sentence_is_one_history_entry(page):
    open_link(page, "")
    entries = page.evaluate("() => history.length")
    box = by_id(page, "sentence")
    box.select_text()
    box.press_sequentially("dogs bark at night", delay=20)
    # Once the pause after typing has settled (the page says so), count the entries.
    page.wait_for_function(
        "() => !document.body.dataset.typing && !document.body.dataset.busy"
        " && new URLSearchParams(location.search).get('sentence') === 'dogs bark at night'"
    )
    assert page.evaluate("() => history.length") == entries + 1
    before = renders(page)
    page.go_back()
    wait_settled(page, before)
    assert by_id(page, "sentence").input_value() == "the boy will live"


def test_share_right_after_a_step_copies_that_step(page, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_link(page, "sentence=one+two+three+four+five+six")
    by_id(page, "next").click()
    by_id(page, "next").click()
    by_id(page, "share").click()
    page.wait_for_function("() => document.querySelector('[data-testid=share-status]').textContent !== ''")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert parse_qs(urlsplit(copied).query)["step"] == ["3"]
    assert copied == page.url
    # The copied link opens on the window that was on screen.
    shown = caption(page)
    assert shown.startswith("Window 3 of 5")
    other = context.new_page()
    other.goto(copied)
    wait_settled(other)
    assert caption(other) == shown
    other.close()


def test_a_single_step_reaches_the_address_at_once(page):
    open_link(page, "sentence=one+two+three+four")
    by_id(page, "next").click()
    # Read in the same task as the click's handlers: no waiting for a timer.
    assert page.evaluate("() => new URLSearchParams(location.search).get('step')") == "2"


def edit_numbers(page, change=None):
    """Open Edit numbers, apply its text (changed by `change`), and wait for the redraw."""
    by_id(page, "edit-matrix").click()
    text = by_id(page, "matrix-text").input_value()
    if change:
        by_id(page, "matrix-text").fill(change(text))
    before = renders(page)
    by_id(page, "matrix-apply").click()
    assert by_id(page, "matrix-error").text_content() == ""
    wait_settled(page, before)
    assert by_id(page, "matrix-dialog").is_hidden()
    assert by_id(page, "error").is_hidden()


def shown_matrix(page):
    return page.evaluate(
        """() => { const gd = document.querySelector('[data-testid=sliding-plot]');
                   return {words: gd.layout.yaxis.ticktext, x: gd.data[0].z}; }"""
    )


def test_edit_numbers_round_trips_a_sentence_with_numbers_for_words(page):
    open_link(page, "sentence=we+won+3+games+in+2024")
    before = shown_matrix(page)
    assert before["words"] == ["we", "won", "3", "games", "in", "2024"]
    edit_numbers(page)
    assert shown_matrix(page) == before
    assert by_id(page, "sentence").input_value() == "we won 3 games in 2024"
    assert "embeddings" in query(page)


@pytest.mark.parametrize(("label", "word"), [("New York", "newˍyork"), ("e-mail", "eˍmail")])
def test_a_row_label_with_a_space_or_hyphen_is_one_word(page, label, word):
    open_link(page, "sentence=the+boy+will+live")
    before = shown_matrix(page)

    def relabel(text):
        lines = text.splitlines()
        lines[1] = label + lines[1][len("boy"):]
        return "\n".join(lines)

    edit_numbers(page, relabel)
    after = shown_matrix(page)
    assert after["words"] == ["the", word, "will", "live"]
    assert after["x"] == before["x"]


def test_a_new_sentence_opens_at_window_1_and_a_small_edit_keeps_the_window(page):
    words = " ".join(f"w{i}" for i in range(20))
    open_link(page, f"sentence={words.replace(' ', '+')}&step=15")
    assert caption(page).startswith("Window 15 of 19")
    # A small edit (one word more at the end) keeps the window.
    before = renders(page)
    by_id(page, "sentence").fill(words + " more")
    wait_settled(page, before)
    assert caption(page).startswith("Window 15 of 20")
    # A sentence replaced wholesale (as a paste does) opens at window 1.
    before = renders(page)
    by_id(page, "sentence").fill(" ".join(f"new{i}" for i in range(100)))
    wait_settled(page, before)
    assert caption(page).startswith("Window 1 of 99")
    by_id(page, "next").click()
    # A preset is new words too.
    before = renders(page)
    by_id(page, "preset").select_option("negatives")
    wait_settled(page, before)
    assert caption(page).startswith("Window 1 of ")


# ---- links that always open --------------------------------------------------------------

def test_a_link_for_100_by_8_own_numbers_reopens(page, context):
    rows = [[round((r * 8 + f) / 997 - 0.4, 6) for f in range(8)] for r in range(100)]
    pasted = "\n".join(", ".join([f"word{r}", *map(str, row)]) for r, row in enumerate(rows))
    open_link(page, "")
    edit_numbers(page, lambda _: pasted)
    page.evaluate("() => document.querySelector('[data-testid=next]').click()")
    by_id(page, "next").click()
    expected = caption(page)
    # Steps in a row reach the address at most every 300 ms, the last one always.
    page.wait_for_function("() => /[?&]step=3(&|$)/.test(location.search + '&' + location.hash.slice(2))")
    link = page.url
    assert len(link) > 4000  # the numbers are all there
    other = context.new_page()
    response = other.goto(link)
    assert response.status == 200
    wait_settled(other)
    # The editor shows the whole matrix the page draws from.
    by_id(other, "edit-matrix").click()
    lines = by_id(other, "matrix-text").input_value().splitlines()
    other.keyboard.press("Escape")
    assert [[float(v) for v in line.split(", ")[1:]] for line in lines] == rows
    assert caption(other) == expected
    assert by_id(other, "notice").is_hidden()
    other.close()


def test_a_link_for_a_long_cyrillic_sentence_reopens(page, context):
    words = "съешь же ещё этих мягких французских булок да выпей чаю".split()
    sentence = " ".join(words[i % len(words)] for i in range(200))[:825].strip()
    open_link(page, "")
    before = renders(page)
    by_id(page, "sentence").fill(sentence)
    wait_settled(page, before)
    expected = shown_matrix(page)
    other = context.new_page()
    response = other.goto(page.url)
    assert response.status == 200
    wait_settled(other)
    assert by_id(other, "sentence").input_value() == sentence
    assert shown_matrix(other) == expected
    other.close()


def test_an_old_query_link_still_opens(page):
    open_link(page, "sentence=one+two+three&embeddings=1,2;3,4;5,6&step=2")
    assert shown_matrix(page) == {"words": ["one", "two", "three"], "x": [[1, 2], [3, 4], [5, 6]]}
    assert caption(page).startswith("Window 2 of 2")
    assert by_id(page, "notice").is_hidden()


@pytest.mark.parametrize(
    ("cells", "shown"),
    [("0x10,1;2,3", '"0x10"'), (",1;2,3", '""'), ("1,2;3,Infinity", '"Infinity"'), ("1e400,2;3,4", '"1e400"')],
)
def test_embeddings_cells_must_be_decimal_numbers(page, cells, shown):
    open_link(page, f"sentence=a+b&embeddings={cells}")
    notice = by_id(page, "notice")
    assert notice.is_visible()
    assert "embeddings=" in notice.text_content() and shown in notice.text_content()
    assert "not a decimal number" in notice.text_content()
    # The default: the sentence with toy vectors.
    assert by_id(page, "features").is_enabled()
    assert shown_matrix(page)["words"] == ["a", "b"]


def test_a_malformed_fragment_is_ignored_with_a_notice(page):
    page.goto("/#%E0%A4%A")
    wait_settled(page)
    notice = by_id(page, "notice")
    assert notice.is_visible() and "after #" in notice.text_content()
    assert caption(page).startswith("Window 1 of 3")
    # The next link the page writes leaves it out.
    by_id(page, "next").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('step') === '2'")
    assert urlsplit(page.url).fragment == ""


def test_a_very_long_link_opens_and_share_says_so_and_offers_the_file(page, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    rows = [[round(((r * 31 + f * 7) % 1000) / 997 - 0.5, 6) for f in range(30)] for r in range(200)]
    pasted = "\n".join(", ".join([f"w{r}", *map(str, row)]) for r, row in enumerate(rows))
    open_link(page, "")
    edit_numbers(page, lambda _: pasted)
    by_id(page, "share").click()
    page.wait_for_function("() => document.querySelector('[data-testid=share-status]').textContent !== ''")
    status = by_id(page, "share-status").text_content()
    link = page.evaluate("() => navigator.clipboard.readText()")
    assert link == page.url and len(link) > 32000
    assert status.startswith("Link copied.") and f"{len(link):,} characters long" in status
    with page.expect_download() as download:
        by_id(page, "share-export").click()
    assert download.value.suggested_filename.endswith(".json")
    # Long as it is, it opens here with every number.
    other = context.new_page()
    other.goto(link)
    wait_settled(other)
    by_id(other, "edit-matrix").click()
    lines = by_id(other, "matrix-text").input_value().splitlines()
    assert [[float(v) for v in line.split(", ")[1:]] for line in lines] == rows
    other.close()


@pytest.mark.api_errors
def test_numbers_the_server_refuses_keep_the_dialog_open_with_its_reason(page, base_url):
    open_link(page, "sentence=one+two")
    long_word = "x" * 2000
    refusal = urllib.request.Request(
        f"{base_url}/api/trace",
        json.dumps({"sentence": f"{long_word} two", "embeddings": [[1, 2], [3, 4]]}).encode(),
        {"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(refusal)
    reason = json.load(refused.value)["error"]
    by_id(page, "edit-matrix").click()
    by_id(page, "matrix-text").fill(f"{long_word}, 1, 2\ntwo, 3, 4")
    by_id(page, "matrix-apply").click()
    page.wait_for_function("() => document.querySelector('[data-testid=matrix-error]').textContent !== ''")
    assert by_id(page, "matrix-dialog").is_visible()
    assert by_id(page, "matrix-error").text_content() == reason
