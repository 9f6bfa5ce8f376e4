"""The sections of the next questions (issue 15, sections 7-12) in real Chromium.

Each section is scrolled to as a learner would; what it draws (Plotly's own
`gd.data`, its tables, its sentences, its programs and what they print) is
compared with POST /api/questions for the same sentence, whose programs
tests/claims/test_sections.py runs in Keras and PyTorch.
"""
from __future__ import annotations

import pytest

from .test_page import by_id, open_page, wait_settled
from .test_sections import numbers, post, section_renders, show, table, wait_section, z_values

NEXT = ["flatten", "concat", "argmax", "return-sequences", "data-format", "masking"]
CLASSIC_SOURCE = {"preset": "classic"}


def part_text(page, sid, name) -> str:
    return page.locator(f'#{sid} [data-part="{name}"]').first.text_content()


def programs(page, sid):
    """Each program box of a section: its claim, its code and what the page says it prints."""
    return page.evaluate(
        """id => [...document.getElementById(id).querySelectorAll('.guide-program')].map(d => ({
            claim: d.dataset.claim, code: d.querySelector('pre code').textContent,
            prints: d.querySelector('[data-part="prints"]').textContent}))""",
        sid,
    )


def edit_sentence(page, text) -> None:
    """Type into the tool's sentence without scrolling away from the section on screen."""
    tool = page.evaluate("() => Number(document.body.dataset.renders)")
    page.evaluate(
        """text => {
            const box = document.querySelector('[data-testid="sentence"]');
            box.value = text;
            box.dispatchEvent(new Event("input", {bubbles: true}));
        }""",
        text,
    )
    wait_settled(page, tool)


# ---- each section on the classic example -------------------------------------------

def test_flatten_on_the_classic_sentence(page, base_url):
    open_page(page)
    show(page, "flatten")
    answer = post(base_url, "/api/questions", CLASSIC_SOURCE)
    flatten = answer["flatten"]
    # The sentence's models (4, 3), then the question's (6, 10).
    for group, shape in ((flatten["sentence"], "4x3"), (flatten["question"], "6x10")):
        for model in group["models"]:
            total = page.evaluate(
                "id => document.querySelector(`[data-testid=\"${id}\"]`).tFoot.rows[0].cells[1].textContent",
                f"flatten-{model['name']}-{shape}",
            )
            assert int(total.replace(",", "")) == model["total_params"]
    question = {m["name"]: m["total_params"] for m in flatten["question"]["models"]}
    assert question == {"windowed_flatten": 1809, "global_flatten": 1825}
    assert by_id(page, "flatten-error").text_content() == flatten["error"]
    assert "expected axis -1 of input shape to have value 64, but received input with shape (1, 80)" in flatten["error"]
    assert by_id(page, "flatten-variable-error").text_content() == flatten["variable_error"]
    assert "Built for your 4 words and given a sentence of 5 words" in by_id(page, "flatten-note").text_content()
    [program] = programs(page, "flatten")
    assert program == {"claim": "program-flatten", **flatten["program"]}
    rows = table(page, "flatten-table")
    assert [r[3] for r in rows] == [f"{m['total_params']:,}" for g in ("sentence", "question") for m in flatten[g]["models"]]


def test_concat_on_the_classic_sentence(page, base_url):
    open_page(page)
    show(page, "concat")
    g = post(base_url, "/api/questions", CLASSIC_SOURCE)["global"]
    z = z_values(page, "concat")
    assert z[1] == [g["max"]] and z[2] == [g["average"]] and z[3] == [g["concat"]]
    assert g["concat"] == g["max"] + g["average"] and len(g["concat"]) == 6
    rows = table(page, "concat-table")
    assert rows[2][0] == "Concatenate() → (1, 6)"
    assert numbers([rows[2]]) == [[round(v, 2) for v in g["concat"]]]
    note = by_id(page, "concat-note").text_content()
    assert "The max is [0.8, -0.1, 0.8]; the average is [0.53, -0.25, 0.38]" in note
    # f2: 0.8 against 0.375, the largest gap; won by 'live'.
    assert "They differ most in f2: the max keeps 'live''s 0.8" in note


