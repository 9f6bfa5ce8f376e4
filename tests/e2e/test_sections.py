"""The guided sections under the tool (issue 9 items 2-8) in real Chromium.

Each section is scrolled to as a learner would, and what it draws (Plotly's
own `gd.data`, the tables of numbers, the sentences) is compared with what
the JSON API answers for the same request.
"""
from __future__ import annotations

import json
import time
import urllib.request

import pytest

from .test_page import by_id, open_page, wait_settled

SECTIONS = ["equivalence", "shift", "batch", "gradient", "model", "textcnn"]
CLASSIC = {"preset": "classic", "layer": "max", "pool_size": 2, "strides": 1, "padding": "valid"}


# ---- helpers -----------------------------------------------------------------

def post(base_url, path, body):
    request = urllib.request.Request(
        f"{base_url}{path}", json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def section_renders(page, sid) -> int:
    return page.evaluate("id => Number(document.getElementById(id).dataset.renders || 0)", sid)


def wait_section(page, sid, after: int = 0) -> None:
    page.wait_for_function(
        """([id, n]) => {
            const s = document.getElementById(id);
            return Number(s.dataset.renders || 0) > n && !s.dataset.busy;
        }""",
        arg=[sid, after],
    )


def show(page, sid) -> None:
    """Scroll to a section and wait until it has drawn."""
    before = section_renders(page, sid)
    page.evaluate("id => document.getElementById(id).scrollIntoView()", sid)
    if before == 0:
        wait_section(page, sid, 0)
    else:
        page.wait_for_function("id => !document.getElementById(id).dataset.busy", arg=sid)


def change(page, sid, action) -> None:
    """Do something in a section and wait for its redraw."""
    before = section_renders(page, sid)
    action()
    wait_section(page, sid, before)


def z_values(page, sid, part="plot"):
    """The z matrices of the section's heatmaps, as Plotly draws them."""
    return page.evaluate(
        """([id, part]) => document.getElementById(id).querySelector(`[data-part="${part}"]`)
            .data.map(t => t.z ?? t.y)""",
        [sid, part],
    )


def shapes(page, sid, name):
    return page.evaluate(
        """([id, name]) => document.getElementById(id).querySelector('[data-part="plot"]')
            .layout.shapes.filter(s => s.name === name).map(s => ({x: (s.x0 + s.x1) / 2, y: (s.y0 + s.y1) / 2, xref: s.xref}))""",
        [sid, name],
    )


def table(page, test_id):
    """A table of numbers as rows of cell texts (row header first)."""
    return page.evaluate(
        """id => [...document.querySelector(`[data-testid="${id}"]`).tBodies[0].rows]
            .map(r => [...r.cells].map(c => c.textContent))""",
        test_id,
    )


def numbers(rows):
    return [[float(v) for v in row[1:]] for row in rows]


def close(a, b, tol=0.0051):
    assert len(a) == len(b), (a, b)
    for ra, rb in zip(a, b):
        assert len(ra) == len(rb), (ra, rb)
        assert all(abs(x - y) <= tol for x, y in zip(ra, rb)), (a, b)


def text(page, test_id) -> str:
    return by_id(page, test_id).text_content()


# ---- each section on the classic example ---------------------------------------

def test_sections_wait_off_screen(page):
    """Opening the page fetches nothing for the sections until they are scrolled to."""
    teaching = []
    page.on("request", lambda r: any(p in r.url for p in ("/api/gradient", "/api/batch", "/api/model", "/api/textcnn")) and teaching.append(r.url))
    open_page(page)
    page.wait_for_timeout(400)
    assert teaching == []
    assert all(section_renders(page, sid) == 0 for sid in ["batch", "gradient", "model", "textcnn"])
    show(page, "gradient")
    assert any("/api/gradient" in url for url in teaching)


def test_sections_catch_up_when_they_load_after_the_tool_drew(page):
    """The sections' module arriving after the tool's first draw still follows the tool."""
    def late(route):
        time.sleep(1.0)
        route.continue_()

    page.route("**/js/sections/index.js", late)
    open_page(page)
    page.wait_for_function("() => document.querySelector('.guide') !== null")
    show(page, "equivalence")
    assert "all three hold [0.8, -0.1, 0.8]" in by_id(page, "view-equivalence").locator('[data-part="note"]').text_content()


def test_equivalence_on_the_classic_example(page, base_url):
    open_page(page)
    show(page, "equivalence")
    windowed = post(base_url, "/api/trace", {**CLASSIC, "pool_size": 4, "strides": None})
    z = z_values(page, "equivalence")
    assert z[0] == windowed["x"]
    assert z[1] == windowed["pooling"]["output"]
    assert z[2] == [windowed["global"]["output"]] == z[3]
    rows = table(page, "equivalence-table")
    assert [r[0] for r in rows] == [
        "MaxPooling1D(pool_size=4) → (1, 1, 3)",
        "GlobalMaxPooling1D() → (1, 3)",
        "GlobalMaxPooling1D(keepdims=True) → (1, 1, 3)",
    ]
    close(numbers(rows), [windowed["global"]["output"]] * 3)
    note = by_id(page, "view-equivalence").locator('[data-part="note"]').text_content()
    assert "all three hold [0.8, -0.1, 0.8]" in note


def test_shift_keeps_the_global_vector_until_a_new_word_wins(page, base_url):
    open_page(page)
    show(page, "shift")
    # Rolled by 1 (the default): 'live the boy will', the same rows in another order.
    rows = numbers(table(page, "shift-global-table"))
    assert rows == [[0.8, -0.1, 0.8], [0.8, -0.1, 0.8]]
    assert "unchanged" in text(page, "shift-note")
    moved = post(base_url, "/api/trace", {"sentence": "live the boy will", "embeddings": [
        [0.4, -0.4, 0.8], [0.7, -0.2, 0.1], [0.8, -0.3, 0.2], [0.2, -0.1, 0.4]], **{k: CLASSIC[k] for k in ("layer", "pool_size", "strides", "padding")}})
    assert z_values(page, "shift")[1] == moved["pooling"]["output"]
    assert shapes(page, "shift", "changed") == []

    # A word whose toy vector beats the sentence in some feature breaks invariance there.
    word, feature = None, None
    for candidate in ["wow", "amazing", "great", "zebra", "kite", "sun", "moon", "river", "stone", "apple"]:
        x = post(base_url, "/api/trace", {"sentence": candidate, "features": 3, "seed": 0, "pool_size": 1})["x"][0]
        beats = [f for f in range(3) if x[f] > [0.8, -0.1, 0.8][f]]
        if beats:
            word, feature = candidate, beats[0]
            break
    assert word is not None
    change(page, "shift", lambda: by_id(page, "shift-after").fill(word))
    assert f"f{feature} is now won by the new word '{word}'" in text(page, "shift-note")
    outlined = {round(s["x"]) for s in shapes(page, "shift", "changed")}
    assert feature in outlined


def test_batch_follows_the_sentence_with_its_own_lines(page, base_url):
    open_page(page)
    show(page, "batch")
    toy = post(base_url, "/api/batch", {"sentence": "not bad", "features": 3, "seed": 0})
    expected = post(base_url, "/api/batch", {
        "sentence": "the boy will live\nnot bad",
        "embeddings": [[0.7, -0.2, 0.1], [0.8, -0.3, 0.2], [0.2, -0.1, 0.4], [0.4, -0.4, 0.8], *toy["x"][0]],
    })
    z = z_values(page, "batch")
    assert z[0] == expected["x"][0] and z[1] == expected["x"][1]
    assert z[2] == expected["global_max"]["output"]
    assert z[3] == expected["masked_max"]["output"]
    assert "(2, 4, 3)" in by_id(page, "view-batch").locator('[data-part="status"]').text_content()
    # Padded rows are framed as padding: sentence 2 has 2 words and 2 padded steps.
    assert len(shapes(page, "batch", "padding")) == 1


def test_batch_pitfall_preset(page, base_url):
    open_page(page)
    show(page, "batch")
    change(page, "batch", lambda: by_id(page, "batch-pitfall").click())
    expected = post(base_url, "/api/batch", {"preset": "pitfall"})
    z = z_values(page, "batch")
    assert z[2] == expected["global_max"]["output"] == [[0.8, -0.1, 0.8], [0.0, 0.0, 0.5]]
    assert z[3] == expected["masked_max"]["output"] == [[0.8, -0.1, 0.8], [-0.2, -0.3, 0.5]]
    close(numbers(table(page, "batch-masked_average-table")), expected["masked_average"]["output"])
    won = sorted((round(s["y"]), round(s["x"])) for s in shapes(page, "batch", "padding-won"))
    # Two shapes per outlined cell (a dark frame and a white ring): sentence 2, f0 and f1.
    assert sorted(set(won)) == [(1, 0), (1, 1)]
    note = text(page, "batch-note")
    assert "f0 and f1 are won by a padding zero" in note
    assert "The masked max gives [-0.2, -0.3, 0.5]" in note
    assert by_id(page, "batch-lines").input_value() == "not bad"

    # The tool moves on: the batch follows its sentence again, once scrolled back to.
    before = section_renders(page, "batch")
    tool = page.evaluate("() => Number(document.body.dataset.renders)")
    by_id(page, "sentence").fill("cold wet day")
    wait_settled(page, tool)
    page.evaluate("() => document.getElementById('batch').scrollIntoView()")
    wait_section(page, "batch", before)
    assert by_id(page, "view-batch").locator('[data-part="first"]').text_content() == "cold wet day"
    assert "pitfall preset" not in by_id(page, "view-batch").locator('[data-part="status"]').text_content()


def test_gradient_on_the_classic_example_and_an_edited_upstream(page, base_url):
    open_page(page)
    show(page, "gradient")
    expected = post(base_url, "/api/gradient", CLASSIC)
    z = z_values(page, "gradient")
    assert z[1] == expected["pooling"]["grad"] == [[0, 1, 0], [2, 0, 1], [0, 2, 1], [1, 0, 1]]
    assert z[2] == expected["global"]["grad"]
    assert by_id(page, "gradient-upstream-pooling").input_value() == "1, 1, 1\n1, 1, 1\n1, 1, 1"
    note = text(page, "gradient-note")
    # Every word of the classic example wins something in one layer or the other.
    assert "wins nothing" not in note
    assert "first tied row" in note and "splits the gradient equally" in note

    upstream = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    change(page, "gradient", lambda: by_id(page, "gradient-upstream-pooling").fill("1 2 3\n4 5 6\n7 8 9"))
    expected = post(base_url, "/api/gradient", {**CLASSIC, "upstream_pooling": upstream})
    assert z_values(page, "gradient")[1] == expected["pooling"]["grad"]
    close(numbers(table(page, "gradient-pooling-table")), expected["pooling"]["grad"])

    # A wrong shape is said in the section, and nothing is sent.
    change(page, "gradient", lambda: by_id(page, "gradient-upstream-pooling").fill("1 2 3\n4 5"))
    status = by_id(page, "view-gradient").locator('[data-part="status"]')
    assert "needs 3 rows of 3 numbers" in status.text_content()
    assert "is-error" in status.get_attribute("class")


def test_gradient_ties_differ_between_the_layers(page, base_url):
    open_page(page)
    show(page, "gradient")
    before = section_renders(page, "gradient")
    by_id(page, "gradient-ties").click()
    wait_section(page, "gradient", before)
    assert by_id(page, "preset").input_value() == "ties"
    expected = post(base_url, "/api/gradient", {**CLASSIC, "preset": "ties"})
    z = z_values(page, "gradient")
    assert z[1] == expected["pooling"]["grad"]
    assert z[2] == expected["global"]["grad"]
    # 'red' holds f0's maximum three times: the global layer splits it in thirds.
    assert "3 words tie for the maximum" in text(page, "gradient-note")


def test_model_summaries(page, base_url):
    open_page(page)
    show(page, "model")
    expected = post(base_url, "/api/model", {"steps": 6, "features": 10})
    for model in expected["models"]:
        rows = page.evaluate(
            """id => [...document.querySelector(`[data-testid="${id}"]`).tBodies[0].rows]
                .map(r => ({cells: [...r.cells].map(c => c.textContent), pooling: r.dataset.pooling === "true"}))""",
            f"model-{model['name']}",
        )
        assert [int(r["cells"][2].replace(",", "")) for r in rows] == [row["params"] for row in model["rows"]]
        assert [r["pooling"] for r in rows] == [row["pooling"] for row in model["rows"]]
        pooling = next(r for r in rows if r["pooling"])
        assert "pooling" in pooling["cells"][0]
    windowed = next(m for m in expected["models"] if m["name"] == "windowed")
    assert windowed["total_params"] == 2819

    # From the sentence above: 4 steps of 3 features.
    change(page, "model", lambda: by_id(page, "model-from-sentence").click())
    assert by_id(page, "model-steps").input_value() == "4"
    expected = post(base_url, "/api/model", {"steps": 4, "features": 3})
    total = page.evaluate("() => document.querySelector('[data-testid=\"model-global\"]').tFoot.rows[0].cells[1].textContent")
    assert int(total.replace(",", "")) == expected["models"][1]["total_params"]


def test_textcnn_on_the_classic_example(page, base_url):
    open_page(page)
    show(page, "textcnn")
    expected = post(base_url, "/api/textcnn", CLASSIC)
    z = z_values(page, "textcnn")
    assert [row[0] for row in z[1]] == expected["vector"]
    winners = by_id(page, "textcnn-winners").locator("li").all_text_contents()
    assert len(winners) == 6
    for line, f in zip(winners, expected["filters"]):
        assert line.startswith(f["name"])
        if not f["winner"]["all_zero"]:
            words = " ".join(expected["tokens"][r] for r in f["winner"]["rows"])
            assert f"'{words}'" in line
    assert z_values(page, "textcnn", "wins")[0] == expected["feature_wins"] == [0, 1, 1, 1]
    assert "1 word won none" in text(page, "textcnn-note")

    change(page, "textcnn", lambda: by_id(page, "textcnn-filters").fill("3"))
    expected = post(base_url, "/api/textcnn", {**CLASSIC, "filters": 3})
    assert [row[0] for row in z_values(page, "textcnn")[1]] == expected["vector"]


# ---- following the tool, deep links, layout, accessibility ---------------------

def test_editing_the_sentence_updates_a_visible_section(page, base_url):
    open_page(page)
    show(page, "equivalence")
    before = section_renders(page, "equivalence")
    tool = page.evaluate("() => Number(document.body.dataset.renders)")
    # Edit the tool's sentence while the section stays on screen (typing would scroll the box into view).
    page.evaluate("""() => {
        const box = document.querySelector('[data-testid="sentence"]');
        box.value = "a truly great day out";
        box.dispatchEvent(new Event("input", {bubbles: true}));
    }""")
    wait_settled(page, tool)
    wait_section(page, "equivalence", before)
    assert page.evaluate("() => document.getElementById('equivalence').getBoundingClientRect().top") < 900
    expected = post(base_url, "/api/trace", {
        "sentence": "a truly great day out", "features": 4, "seed": 0, "layer": "max", "pool_size": 5, "strides": None,
        "padding": "valid",
    })
    rows = table(page, "equivalence-table")
    assert rows[0][0] == "MaxPooling1D(pool_size=5) → (1, 1, 4)"
    close(numbers(rows), [expected["global"]["output"]] * 3)


def test_the_last_edit_wins(page, base_url):
    """Typing fast in a section: older answers never replace the newest."""
    open_page(page)
    show(page, "textcnn")
    field = by_id(page, "textcnn-filters")
    for value in ["1", "4", "2", "5"]:
        field.fill(value)
    page.wait_for_timeout(50)
    page.wait_for_function("() => !document.getElementById('textcnn').dataset.busy")
    expected = post(base_url, "/api/textcnn", {**CLASSIC, "filters": 5})
    assert [row[0] for row in z_values(page, "textcnn")[1]] == expected["vector"]


@pytest.mark.parametrize("sid", SECTIONS)
def test_deep_links_land_on_their_section(page, sid):
    page.goto(f"/#{sid}")
    wait_settled(page)
    wait_section(page, sid)
    top, bottom_reached = page.evaluate(
        """id => [document.getElementById(id).getBoundingClientRect().top,
                  Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight - 1]""",
        sid,
    )
    # At the top of the screen, or as near as the page can scroll for the last sections.
    assert -2 <= top <= 40 or (bottom_reached and 0 <= top < 900 / 2), top


def test_nav_links_to_every_section(page):
    open_page(page)
    links = page.locator(".sections-nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert links == [f"#{sid}" for sid in SECTIONS]
    for sid in SECTIONS:
        assert by_id(page, f"view-{sid}").get_attribute("id") == sid


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768), (390, 844)])
def test_sections_fit_the_width(browser, base_url, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, base_url=base_url)
    page = context.new_page()
    try:
        open_page(page)
        for sid in SECTIONS:
            show(page, sid)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= size[0], f"the page scrolls sideways: {width} > {size[0]}"
        for sid in SECTIONS:
            box = by_id(page, f"view-{sid}").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= size[0] + 0.5, (sid, box)
            plots = page.evaluate(
                "id => [...document.getElementById(id).querySelectorAll('.js-plotly-plot')].map(p => p.getBoundingClientRect().right)",
                sid,
            )
            assert all(right <= size[0] for right in plots), (sid, plots)
    finally:
        context.close()


def test_sections_have_no_serious_accessibility_violations(browser, base_url):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 1366, "height": 768}, base_url=base_url, bypass_csp=True)
    page = context.new_page()
    try:
        open_page(page)
        for sid in SECTIONS:
            show(page, sid)
        page.locator(".guide-numbers summary").evaluate_all("els => els.forEach(s => s.parentElement.open = true)")
        results = Axe().run(page, context={"include": [["#sections"]]})
        bad = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert bad == [], bad
    finally:
        context.close()
