"""The guided sections under the tool (issue 9 items 2-8) in real Chromium.

Each section is scrolled to as a learner would, and what it draws (Plotly's
own `gd.data`, the tables of numbers, the sentences) is compared with what
the JSON API answers for the same request.
"""
from __future__ import annotations

import json
import re
import time
import urllib.request

import pytest

from .test_page import by_id, open_page, renders, wait_settled

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
    # Every word of the classic example is some window's maximum or a global maximum.
    assert "gets 0 from both layers" not in note
    ties = by_id(page, "gradient-ties-note").inner_text()
    assert "to the first of its tied words" in ties and "splits it equally" in ties

    # An upstream of zeros gives every word 0, but no word is said to win nothing:
    # that is read from the forward pass, not from the gradient.
    change(page, "gradient", lambda: by_id(page, "gradient-upstream-global").fill("0, 0, 0"))
    change(page, "gradient", lambda: by_id(page, "gradient-upstream-pooling").fill("0 0 0\n0 0 0\n0 0 0"))
    assert all(v == 0 for row in z_values(page, "gradient")[2] for v in row)
    assert "gets 0 from both layers" not in text(page, "gradient-note")

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
    assert [row[0] for row in z[2]] == pytest.approx([1 / 3, 1 / 3, 0, 1 / 3])
    assert "In f0, 3 words share the global maximum" in text(page, "gradient-note")
    # Window 1 holds two equal 'red's: the windowed layer's route names the one that gets it all.
    x = expected["x"]
    assert x[0] == x[1] and expected["pooling"]["routes"][0] == [0, 0]
    assert "In window 1, words 1 and 2 tie in f0 and f1: MaxPooling1D sends that window's gradient to word 1 only." in text(
        page, "gradient-note")
    ties = by_id(page, "gradient-ties-note")
    assert ties.is_visible()
    assert "[1/3, 1/3, 0, 1/3]" in ties.inner_text()
    # The implementation's names wait in a closed "for the curious" note.
    assert "select_and_scatter" not in ties.inner_text()
    curious = by_id(page, "view-gradient").locator("details.guide-curious")
    curious.locator("summary").click()
    assert "select_and_scatter" in curious.inner_text()


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
    # Worked out here from the scores: each filter's best windows (all of a tie; none when
    # every score is 0), and for each word, the filters whose best phrase holds it.
    steps = len(expected["tokens"])
    held = [0] * steps
    framed = []
    for row, f in enumerate(expected["filters"]):
        scores = f["activation"]
        best = max(scores)
        windows = [] if best == 0 else [w for w, v in enumerate(scores) if v == best]
        framed += [(w, row) for w in windows]
        pad_left = f["winner"]["window"] - f["winner"]["start"]
        covered = {w - pad_left + k for w in windows for k in range(f["width"])}
        for r in covered & set(range(steps)):
            held[r] += 1
        line = winners[row]
        if best == 0:
            assert "no phrase stands out (none is framed)" in line
    assert z_values(page, "textcnn", "wins")[0] == held
    # Each framed cell is drawn as two rectangles (a ring inside a frame).
    outlines = sorted({(round(s["x"]), round(s["y"])) for s in shapes(page, "textcnn", "winner")})
    assert outlines == sorted(framed)
    note = text(page, "textcnn-note")
    top = max(range(steps), key=lambda r: held[r])
    assert f"'{expected['tokens'][top]}' is in the best phrase of {held[top]} of {len(winners)} filters" in note
    assert "won none" not in note and "thrown away" not in note

    change(page, "textcnn", lambda: by_id(page, "textcnn-filters").fill("3"))
    expected = post(base_url, "/api/textcnn", {**CLASSIC, "filters": 3})
    assert [row[0] for row in z_values(page, "textcnn")[1]] == expected["vector"]


# ---- texts follow the state (issue 15) ------------------------------------------

# Words that state a maximum, a winner or a tie. "MaxPooling1D" is a name, not a claim.
MAXIMUM = re.compile(r"\bmax\b|maxim|\bwins?\b|\bwon\b|\bwinn(?:er|ers|ing)\b|\btie[ds]?\b", re.IGNORECASE)
TIE = re.compile(r"\btie[ds]?\b|\bshared?\b", re.IGNORECASE)
TOOL_TEXTS = ["teaches", "caption", "global-summary", "contrast", "summary"]
# The sections whose words follow the layer (the others are about max pooling whatever it is).
LAYER_SECTIONS = ["equivalence", "shift", "gradient"]
# A section's prose: its paragraphs, status, notes and lists (not the names on its buttons).
PROSE = ".guide-text, [data-part=status], [data-part=note], [data-part=winners]"


def open_link(page, query):
    page.goto(f"/?{query}")
    wait_settled(page)


def prose(page, sid) -> str:
    """The prose of a section a learner can see (hidden elements left out)."""
    return page.evaluate(
        """([id, selector]) => [...document.getElementById(id).querySelectorAll(selector)]
            .filter((e) => e.checkVisibility()).map((e) => e.innerText).join(" ")""",
        [sid, PROSE],
    )


def tool_text(page) -> dict[str, str]:
    return {test_id: by_id(page, test_id).inner_text() for test_id in TOOL_TEXTS}


