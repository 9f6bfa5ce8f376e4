"""Everything that fits is shown (issue 14): what the views draw, counted on screen.

Each check reads what Chromium drew: the feature labels of both views inside
the viewport, the boxes of Plotly's value texts, winner frames and labels
(SVG), and the scroll sizes of the texts under the plots. What fits is
worked out here from the cell limits in colors.js and the plot's size.
"""
from __future__ import annotations

import http.server
import os
import threading
from contextlib import contextmanager

import pytest

from .server import running_server
from .test_layout import overlaps, set_up
from .test_page import by_id, caption, renders, wait_settled

OWN = "the quick brown fox jumps over the lazy dog today"

# Per view: feature labels drawn and on screen, and the number of features in the data.
DRAWN = """() => {
    const out = {};
    for (const id of ["sliding-plot", "global-plot"]) {
        const gd = document.querySelector(`[data-testid="${id}"]`);
        const box = gd.getBoundingClientRect();
        if (!gd.data || box.width === 0) { out[id] = null; continue; }
        const onScreen = (r) => r.width > 0 && r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight;
        const labels = [...gd.querySelectorAll(".xtick text")].filter((t) => onScreen(t.getBoundingClientRect()));
        out[id] = { labels: [...new Set(labels.map((t) => t.textContent))], font: gd.data[0].textfont.size };
    }
    const band = document.querySelector("[data-testid=band]");
    out.band = band.hidden ? null : document.querySelector("[data-testid=band-range]").textContent;
    return out;
}"""

# Boxes, in page pixels, of what Plotly drew: value texts, winner frames (outer, ring) and annotations.
BOXES = """id => {
    const gd = document.querySelector(`[data-testid="${id}"]`);
    const rect = (e) => { const r = e.getBoundingClientRect(); return { x: r.left, y: r.top, width: r.width, height: r.height }; };
    const values = [...gd.querySelectorAll(".heatmaplayer text")].filter((t) => t.textContent.trim() !== "").map((t) => ({ text: t.textContent, ...rect(t) }));
    const shapes = [...gd.querySelectorAll(".shapelayer path")];
    const frames = [];
    gd.layout.shapes.forEach((s, i) => {
        if (s.name !== "winner") return;
        const path = shapes.find((p) => p.getAttribute("data-index") === String(i));
        if (path) frames.push({ ...rect(path), line: s.line.width });
    });
    const notes = [...gd.querySelectorAll(".annotation-text-g")].map((a) => ({ text: a.textContent, ...rect(a) }));
    const fl = gd._fullLayout;
    const top = gd.getBoundingClientRect();
    const firstOut = fl.xaxis2 ? top.left + fl.xaxis2._offset + fl.xaxis2.l2p(fl.xaxis2.range[0]) : null;
    return { values, frames, notes, firstOut };
}"""

TEXTS = """() => ["caption", "global-summary", "notice", "summary"].map((id) => {
    const e = document.querySelector(`[data-testid="${id}"]`);
    return { id, scroll: e.scrollHeight, client: e.clientHeight, shown: e.offsetParent !== null };
})"""


def features_of(page, features: int):
    before = renders(page)
    by_id(page, "features").fill(str(features))
    wait_settled(page, before)
    page.wait_for_function("() => !document.body.dataset.busy")


def own_sentence(words: int) -> str:
    vocabulary = OWN.split()
    return " ".join(vocabulary[i % len(vocabulary)] for i in range(words))


def assert_nothing_crosses_a_value(page, plot_id):
    boxes = page.evaluate(BOXES, plot_id)
    assert boxes["values"], "values are printed"
    # Winner frames come in pairs (dark frame, white ring): a value inside must clear the ring's inner edge.
    for outer, ring in zip(boxes["frames"][::2], boxes["frames"][1::2]):
        inner = {
            "x": ring["x"] + ring["line"] / 2, "y": ring["y"] + ring["line"] / 2,
            "width": ring["width"] - ring["line"], "height": ring["height"] - ring["line"],
        }
        for value in boxes["values"]:
            if not overlaps(value, outer):
                continue
            assert (inner["x"] <= value["x"] + 0.5 and value["x"] + value["width"] <= inner["x"] + inner["width"] + 0.5
                    and inner["y"] <= value["y"] + 0.5 and value["y"] + value["height"] <= inner["y"] + inner["height"] + 0.5), \
                f"the frame at {outer} crosses {value['text']!r} at {value}"
    # Labels between and above the matrices never cover a value, nor run into the output.
    for note in boxes["notes"]:
        for value in boxes["values"]:
            assert not overlaps(note, value), f"{note['text']!r} covers {value['text']!r}"
        if "over all" in note["text"]:
            assert note["x"] + note["width"] <= boxes["firstOut"] + 0.5, f"{note['text']!r} runs into the output"


def assert_no_clipped_text(page):
    for text in page.evaluate(TEXTS):
        if text["shown"]:
            assert text["scroll"] <= text["client"], f"{text['id']} is clipped: {text}"


# ---- item 1: own sentences on a projector -----------------------------------------------

