"""The view at the sizes a class has, measured as a person would see it.

Every check here is geometric or about what is printed: bounding boxes of
the player and caption inside the viewport, the current window's rows and
its output row on screen with their words and values printed, column
labels that do not overlap, no sideways scroll on a phone, an error that
covers no other control, focus that never falls to <body>.
"""
from __future__ import annotations

import pytest

from .frames import format_1_frames
from .test_page import api, by_id, caption, open_page, renders, wait_settled

DESKTOPS = [(1024, 768), (1280, 720), (1366, 768), (1440, 900), (1920, 1080)]
PHONES = [(360, 740), (375, 667), (390, 844), (430, 932)]
VOCABULARY = (
    "the quick brown fox jumps over a lazy dog while students watch pooling slide down "
    "their sentence one window at a time and every teacher explains each step"
).split()
PLAYER = ["play", "prev", "next", "step", "position", "caption"]

# What Plotly draws, in page pixels: rows of the window and of the output row.
GEOMETRY = """id => {
    const gd = document.querySelector(`[data-testid="${id}"]`);
    const fl = gd._fullLayout;
    const top = gd.getBoundingClientRect().top;
    const left = gd.getBoundingClientRect().left;
    const y = (axis, v) => top + fl[axis]._offset + fl[axis].l2p(v);
    const x = (axis, v) => left + fl[axis]._offset + fl[axis].l2p(v);
    const shape = name => gd.layout.shapes.find(s => s.name === name);
    const win = shape("window"), out = shape("output-row");
    const rowsShown = fl.yaxis.range.slice().sort((a, b) => a - b);
    return {
        window: win && {top: y("yaxis", win.y0), bottom: y("yaxis", win.y1), y0: win.y0, y1: win.y1},
        output: out && {top: y("yaxis2", out.y0), bottom: y("yaxis2", out.y1), row: Math.round((out.y0 + out.y1) / 2)},
        rowsShown,
        colPx: x("xaxis", 1) - x("xaxis", 0),
        ticks: Object.fromEntries(gd.layout.yaxis.tickvals.map((v, i) => [v, gd.layout.yaxis.ticktext[i]])),
        input: {y: gd.data[0].y, x: gd.data[0].x, text: gd.data[0].text, printed: gd.data[0].texttemplate !== "",
                font: gd.data[0].textfont.size},
        out: {y: gd.data[2].y, z: gd.data[2].z, text: gd.data[2].text, printed: gd.data[2].texttemplate !== ""},
        featureLabels: [...gd.querySelectorAll(".xtick text")].map(t => {
            const r = t.getBoundingClientRect();
            return {text: t.textContent, left: r.left, right: r.right, top: r.top};
        }),
    };
}"""


def sentence(words: int) -> str:
    return " ".join(VOCABULARY[i % len(VOCABULARY)] for i in range(words))


def inside(box, width, height, slack=0.5):
    return (
        box is not None
        and box["x"] >= -slack
        and box["y"] >= -slack
        and box["x"] + box["width"] <= width + slack
        and box["y"] + box["height"] <= height + slack
    )


def overlaps(a, b):
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def settle(page, before):
    wait_settled(page, before)
    page.wait_for_function("() => !document.body.dataset.busy")


def set_up(page, size, words=None, **settings):
    """Open the page at `size`, type `words` words and the settings, wait for the redraw."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_page(page)
    if words is not None:
        before = renders(page)
        by_id(page, "sentence").fill(sentence(words))
        settle(page, before)
    for test_id, value in settings.items():
        before = renders(page)
        control = by_id(page, test_id.replace("_", "-"))
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
        settle(page, before)


def go_to_step(page, step: int):
    """Move the slider to `step` (0-based) and wait for that step's drawing."""
    by_id(page, "step").fill(str(step))
    page.wait_for_function("s => document.body.dataset.step === String(s)", arg=step)


