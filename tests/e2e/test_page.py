"""The explainer page in real Chromium against the real gunicorn server.

These tests look at what a learner sees: the numbers in the heatmaps
(Plotly's own `gd.data`), the words in the caption, the error beside the
control, and that nothing a learner types ever runs as code.
"""
from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest

from .server import REPO

CLASSIC_X = [[0.7, -0.2, 0.1], [0.8, -0.3, 0.2], [0.2, -0.1, 0.4], [0.4, -0.4, 0.8]]
CLASSIC_OUT = [[0.8, -0.2, 0.2], [0.8, -0.1, 0.4], [0.4, -0.1, 0.8]]
XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</script>",
    "javascript:alert(1)",
    "{{7*7}}",
]
ARTIFACTS = REPO / "artifacts"


# ---- helpers -----------------------------------------------------------------

def by_id(page, test_id):
    return page.get_by_test_id(test_id)


def renders(page) -> int:
    return page.evaluate("() => Number(document.body.dataset.renders || 0)")


def wait_settled(page, after: int = 0) -> None:
    """Wait until the page has drawn more than `after` times and is not fetching."""
    page.wait_for_function(
        "n => Number(document.body.dataset.renders || 0) > n && !document.body.dataset.busy", arg=after
    )


def tool_requests(page, pool_size=2):
    """A list that collects the tool's own /api/trace requests from now on.

    The guided sections under the tool ask /api/trace for other pool sizes
    (pool_size = steps, for the equivalence); those are not the tool's.
    """
    calls = []

    def collect(request):
        if request.url.endswith("/api/trace") and (request.post_data_json or {}).get("pool_size") == pool_size:
            calls.append(request)

    page.on("request", collect)
    return calls


def open_page(page):
    page.goto("/")
    wait_settled(page)
    return page


def plot(page, test_id):
    """The traces and layout Plotly is drawing, from the graph div itself."""
    return page.evaluate(
        """id => {
            const gd = document.querySelector(`[data-testid="${id}"]`);
            return {
                data: gd.data.map(t => ({z: t.z, y: t.y, text: t.text, customdata: t.customdata})),
                shapes: gd.layout.shapes.map(s => ({...s})),
                yticks: gd.layout.yaxis.ticktext,
                svgTicks: [...gd.querySelectorAll(".ytick text")].map(t => t.textContent),
            };
        }""",
        test_id,
    )


def shapes_named(figure, name):
    return [s for s in figure["shapes"] if s.get("name") == name]


def unreached_rows(figure):
    """Output rows hidden under the blank, as (first, last) row numbers, or None."""
    blank = shapes_named(figure, "unreached")
    if not blank:
        return None
    (shape,) = blank
    return round(shape["y0"] + 0.5), round(shape["y1"] - 0.5)