@pytest.mark.parametrize("words", [3, 5, 10, 30])
def test_a_projector_shows_all_four_features_of_an_own_sentence(page, words):
    set_up(page, (1024, 768))
    before = renders(page)
    by_id(page, "sentence").fill(own_sentence(words))
    wait_settled(page, before)
    drawn = page.evaluate(DRAWN)
    for view in ("sliding-plot", "global-plot"):
        assert drawn[view]["labels"] == ["f0", "f1", "f2", "f3"], f"{view} at {words} words: {drawn[view]}"
    assert drawn["band"] is None
    # The texts speak of what is on screen and are not cut.
    assert "f3" in caption(page)
    assert_no_clipped_text(page)
    for view in ("sliding-plot", "global-plot"):
        assert_nothing_crosses_a_value(page, view)


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_band_appears_only_when_features_do_not_fit(page, size):
    set_up(page, size)
    before = renders(page)
    by_id(page, "sentence").fill(own_sentence(10))
    wait_settled(page, before)
    features_of(page, 8)
    drawn = page.evaluate(DRAWN)
    shown = drawn["sliding-plot"]["labels"]
    assert drawn["global-plot"]["labels"] == shown
    if len(shown) < 8:
        assert drawn["band"] == f"features {shown[0]}–{shown[-1]} of 8"
        # The caption names only features on screen.
        named = {f"f{i}" for i in range(8) if f"f{i} " in caption(page)}
        assert named <= set(shown), f"the caption names {named - set(shown)}, not on screen"
    else:
        assert drawn["band"] is None
    # A wider screen never shows fewer features.
    assert len(shown) >= {1024: 4, 1366: 5, 1920: 8}[size[0]]


def test_the_winner_frame_clears_negative_values_at_1024(page):
    set_up(page, (1024, 768))
    assert_nothing_crosses_a_value(page, "sliding-plot")
    assert_nothing_crosses_a_value(page, "global-plot")


# ---- item 4: text is never clipped -------------------------------------------------------

def test_long_texts_grow_instead_of_scrolling(page):
    set_up(page, (1024, 768))
    before = renders(page)
    by_id(page, "sentence").fill(own_sentence(30))
    wait_settled(page, before)
    assert_no_clipped_text(page)
    features_of(page, 64)
    assert_no_clipped_text(page)
    before = renders(page)
    by_id(page, "present").click()
    wait_settled(page, before)
    assert_no_clipped_text(page)
    text = caption(page)
    assert text.endswith("."), f"the caption stops mid-sentence: {text[-40:]!r}"


# ---- item 2: presentation ------------------------------------------------------------------

@pytest.mark.parametrize("size", [(1280, 720), (1366, 768), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_presentation_shows_both_views_when_they_fit(page, size):
    set_up(page, size)
    before = renders(page)
    by_id(page, "present").click()
    wait_settled(page, before)
    drawn = page.evaluate(DRAWN)
    for view in ("sliding-plot", "global-plot"):
        assert drawn[view] is not None and drawn[view]["labels"] == ["f0", "f1", "f2"], view
        assert drawn[view]["font"] >= 20
        assert_nothing_crosses_a_value(page, view)
    assert by_id(page, "present-swap").is_hidden()
    assert_no_clipped_text(page)
    # The summary that carries the lesson is large.
    size_px = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('[data-testid=global-summary]')).fontSize)")
    assert size_px >= 20