def assert_lesson_in_view(page, size):
    """The player, the caption, the window's rows and its output row: on screen, labelled, printed."""
    width, height = size
    for test_id in PLAYER:
        assert inside(by_id(page, test_id).bounding_box(), width, height), f"{test_id} is off screen at {size}"
    g = page.evaluate(GEOMETRY, "sliding-plot")
    shown_low, shown_high = g["rowsShown"]
    first, last = round(g["window"]["y0"] + 0.5), round(g["window"]["y1"] - 0.5)
    assert shown_low < first and last < shown_high, "the window's rows are outside the viewport"
    assert 0 <= g["window"]["top"] and g["window"]["bottom"] <= height, f"window at {g['window']}"
    assert 0 <= g["output"]["top"] and g["output"]["bottom"] <= height, f"output row at {g['output']}"
    # Every word of the window is labelled and its values printed.
    for row in range(first, last + 1):
        label = g["ticks"].get(str(row)) or g["ticks"].get(row)
        assert label, f"row {row} of the window has no label"
        if label == "pad":
            continue
        index = g["input"]["y"].index(row)
        assert g["input"]["printed"] and all(g["input"]["text"][index]), f"row {row} has no printed values"
    index = g["out"]["y"].index(g["output"]["row"])
    assert g["out"]["printed"] and all(v is not None for v in g["out"]["z"][index])
    assert all(g["out"]["text"][index])
    return g


# ---- item 1 and 2: the lesson always in view, at every length ----------------------