def test_argmax_names_the_winning_words(page, base_url):
    open_page(page)
    show(page, "argmax")
    answer = post(base_url, "/api/questions", CLASSIC_SOURCE)
    g = answer["global"]
    assert g["argmax"] == [1, 2, 3]  # boy, will, live: worked out from the classic rows
    framed = page.evaluate(
        """() => document.querySelector('#argmax [data-part="plot"]').layout.shapes
            .filter(s => s.name === 'argmax' && s.xref === 'x').map(s => [Math.round((s.y0 + s.y1) / 2), Math.round((s.x0 + s.x1) / 2)])"""
    )
    assert sorted(set(map(tuple, framed))) == [(1, 0), (2, 1), (3, 2)]
    assert by_id(page, "argmax-winners").locator("li").all_text_contents() == [
        "f0: 0.8, won by 'boy' (row 1).", "f1: -0.1, won by 'will' (row 2).", "f2: 0.8, won by 'live' (row 3).",
    ]
    rows = table(page, "argmax-table")
    assert [r[2:4] for r in rows] == [["1", "boy"], ["2", "will"], ["3", "live"]]
    boxes = programs(page, "argmax")
    assert [b["claim"] for b in boxes] == ["program-argmax-keras", "program-argmax-pytorch"]
    assert boxes[0]["prints"] == 'rows [1, 2, 3]\nwords ["boy", "will", "live"]\n'
    assert "keras.ops.argmax(x, axis=1)" in boxes[0]["code"] and "x.max(dim=1)" in boxes[1]["code"]


def test_argmax_names_every_tied_word(page, base_url):
    page.goto("/?preset=ties#argmax")
    wait_settled(page)
    wait_section(page, "argmax")
    g = post(base_url, "/api/questions", {"preset": "ties"})["global"]
    assert g["ties"][0] == [0, 1, 3]  # 'red' holds f0's 0.5 three times
    first = by_id(page, "argmax-winners").locator("li").first.text_content()
    assert first == "f0: 0.5, held by 'red' (row 0), 'red' (row 1) and 'red' (row 3); argmax reports row 0."
    assert "1 feature has a tie" in part_text(page, "argmax", "status")


def test_return_sequences_shapes_and_error(page, base_url):
    open_page(page)
    show(page, "return-sequences")
    s = post(base_url, "/api/questions", CLASSIC_SOURCE)["return_sequences"]
    rows = table(page, "return-sequences-with")
    assert [r[1] for r in rows] == ["(1, 4, 3)", "(1, 4, 16)", "(1, 16)"]
    rows = table(page, "return-sequences-without")
    assert rows[1][1] == "(1, 16)" and rows[2][1] == "error: expected ndim=3"
    assert by_id(page, "return-sequences-error").text_content() == s["error"]
    [program] = programs(page, "return-sequences")
    assert program["prints"] == s["program"]["prints"]


def test_data_format_pools_the_steps_either_way(page, base_url):
    open_page(page)
    show(page, "data-format")
    answer = post(base_url, "/api/questions", CLASSIC_SOURCE)
    g = answer["global"]
    z = z_values(page, "data-format")
    assert z[0] == answer["x"]
    assert z[1] == [list(col) for col in zip(*answer["x"])]  # channels first: the transpose
    assert z[2] == [g["max"]]
    assert z[3] == [[max(row) for row in answer["x"]]]  # each word's largest feature
    assert numbers(table(page, "data-format-wrong-table")) == [[0.7, 0.8, 0.4, 0.8]]
    note = by_id(page, "data-format-note").text_content()
    assert "both layouts give [0.8, -0.1, 0.8], shape (1, 3)" in note and "shape (1, 4)" in note
    boxes = programs(page, "data-format")
    assert "permute(0, 2, 1)" in boxes[1]["code"]


def test_masking_draws_global_max_beside_the_masked_max(page, base_url):
    open_page(page)
    show(page, "masking")
    answer = post(base_url, "/api/questions", CLASSIC_SOURCE)
    m = answer["masking"]
    # The classic rows, then two zero rows.
    assert m["x"] == answer["x"] + [[0.0, 0.0, 0.0]] * 2
    z = z_values(page, "masking")
    assert z == [m["x"], [m["global_max"]["output"]], [m["masked_max"]["output"]]]
    # Worked out from the classic rows: f1 is negative in every word, so a padding 0 wins it;
    # the words alone give their own maxima.
    assert m["global_max"]["output"] == [0.8, 0.0, 0.8] and m["masked_max"]["output"] == [0.8, -0.1, 0.8]
    framed = page.evaluate(
        """() => document.querySelector('#masking [data-part="plot"]').layout.shapes
            .filter(s => s.name === 'winner' && s.xref === 'x').map(s => [Math.round((s.y0 + s.y1) / 2), Math.round((s.x0 + s.x1) / 2)])"""
    )
    assert sorted(set(map(tuple, framed))) == [(1, 0), (3, 2), (4, 1)]  # boy, the first padding row, live
    note = by_id(page, "masking-note").text_content()
    assert "GlobalMaxPooling1D gives [0.8, 0, 0.8]: the padding wins f1" in note
    assert "The masked max gives [0.8, -0.1, 0.8]" in note
    assert "(1, 6, 3)" in part_text(page, "masking", "status")
    rows = table(page, "masking-table")
    assert numbers([rows[0], rows[2]]) == [[0.8, 0.0, 0.8], [0.8, -0.1, 0.8]]
    assert rows[1][1:] == ["1 boy", "4 pad", "3 live"]
    assert [r[-1] for r in table(page, "masking-rows-table")] == ["True"] * 4 + ["False"] * 2
    [program] = programs(page, "masking")
    assert program == {"claim": "program-masking", **m["program"]}
    assert [li.get_attribute("data-claim") for li in by_id(page, "masking-layers").locator("li").all()] == [
        "mask-embedding-makes", None, "gavg-honours-mask", "gmax-ignores-mask",
    ]