def test_presentation_one_view_at_a_time_where_both_do_not_fit(page):
    set_up(page, (1024, 768))
    before = renders(page)
    by_id(page, "present").click()
    wait_settled(page, before)
    assert by_id(page, "global-plot").is_hidden() and by_id(page, "present-swap").is_visible()
    before = renders(page)
    by_id(page, "present-swap").click()
    wait_settled(page, before)
    # The caption under the global view speaks of the global vector, not of a window.
    assert by_id(page, "sliding-plot").is_hidden()
    assert not caption(page).startswith("Window") and "[0.8, -0.1, 0.8]" in caption(page)


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_presentation_link_to_the_global_view_shows_every_feature(page, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto("/?present=1&view=global&step=2")
    wait_settled(page)
    drawn = page.evaluate(DRAWN)
    assert drawn["global-plot"]["labels"] == ["f0", "f1", "f2"]
    assert drawn["band"] is None
    assert "[0.8, -0.1, 0.8]" in page.evaluate("() => document.querySelector('[data-testid=global-summary]').textContent")
    assert_nothing_crosses_a_value(page, "global-plot")


def test_a_shared_band_reopens_as_shared(page):
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto("/?sentence=a+b+c+d+e+f&features=10&band=4&present=1&view=global")
    wait_settled(page)
    drawn = page.evaluate(DRAWN)
    labels = drawn["global-plot"]["labels"]
    # The band from f4 on, as many as fit (kept inside f0..f9): every feature of the shared band is on screen.
    assert {f"f{i}" for i in range(4, 10)} <= set(labels) and len(labels) < 10
    assert drawn["band"] == f"features {labels[0]}–{labels[-1]} of 10"


# ---- item 3: embedded ------------------------------------------------------------------------

def test_an_embedded_800x500_frame_shows_the_classic_whole(page):
    page.set_viewport_size({"width": 800, "height": 500})
    page.goto("/?embed=1")
    wait_settled(page)
    drawn = page.evaluate(DRAWN)
    for view in ("sliding-plot", "global-plot"):
        assert drawn[view]["labels"] == ["f0", "f1", "f2"], view
        assert_nothing_crosses_a_value(page, view)
    assert drawn["band"] is None
    assert_no_clipped_text(page)
    for test_id in ("play", "next", "caption", "sliding-plot", "global-plot"):
        box = by_id(page, test_id).bounding_box()
        assert box["y"] + box["height"] <= 500.5 and box["x"] + box["width"] <= 800.5, test_id
    # Titles wrap between arguments, never inside a word.
    breaks = page.evaluate(
        """() => [...document.querySelectorAll("[data-testid$=-title]")].flatMap((el) => {
            const text = el.textContent; const out = []; let lastTop = null;
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT); let offset = 0;
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                for (let i = 0; i < node.length; i++) {
                    const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
                    const rects = range.getClientRects();
                    if (!rects.length) continue;
                    const top = Math.round(rects[0].top);
                    if (lastTop !== null && top > lastTop + 2) out.push(text.slice(Math.max(0, offset + i - 2), offset + i));
                    lastTop = top;
                }
                offset += node.length;
            }
            return out;
        })"""
    )
    for before in breaks:
        assert before.endswith("(") or before.endswith(" "), f"a title breaks after {before!r}"


def frame_host(page, url: str, width: int = 800, height: int = 500):
    """A course page on the test server's origin (answered by the test itself) with `url` in an iframe."""
    html = (f'<!doctype html><title>course</title><link rel="icon" href="data:,">'
            f'<iframe src="{url}" width="{width}" height="{height}" style="border:0"></iframe>')
    page.route("**/course-page", lambda route: route.fulfill(status=200, content_type="text/html", body=html))


def test_a_refused_frame_says_why(page, base_url):
    frame_host(page, f"{base_url}/?embed=1")
    page.goto("/course-page")
    frame = page.frame_locator("iframe")
    notice = frame.locator("body")
    notice.wait_for()
    assert "FRAME_ANCESTORS" in notice.text_content()
    assert frame.locator("a").get_attribute("href") == f"{base_url}/?embed=1"


@contextmanager
def course_site_lazy(html: dict):
    """A second local site (a course page) serving `html["text"]` as it is when asked; yields its origin."""
    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            body = html["text"].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def explainer_framable_by(origin: str):
    """The explainer's server with FRAME_ANCESTORS naming `origin`; yields its base URL."""
    previous = os.environ.get("FRAME_ANCESTORS")
    os.environ["FRAME_ANCESTORS"] = origin
    try:
        with running_server() as url:
            yield url
    finally:
        if previous is None:
            del os.environ["FRAME_ANCESTORS"]
        else:
            os.environ["FRAME_ANCESTORS"] = previous


def test_an_allowed_800x500_frame_shows_the_classic_whole(browser):
    # The course page is written once the explainer's port is known; the handler reads it then.
    page_html = {"text": ""}
    with course_site_lazy(page_html) as course, explainer_framable_by(course) as explainer:
        page_html["text"] = (f'<!doctype html><title>course</title><link rel="icon" href="data:,">'
                             f'<iframe src="{explainer}/?embed=1" width="800" height="500" style="border:0"></iframe>')
        context = browser.new_context(viewport={"width": 1000, "height": 700})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(course)
        page.frame_locator("iframe").locator("[data-testid=caption]").wait_for()
        inner = page.frames[1]
        inner.wait_for_function("() => Number(document.body.dataset.renders) >= 1 && !document.body.dataset.busy")
        drawn = inner.evaluate(DRAWN)
        for view in ("sliding-plot", "global-plot"):
            assert drawn[view]["labels"] == ["f0", "f1", "f2"], view
        assert drawn["band"] is None
        assert inner.evaluate("() => document.documentElement.scrollHeight") <= 500
        assert errors == []
        context.close()


# ---- item 5: a phone's first screen -------------------------------------------------------

def test_a_phone_first_screen_shows_the_sentence_and_the_plot(page):
    set_up(page, (390, 844))
    sentence = by_id(page, "sentence").bounding_box()
    assert sentence["y"] + sentence["height"] <= 844
    bar_top = by_id(page, "playerbar").bounding_box()["y"]
    plot = by_id(page, "sliding-plot").bounding_box()
    # The start of the plot (its first row of values at least) is above the player bar.
    assert plot["y"] + 100 <= bar_top, f"plot at {plot['y']}, player bar at {bar_top}"


def test_a_phone_presentation_bar_is_compact(page):
    set_up(page, (390, 844))
    by_id(page, "present").click()
    page.wait_for_function("() => document.body.classList.contains('presenting')")
    bar = by_id(page, "playerbar").bounding_box()
    assert bar["height"] <= 0.3 * 844, f"the player bar takes {bar['height']} of 844 px"