def vector_text(values) -> str:
    """A vector as the page's prose writes it: two decimals at most, no -0."""
    def short(v):
        text = f"{round(v + 0.0, 2):.2f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "0") else text
    return "[" + ", ".join(short(v) for v in values) + "]"


def set_layer(page, layer):
    before = renders(page)
    by_id(page, "layer").select_option(layer)
    wait_settled(page, before)


def test_with_the_average_layer_no_text_states_a_maximum(page, base_url):
    open_link(page, "preset=classic")
    assert "[0.8, -0.1, 0.8] comes from 'boy', 'will' and 'live'" in by_id(page, "teaches").inner_text()
    set_layer(page, "average")
    trace = post(base_url, "/api/trace", {**CLASSIC, "layer": "average"})
    mean = vector_text(trace["global"]["output"])
    texts = tool_text(page)
    assert mean in texts["teaches"] and mean in texts["global-summary"]
    for test_id, words in texts.items():
        assert not MAXIMUM.search(words), (test_id, words)
        # Every vector the words state is one the views show.
        for vector in re.findall(r"\[[^\]]*\]", words):
            assert vector == mean, (test_id, words)
    for sid in LAYER_SECTIONS:
        show(page, sid)
        words = prose(page, sid)
        assert "mean" in words or "average" in words.lower(), (sid, words)
        assert not MAXIMUM.search(words), (sid, MAXIMUM.search(words).group(0), words)
    # Back to max, the same places speak of maxima again.
    set_layer(page, "max")
    assert MAXIMUM.search(by_id(page, "teaches").inner_text())
    show(page, "gradient")
    page.wait_for_function("() => !document.getElementById('gradient').dataset.busy")
    assert by_id(page, "gradient-ties-note").is_visible()


@pytest.mark.parametrize("layer", ["max", "average"])
def test_ties_are_named_only_where_there_are_ties(page, base_url, layer):
    open_link(page, f"preset=classic&layer={layer}")
    for test_id, words in tool_text(page).items():
        assert not TIE.search(words), (test_id, words)
    open_link(page, f"preset=ties&layer={layer}")
    texts = tool_text(page)
    trace = post(base_url, "/api/trace", {"preset": "ties", "layer": layer, "pool_size": 2, "strides": 1})
    if layer == "average":
        for test_id, words in texts.items():
            assert not MAXIMUM.search(words), (test_id, words)
        return
    # f0's maximum is held by words 1, 2 and 4: the forward view names all three, none "wins".
    x = trace["x"]
    tied = [r + 1 for r, row in enumerate(x) if row[0] == trace["global"]["output"][0]]
    assert tied == [1, 2, 4]
    assert "f0 from 'red' (words 1, 2 and 4, tied)" in texts["global-summary"]
    assert "held by 'red' (words 1, 2 and 4, tied)" in texts["teaches"]
    assert "Window 1 of 3 covers 'red red' (words 1 to 2): f0 max 0.5 from 'red' (words 1 and 2, tied)" in texts["caption"]
    for words in texts.values():
        assert "first wins" not in words and "thrown away" not in words
    # The numbers table names them too.
    assert "f0: max 0.5 over 4 words, from 'red' (words 1, 2 and 4, tied)." in by_id(page, "global-numbers").text_content()


@pytest.mark.parametrize("padding", ["same", "valid"])
@pytest.mark.parametrize("layer", ["max", "average"])
def test_the_negatives_lesson_follows_padding_and_layer(page, base_url, layer, padding):
    open_link(page, f"preset=negatives&layer={layer}&padding={padding}")
    trace = post(base_url, "/api/trace", {"preset": "negatives", "layer": layer, "pool_size": 3, "strides": 1, "padding": padding})
    p = trace["pooling"]
    largest = max(v for row in p["output"] for v in row)
    assert largest < 0
    teaches = by_id(page, "teaches")
    words = teaches.inner_text()
    assert f'padding="{padding}"' in words
    assert f"the largest is {vector_text([largest])[1:-1]}" in words
    padded = p["pad_left"] + p["pad_right"] > 0
    assert padded == (padding == "same")
    if not padded:
        assert "no window holds padding" in words and teaches.get_attribute("data-claim") is None
    elif layer == "max":
        assert "never win" in words and teaches.get_attribute("data-claim") is None
    else:
        assert "real words only" in words and not MAXIMUM.search(words)
        assert teaches.get_attribute("data-claim") == "average-same-no-padding"


def test_shift_says_which_rows_moved_and_which_wrapped(page, base_url):
    open_link(page, "preset=classic")
    show(page, "shift")
    # Rolled by 1: 'live the boy will'. Worked out by hand: windows 'the boy' and 'boy will'
    # move down one row; 'live the' is new, across the wrap-around.
    note = text(page, "shift-note")
    assert "Of the windowed output's 3 rows, 2 moved with their words (row 1 is now row 2)" in note
    assert "1 is new, joining the last word to the first across the wrap-around (row 1, 'live the')" in note
    change(page, "shift", lambda: by_id(page, "shift-roll").fill("0"))
    assert "3 kept their place" in text(page, "shift-note")


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