def api(base_url, body):
    request = urllib.request.Request(
        f"{base_url}/api/trace", json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def edit(page, test_id, value):
    """Set a control's value as a learner would and wait for the redraw."""
    before = renders(page)
    by_id(page, test_id).fill(value)
    wait_settled(page, before)


def caption(page) -> str:
    return by_id(page, "caption").text_content()


# ---- the classic example --------------------------------------------------------

def test_opens_on_the_classic_example(page):
    open_page(page)
    assert by_id(page, "sentence").input_value() == "the boy will live"
    assert by_id(page, "preset").input_value() == "classic"
    assert by_id(page, "sliding-title").text_content() == 'MaxPooling1D(pool_size=2, strides=1, padding="valid")'
    assert by_id(page, "global-title").text_content() == "GlobalMaxPooling1D()"

    sliding = plot(page, "sliding-plot")
    assert sliding["data"][0]["z"] == CLASSIC_X
    assert sliding["yticks"] == ["the", "boy", "will", "live"]
    assert sliding["data"][0]["text"][0] == ["0.70", "-0.20", "0.10"]
    # Step 1 of 3: the output holds every row, but rows 2 and 3 are still blank
    # (covered, and their hover says nothing: tests/e2e/test_layout.py).
    assert sliding["data"][2]["z"] == CLASSIC_OUT
    assert unreached_rows(sliding) == (1, 2)
    (blank,) = shapes_named(sliding, "unreached-blank")
    assert blank["y0"] == 0.5 and blank["y1"] > 2.5 and blank["fillcolor"] == "#ffffff"
    assert caption(page).startswith("Window 1 of 3 covers 'the boy' (words 1 to 2): f0 max 0.8 from 'boy'")

    glob = plot(page, "global-plot")
    assert glob["data"][0]["z"] == CLASSIC_X
    assert glob["data"][1]["z"] == [[0.8, -0.1, 0.8]]
    hovers = glob["data"][1]["customdata"][0]
    assert [h.split(" from ")[1] for h in hovers] == ["'boy' (word 2).", "'will' (word 3).", "'live' (word 4)."]
    labels = glob["data"][1]["text"][0]
    assert [re.sub(r"<[^>]+>", " ", t).split() for t in labels] == [["0.80", "boy"], ["-0.10", "will"], ["0.80", "live"]]
    assert by_id(page, "global-summary").text_content() == (
        "[0.8, -0.1, 0.8] takes f0 from 'boy', f1 from 'will', "
        "f2 from 'live': it is not the vector of any single word."
    )


def test_shapes_strip_and_formula(page):
    open_page(page)
    shapes = by_id(page, "shapes").text_content()
    assert "(1, 4, 3) -> MaxPooling1D -> (1, 3, 3)" in shapes
    assert "(1, 4, 3) -> GlobalMaxPooling1D -> (1, 3)" in shapes
    assert "floor((steps - pool_size) / strides) + 1 = floor((4 - 2) / 1) + 1 = 3" in shapes


def test_play_runs_to_the_last_step(page):
    open_page(page)
    by_id(page, "play").click()
    assert by_id(page, "play").get_attribute("aria-pressed") == "true"
    page.wait_for_function(
        "() => document.querySelector('[data-testid=play]').getAttribute('aria-pressed') === 'false'",
    )
    assert caption(page).startswith("Window 3 of 3 covers 'will live'")
    assert by_id(page, "step").input_value() == "2"
    sliding = plot(page, "sliding-plot")
    assert sliding["data"][2]["z"] == CLASSIC_OUT
    assert unreached_rows(sliding) is None


def test_prev_and_next_move_the_window_without_fetching(page):
    open_page(page)
    draws = renders(page)
    calls = tool_requests(page)

    by_id(page, "next").click()
    assert caption(page) == (
        "Window 2 of 3 covers 'boy will' (words 2 to 3): f0 max 0.8 from 'boy', "
        "f1 max -0.1 from 'will', f2 max 0.4 from 'will'."
    )
    page.wait_for_function("() => document.body.dataset.step === '1'")
    sliding = plot(page, "sliding-plot")
    assert unreached_rows(sliding) == (2, 2)
    (window,) = shapes_named(sliding, "window")
    assert window["y0"] < 1 < 2 < window["y1"] < 3
    (row,) = shapes_named(sliding, "output-row")
    assert row["y0"] < 1 < row["y1"] < 2
    # Each feature's winner outlined (a dark frame and a white ring): boy, will, will.
    winners = {(round((s["x0"] + s["x1"]) / 2), round((s["y0"] + s["y1"]) / 2)) for s in shapes_named(sliding, "winner")}
    assert winners == {(0, 1), (1, 2), (2, 2)}

    by_id(page, "prev").click()
    assert caption(page).startswith("Window 1 of 3 covers 'the boy'")
    assert by_id(page, "prev").is_disabled()
    # Stepping redraws the sliding view from the trace it has: no request, no full redraw.
    assert calls == []
    assert renders(page) == draws


def test_keyboard_steps_and_plays(page):
    open_page(page)
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("ArrowRight")
    assert caption(page).startswith("Window 2 of 3")
    page.keyboard.press("ArrowLeft")
    assert caption(page).startswith("Window 1 of 3")
    page.keyboard.press(" ")
    assert by_id(page, "play").get_attribute("aria-pressed") == "true"
    page.keyboard.press(" ")
    assert by_id(page, "play").get_attribute("aria-pressed") == "false"
    # Arrows inside the sentence box move the cursor, not the window.
    by_id(page, "sentence").focus()
    page.keyboard.press("ArrowLeft")
    assert caption(page).startswith("Window 1 of 3")


def test_step_slider(page):
    open_page(page)
    by_id(page, "step").fill("2")
    assert caption(page).startswith("Window 3 of 3")


# ---- editing -----------------------------------------------------------------------

def test_editing_the_sentence_updates_both_plots(page, base_url):
    open_page(page)
    edit(page, "sentence", "a cat sat on the mat")
    expected = api(base_url, {"sentence": "a cat sat on the mat", "features": 4, "seed": 0,
                              "layer": "max", "pool_size": 2, "strides": 1, "padding": "valid"})
    assert by_id(page, "preset").input_value() == ""
    sliding = plot(page, "sliding-plot")
    assert sliding["yticks"] == ["a", "cat", "sat", "on", "the", "mat"]
    assert sliding["data"][0]["z"] == expected["x"]
    assert len(sliding["data"][2]["z"]) == 5
    glob = plot(page, "global-plot")
    assert glob["data"][0]["z"] == expected["x"]
    assert glob["data"][1]["z"] == [expected["global"]["output"]]
    assert "(1, 6, 4) -> MaxPooling1D -> (1, 5, 4)" in by_id(page, "shapes").text_content()
    assert caption(page).startswith("Window 1 of 5 covers 'a cat'")


def test_typing_is_debounced_and_the_last_sentence_wins(page):
    # The page's clock is held while typing, so the burst is one burst however
    # slowly a busy machine delivers the keys; then time runs again.
    page.clock.install()
    open_page(page)
    calls = tool_requests(page)
    box = by_id(page, "sentence")
    page.clock.pause_at(page.evaluate("() => Date.now()") + 1000)
    before = renders(page)
    box.fill("")
    box.press_sequentially("dogs bark at night")
    assert calls == [], "a request went out before the typing paused"
    page.clock.resume()
    wait_settled(page, before)
    assert plot(page, "sliding-plot")["yticks"] == ["dogs", "bark", "at", "night"]
    assert caption(page).startswith("Window 1 of 3 covers 'dogs bark'")
    # One pause, one request for the last sentence, drawn once.
    assert [call.post_data_json["sentence"] for call in calls] == ["dogs bark at night"]
    assert renders(page) == before + 1


def test_layer_and_preset_controls(page):
    open_page(page)
    before = renders(page)
    by_id(page, "layer").select_option("average")
    wait_settled(page, before)
    assert by_id(page, "sliding-title").text_content() == 'AveragePooling1D(pool_size=2, strides=1, padding="valid")'
    assert by_id(page, "global-title").text_content() == "GlobalAveragePooling1D()"
    assert caption(page).startswith("Window 1 of 3 covers 'the boy' (words 1 to 2): f0 mean 0.75 = (0.7 + 0.8) / 2")

    before = renders(page)
    by_id(page, "preset").select_option("single")
    wait_settled(page, before)
    assert by_id(page, "sentence").input_value() == "a truly great day"
    before = renders(page)
    by_id(page, "layer").select_option("max")
    wait_settled(page, before)
    assert by_id(page, "global-summary").text_content().startswith(
        "[0.9, 0.6, 0.8] is exactly the vector of 'great'"
    )


def test_strides_empty_means_none(page):
    open_page(page)
    edit(page, "strides", "")
    assert by_id(page, "sliding-title").text_content() == 'MaxPooling1D(pool_size=2, strides=None, padding="valid")'
    assert len(plot(page, "sliding-plot")["data"][2]["z"]) == 2


def test_same_padding_shows_padded_rows(page):
    open_page(page)
    edit(page, "pool-size", "3")
    before = renders(page)
    by_id(page, "padding").select_option("same")
    wait_settled(page, before)
    sliding = plot(page, "sliding-plot")
    assert sliding["yticks"] == ["pad", "the", "boy", "will", "live", "pad"]
    padding = sliding["data"][1]
    assert [row[0] is not None for row in padding["z"]] == [True, False, False, False, False, True]
    assert padding["text"][0] == ["pad", "pad", "pad"] and padding["text"][1] == ["", "", ""]
    assert len(sliding["data"][2]["z"]) == 4
    assert caption(page).startswith(
        "Window 1 of 4 covers 'the boy' (words 1 to 2) and 1 padded position, which never wins:"
    )
    assert "ceil(steps / strides) = ceil(4 / 1) = 4" in by_id(page, "shapes").text_content()


# ---- errors ----------------------------------------------------------------------

def assert_classic_view_kept(page):
    assert plot(page, "sliding-plot")["data"][0]["z"] == CLASSIC_X
    assert plot(page, "global-plot")["data"][1]["z"] == [[0.8, -0.1, 0.8]]
    assert by_id(page, "sliding-title").text_content().startswith("MaxPooling1D(pool_size=2,")


@pytest.mark.api_errors
def test_pool_size_too_large_shows_beside_the_control(page):
    open_page(page)
    by_id(page, "pool-size").fill("9")
    error = by_id(page, "error")
    error.wait_for(state="visible")
    assert "pool_size" in error.text_content()
    # Beside the control: in the same field, and named by it.
    assert page.locator(".field", has=by_id(page, "pool-size")).locator("[data-testid=error]").count() == 1
    assert by_id(page, "pool-size").get_attribute("aria-invalid") == "true"
    assert by_id(page, "pool-size").get_attribute("aria-describedby") == error.get_attribute("id")
    assert_classic_view_kept(page)

    edit(page, "pool-size", "2")
    assert error.is_hidden()
    assert by_id(page, "pool-size").get_attribute("aria-invalid") is None


@pytest.mark.api_errors
def test_empty_sentence_shows_beside_the_sentence(page):
    open_page(page)
    by_id(page, "sentence").fill("")
    error = by_id(page, "error")
    error.wait_for(state="visible")
    assert "sentence" in error.text_content()
    assert page.locator(".field", has=by_id(page, "sentence")).locator("[data-testid=error]").count() == 1
    assert by_id(page, "sentence").get_attribute("aria-invalid") == "true"
    assert_classic_view_kept(page)


@pytest.mark.api_errors
@pytest.mark.parametrize(("test_id", "value", "field"), [("strides", "0", "strides"), ("features", "65", "features")])
def test_out_of_range_settings_show_beside_their_control(page, test_id, value, field):
    open_page(page)
    # features and seed apply to toy vectors only: leave the preset first.
    edit(page, "sentence", "a sentence of my own")
    by_id(page, test_id).fill(value)
    error = by_id(page, "error")
    error.wait_for(state="visible")
    assert field in error.text_content()
    assert page.locator(".field", has=by_id(page, test_id)).locator("[data-testid=error]").count() == 1
    assert by_id(page, test_id).get_attribute("aria-invalid") == "true"


def test_unicode_words(page, base_url):
    sentence = "Café 👋🏽 שלום naïve"
    open_page(page)
    edit(page, "sentence", sentence)
    expected = api(base_url, {"sentence": sentence, "features": 4, "seed": 0})
    assert plot(page, "sliding-plot")["yticks"] == expected["tokens"]
    assert plot(page, "global-plot")["data"][0]["z"] == expected["x"]


def test_colour_key_follows_the_values(page):
    open_page(page)
    legend = by_id(page, "legend")
    assert legend.locator("[data-part=min]").text_content() == "-0.8"
    assert legend.locator("[data-part=max]").text_content() == "0.8"


# ---- safety ------------------------------------------------------------------------

@pytest.mark.api_errors  # "</script>" is one word, too short for pool_size=2
@pytest.mark.parametrize("sentence", XSS)
def test_hostile_sentences_show_literally(page, sentence):
    open_page(page)
    box = by_id(page, "sentence")
    box.fill(sentence)
    page.wait_for_function(
        "() => !document.body.dataset.busy && (Number(document.body.dataset.renders) > 1"
        " || !document.querySelector('[data-testid=error]').hidden)"
    )
    page.wait_for_timeout(200)
    assert box.input_value() == sentence
    injected = page.evaluate(
        """() => document.querySelectorAll(
            'img, iframe, object, embed, svg[onload], [onerror], [onload], script:not([src]):not([type="application/json"])'
        ).length"""
    )
    assert injected == 0


def test_hostile_words_render_as_text_everywhere(page):
    """Words reaching the page are shown as text even if the server let markup through."""
    words = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>', "a&amp;<b>b</b>"]

    def hostile(route):
        response = route.fetch()
        body = response.json()
        body["tokens"] = words
        route.fulfill(response=response, json=body)

    page.route("**/api/trace", hostile)
    open_page(page)
    text = caption(page)
    assert f"covers '{words[0]} {words[1]}'" in text
    summary = by_id(page, "global-summary").text_content()
    assert f"f0 from '{words[1]}'" in summary and f"f2 from '{words[3]}'" in summary
    ticks = plot(page, "sliding-plot")["svgTicks"]
    assert ticks[:4] == ["<script>alert…", "<img src=x on…", '"><svg onload…', "a&amp;<b>b</b>"]
    assert "'&lt;img src=x onerror=alert(1)&gt;'" in plot(page, "global-plot")["data"][1]["customdata"][0][0]
    assert page.evaluate("() => document.querySelectorAll('img, svg[onload], [onerror]').length") == 0


# ---- the picture -------------------------------------------------------------------

def test_screenshot_mid_animation(page):
    """Writes artifacts/page.png (git-ignored) to look at after a run."""
    open_page(page)
    by_id(page, "next").click()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page.png"), full_page=True)
    assert (ARTIFACTS / "page.png").stat().st_size > 10_000