def test_masking_says_when_padding_wins_nothing(page, base_url):
    page.goto("/?preset=ties#masking")
    wait_settled(page)
    wait_section(page, "masking")
    m = post(base_url, "/api/questions", {"preset": "ties"})["masking"]
    assert m["global_max"]["padding_won"] == [False, False]  # the ties preset has no negative values
    note = by_id(page, "masking-note").text_content()
    assert "the same as the masked max" in note and "wins nothing here" in note


# ---- following the tool, deep links, keyboard, layout, accessibility ------------------

@pytest.mark.parametrize("sid", NEXT)
def test_a_section_follows_an_edit_of_the_sentence(page, base_url, sid):
    open_page(page)
    show(page, sid)
    before = section_renders(page, sid)
    edit_sentence(page, "a truly great day out")
    # The tool grows by a word and may push the section below the screen: bring it back.
    page.evaluate("id => document.getElementById(id).scrollIntoView()", sid)
    wait_section(page, sid, before)
    answer = post(base_url, "/api/questions", {"sentence": "a truly great day out", "features": 4, "seed": 0})
    assert answer["input_shape"] == [1, 5, 4]
    rows = ", ".join(str(r) for r in answer["global"]["argmax"])
    expected = {
        "flatten": "5 words of 4 features", "concat": "5 words of 4 features", "argmax": f"rows [{rows}]",
        "return-sequences": "(1, 5, 4)", "data-format": "(1, 5, 4)", "masking": "(1, 7, 4)",
    }[sid]
    assert expected in part_text(page, sid, "status")
    if sid in ("concat", "data-format", "argmax"):
        assert z_values(page, sid)[0] == answer["x"]
    if sid == "masking":
        assert z_values(page, sid)[0] == answer["masking"]["x"] == answer["x"] + [[0.0] * 4] * 2


@pytest.mark.parametrize("sid", NEXT)
def test_deep_links_land_on_their_section(page, sid):
    page.goto(f"/#{sid}")
    wait_settled(page)
    wait_section(page, sid)
    top, bottom_reached = page.evaluate(
        """id => [document.getElementById(id).getBoundingClientRect().top,
                  Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight - 1]""",
        sid,
    )
    assert -2 <= top <= 40 or (bottom_reached and 0 <= top < 768 / 2), top


def test_nav_links_to_every_next_section(page):
    open_page(page)
    links = page.locator(".next-nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert links == [f"#{sid}" for sid in NEXT]


@pytest.mark.parametrize("sid", ["flatten", "concat", "argmax", "data-format", "masking"])
def test_the_numbers_open_by_keyboard(page, sid):
    open_page(page)
    show(page, sid)
    summary = page.locator(f"#{sid} .guide-numbers summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator(f"#{sid} .guide-numbers").evaluate("d => d.open")
    assert page.locator(f"#{sid} .guide-numbers table").first.is_visible()


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)])
def test_next_sections_fit_the_width_and_pass_axe(browser, base_url, size):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, base_url=base_url, bypass_csp=True)
    page = context.new_page()
    try:
        open_page(page)
        for sid in NEXT:
            show(page, sid)
        page.locator("#sections-next details").evaluate_all("els => els.forEach(d => d.open = true)")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= size[0], f"the page scrolls sideways: {width} > {size[0]}"
        for sid in NEXT:
            box = by_id(page, f"view-{sid}").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= size[0] + 0.5, (sid, box)
        results = Axe().run(page, context={"include": [["#sections-next"]]})
        bad = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert bad == [], bad
    finally:
        context.close()