@pytest.mark.parametrize("size", DESKTOPS, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("words", [None, 30, 100, 256], ids=lambda w: f"{w or 4}-words")
def test_the_lesson_stays_on_screen(page, size, words):
    settings = {} if words is None else {"pool_size": "3", "strides": "2", "padding": "same"}
    set_up(page, size, words, **settings)
    last = int(by_id(page, "step").get_attribute("max"))
    for step in sorted({0, last // 2, last}):
        go_to_step(page, step)
        assert caption(page).startswith(f"Window {step + 1} of {last + 1}")
        assert_lesson_in_view(page, size)
    # The page itself does not scroll to reach the lesson.
    assert page.evaluate("() => window.scrollY") == 0


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_window_stays_on_screen_during_play(page, size):
    set_up(page, size, 100, pool_size="2", strides="1")
    by_id(page, "speed").select_option("fast")
    by_id(page, "step").fill("20")
    page.wait_for_function("() => document.body.dataset.step === '20'")
    by_id(page, "play").click()
    for step in (24, 28, 32):
        page.wait_for_function("s => Number(document.body.dataset.step) >= s", arg=step)
        assert_lesson_in_view(page, size)
    by_id(page, "play").click()


def test_the_overview_shows_the_whole_sentence_and_jumps(page):
    set_up(page, (1366, 768), 120, pool_size="2", strides="2")
    overview = by_id(page, "overview")
    assert overview.is_visible()
    viewport = page.evaluate(
        "() => document.querySelector('[data-testid=overview]').layout.shapes.find(s => s.name === 'viewport')"
    )
    assert viewport["y0"] < 0 and viewport["y1"] < 119, "the strip frames the rows on screen"
    # Its hover names each word by its number from 1, as the captions do (Plotly's row index is from 0).
    hovers = page.evaluate("() => document.querySelector('[data-testid=overview]').data[0].customdata.map((r) => r[0])")
    assert [h.rsplit(" ", 2)[-2:] for h in (hovers[0], hovers[119])] == [["(word", "1)"], ["(word", "120)"]]
    # A click near the bottom of the strip moves the window to the end of the sentence.
    box = overview.locator(".nsewdrag").first.bounding_box()
    overview.click(position={"x": box["x"] - overview.bounding_box()["x"] + box["width"] / 2,
                             "y": box["y"] - overview.bounding_box()["y"] + box["height"] * 0.95})
    page.wait_for_function("() => Number(document.body.dataset.step) > 40")
    step = int(page.evaluate("() => document.body.dataset.step"))
    assert caption(page).startswith(f"Window {step + 1} of 60")
    assert_lesson_in_view(page, (1366, 768))


def test_a_short_sentence_needs_no_overview(page):
    set_up(page, (1366, 768))
    assert by_id(page, "overview").is_hidden()


def test_the_global_view_marks_every_winner_at_any_length(page, base_url):
    set_up(page, (1366, 768), 256)
    expected = api(base_url, {"sentence": sentence(256), "features": 4, "seed": 0})
    figure = page.evaluate(
        """() => { const gd = document.querySelector('[data-testid=global-plot]');
        return {labels: gd.layout.yaxis.ticktext, tickvals: gd.layout.yaxis.tickvals,
                z: gd.data[0].z, text: gd.data[1].text[0], x: gd.data[0].x,
                winners: gd.layout.shapes.filter(s => s.name === 'winner').map(s => [s.x0, s.y0, s.x1, s.y1])}; }"""
    )
    winners = expected["global"]["winners"]
    shown = figure["x"]
    # Each winning word of the features on screen is a labelled row with its position.
    for f in shown:
        row = winners[f]
        assert f"{expected['tokens'][row]} ({row + 1})" in figure["labels"]
    # One outline pair per feature shown, none overlapping another feature's.
    outers = figure["winners"][::2]
    assert len(outers) == len(shown)
    for i, a in enumerate(outers):
        for b in outers[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
    # Under each value of the vector, the word that won it.
    for f, text in zip(shown, figure["text"]):
        assert expected["tokens"][winners[f]][:3] in text


# ---- item 3: wide embeddings --------------------------------------------------------------

@pytest.mark.parametrize("size", [(1024, 768), (1366, 768), (390, 844)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_64_features_are_a_band_of_readable_columns(page, size):
    set_up(page, size, 12, features="64")
    g = page.evaluate(GEOMETRY, "sliding-plot")
    # At least the legible minimum (colors.js CELL.colMin, 36 px: an 11 px value clears a winner's
    # frame, checked in test_layout_solver.py); the solver narrows to it before dropping a feature.
    assert g["colPx"] >= 35.5, "columns wide enough for a printed value"
    labels = sorted((t for t in g["featureLabels"] if t["top"] < g["window"]["top"]), key=lambda t: (t["top"], t["left"]))
    for a, b in zip(labels, labels[1:]):
        if abs(a["top"] - b["top"]) < 2:
            assert a["right"] <= b["left"], f"{a['text']} overlaps {b['text']}"
    band = by_id(page, "band-range").text_content()
    shown = g["input"]["x"]
    assert band == f"features f{shown[0]}–f{shown[-1]} of 64"
    assert len(shown) < 64
    # Moving along the band shows the next features in both views.
    before = renders(page)
    by_id(page, "band-next").click()
    wait_settled(page, before)
    moved = page.evaluate(GEOMETRY, "sliding-plot")["input"]["x"]
    assert moved[0] == shown[-1] + 1
    assert page.evaluate("() => document.querySelector('[data-testid=global-plot]').data[0].x") == moved
    assert by_id(page, "band-prev").is_enabled()


# ---- item 4: phones ---------------------------------------------------------------------

@pytest.mark.parametrize("size", PHONES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_phone_never_scrolls_sideways(page, size):
    set_up(page, size)
    width, height = size
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    for test_id in ("play", "prev", "next", "step"):
        assert inside(by_id(page, test_id).bounding_box(), width, height), f"{test_id} out of thumb's reach"
    for test_id in ("sliding-plot", "global-plot", "preset", "sentence"):
        box = by_id(page, test_id).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{test_id} sticks out"
    # Long and wide input does not push the page sideways either.
    before = renders(page)
    by_id(page, "sentence").fill(sentence(60))
    settle(page, before)
    before = renders(page)
    by_id(page, "features").fill("64")
    settle(page, before)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    by_id(page, "next").click()
    assert caption(page).startswith("Window 2 of 59")


# ---- item 5: presentation mode -----------------------------------------------------------

@pytest.mark.parametrize("size", [(1280, 720), (1024, 768)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_presentation_mode(page, size):
    set_up(page, size)
    before = renders(page)
    by_id(page, "present").click()
    wait_settled(page, before)
    assert by_id(page, "sentence").is_hidden()
    summary = by_id(page, "summary").text_content()
    assert 'MaxPooling1D(pool_size=2, strides=1, padding="valid")' in summary and "the boy will live" in summary
    g = assert_lesson_in_view(page, size)
    assert g["input"]["font"] >= 20, "values at least 20 px"
    assert g["input"]["x"] == [0, 1, 2], "the classic example's features all fit"
    if size == (1280, 720):
        # Both views fit side by side at 20 px (issue 14): no swap button.
        assert by_id(page, "global-plot").is_visible() and by_id(page, "present-swap").is_hidden()
    else:
        # The global view takes the screen when asked.
        before = renders(page)
        by_id(page, "present-swap").click()
        wait_settled(page, before)
        assert by_id(page, "global-plot").is_visible() and by_id(page, "sliding-plot").is_hidden()
    assert page.evaluate("() => document.querySelector('[data-testid=global-plot]').data[0].textfont.size") >= 20
    page.keyboard.press("Escape")
    assert by_id(page, "sentence").is_visible() and by_id(page, "sliding-plot").is_visible()
    assert by_id(page, "present").get_attribute("aria-pressed") == "false"


# ---- item 6: errors in their place ------------------------------------------------------------

CONTROLS = "input, select, button"


def assert_error_covers_nothing(page):
    error = by_id(page, "error")
    error.wait_for(state="visible")
    box = error.bounding_box()
    others = page.locator(CONTROLS)
    for i in range(others.count()):
        other = others.nth(i)
        if not other.is_visible():
            continue
        assert not overlaps(box, other.bounding_box()), f"the error covers {other.evaluate('e => e.outerHTML')[:80]}"
    # Nothing sits on top of the controls: the element at each control's centre is the control.
    for test_id in ("layer", "pool-size", "strides", "padding", "preset"):
        b = by_id(page, test_id).bounding_box()
        hit = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).dataset.testid", [b["x"] + b["width"] / 2, b["y"] + b["height"] / 2]
        )
        assert hit == test_id


@pytest.mark.api_errors
@pytest.mark.parametrize("size", [(1024, 768), (390, 844)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_an_error_sits_in_the_flow_and_covers_no_control(page, size):
    set_up(page, size)
    by_id(page, "sentence").fill("")
    assert_error_covers_nothing(page)
    assert "sentence" in by_id(page, "error").text_content()
    # The controls still work under an error.
    by_id(page, "layer").select_option("average")
    assert by_id(page, "layer").input_value() == "average"


@pytest.mark.parametrize(
    ("test_id", "typed", "message"),
    [
        ("strides", "1e", 'strides must be a whole number from 1 to 256, or empty for None; "1e" is not one.'),
        ("pool-size", "1e", 'pool_size must be a whole number from 1 to 256; "1e" is not one.'),
        ("pool-size", "2.5", 'pool_size must be a whole number from 1 to 256; "2.5" is not one.'),
        ("pool-size", "", "pool_size is empty; it must be a whole number from 1 to 256."),
        ("features", "", "features is empty; it must be a whole number from 1 to 64."),
        ("seed", "", "seed is empty; it must be a whole number from 0 to 2147483647."),
        ("features", "65", 'features must be a whole number from 1 to 64; "65" is out of range.'),
    ],
)
def test_a_number_field_says_what_is_wrong_with_it(page, test_id, typed, message):
    set_up(page, (1366, 768))
    if test_id in ("features", "seed"):
        before = renders(page)
        by_id(page, "sentence").fill("a custom sentence here")
        settle(page, before)
    by_id(page, test_id).fill(typed)
    error = by_id(page, "error")
    error.wait_for(state="visible")
    assert error.text_content() == message
    field = page.locator(".field", has=by_id(page, test_id))
    assert field.locator("[data-testid=error]").count() == 1
    assert by_id(page, test_id).get_attribute("aria-invalid") == "true"
    assert_error_covers_nothing(page)
    # The last good view stays, and is not what the field now says.
    assert "got null" not in error.text_content()


def test_an_empty_strides_still_means_none(page):
    set_up(page, (1366, 768))
    before = renders(page)
    by_id(page, "strides").fill("")
    settle(page, before)
    assert by_id(page, "error").is_hidden()
    assert "strides=None" in by_id(page, "sliding-title").text_content()


@pytest.mark.api_errors
def test_the_stale_view_under_an_error_stays_readable(page):
    from axe_playwright_python.sync_playwright import Axe

    set_up(page, (1366, 768))
    by_id(page, "sentence").fill("")
    by_id(page, "error").wait_for(state="visible")
    results = Axe().run(page, options={"runOnly": ["color-contrast"]})
    failing = [n["target"] for v in results.response["violations"] for n in v["nodes"]]
    assert failing == [], f"contrast fails on {failing}"


# ---- item 7: focus and hover ---------------------------------------------------------------------

def test_focus_moves_to_the_twin_when_a_button_is_disabled(page):
    set_up(page, (1366, 768))
    next_button = by_id(page, "next")
    next_button.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    assert caption(page).startswith("Window 3 of 3")
    assert next_button.is_disabled()
    assert page.evaluate("() => document.activeElement.dataset.testid") == "prev"
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    assert caption(page).startswith("Window 1 of 3")
    assert page.evaluate("() => document.activeElement.dataset.testid") == "next"


def hover_output_cell(page, row, feature):
    """Move the mouse over an output cell of the sliding view; return the tooltip's text or None."""
    x, y = page.evaluate(
        """([row, f]) => { const gd = document.querySelector('[data-testid=sliding-plot]');
        const fl = gd._fullLayout; const r = gd.getBoundingClientRect();
        return [r.left + fl.xaxis2._offset + fl.xaxis2.l2p(f), r.top + fl.yaxis2._offset + fl.yaxis2.l2p(row)]; }""",
        [row, feature],
    )
    page.mouse.move(2, 2)  # away first: a mouse already there sends no new hover
    page.mouse.move(x, y, steps=3)
    page.wait_for_timeout(150)
    tip = by_id(page, "output-tip")
    return tip.text_content() if tip.is_visible() else None


def test_unrevealed_output_rows_show_nothing_and_revealed_cells_name_their_source(page, base_url):
    set_up(page, (1366, 768))
    # Window 1 of 3: rows 2 and 3 are blank, and hovering them shows nothing.
    assert hover_output_cell(page, 1, 0) is None
    assert hover_output_cell(page, 2, 2) is None
    expected = api(base_url, {"preset": "classic", "strides": 1})
    winner = format_1_frames(expected)[0]["winners"][0]
    text = hover_output_cell(page, 0, 0)
    assert text is not None and f"'{expected['tokens'][winner]}'" in text
    before = renders(page)
    by_id(page, "layer").select_option("average")
    wait_settled(page, before)
    text = hover_output_cell(page, 0, 0)
    assert "mean" in text and "/ 2" in text
    # Once the window reaches a row, its hover names its source.
    by_id(page, "step").fill("2")
    page.wait_for_function("() => document.body.dataset.step === '2'")
    assert "mean" in hover_output_cell(page, 2, 2)


# ---- item 8: presets carry their settings ------------------------------------------------------

def test_a_preset_loads_what_it_teaches_and_disables_what_does_not_apply(page, base_url):
    set_up(page, (1366, 768))
    presets = {p["name"]: p for p in api_get(base_url, "/api/presets")}
    before = renders(page)
    by_id(page, "preset").select_option("negatives")
    wait_settled(page, before)
    settings = presets["negatives"]["settings"]
    assert by_id(page, "padding").input_value() == settings["padding"] == "same"
    assert by_id(page, "pool-size").input_value() == str(settings["pool_size"])
    assert by_id(page, "features").is_disabled() and by_id(page, "seed").is_disabled()
    assert by_id(page, "features").input_value() == str(presets["negatives"]["features"])
    # Typing a sentence of one's own turns the toy-vector controls back on.
    before = renders(page)
    by_id(page, "sentence").fill("my own words")
    wait_settled(page, before)
    assert by_id(page, "features").is_enabled() and by_id(page, "features").input_value() == "4"


def api_get(base_url, path):
    import json
    import urllib.request

    with urllib.request.urlopen(f"{base_url}{path}") as response:
        return json.load(response)


# ---- item 10: play speed and reduced motion ------------------------------------------------------

def test_reduced_motion_still_steps_and_plays(page):
    page.emulate_media(reduced_motion="reduce")
    set_up(page, (1366, 768))
    by_id(page, "next").click()
    assert caption(page).startswith("Window 2 of 3")
    by_id(page, "speed").select_option("fast")
    by_id(page, "play").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=play]').getAttribute('aria-pressed') === 'false'"
    )
    assert caption(page).startswith("Window 3 of 3")


def test_home_and_end_jump(page):
    set_up(page, (1366, 768), 20)
    page.locator("body").click(position={"x": 2, "y": 2})
    page.keyboard.press("End")
    assert caption(page).startswith("Window 19 of 19")
    page.keyboard.press("Home")
    assert caption(page).startswith("Window 1 of 19")
