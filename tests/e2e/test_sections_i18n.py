"""The guided sections in the learner's language (issue 19): every text of
the twelve sections from the catalogs (pseudo-locale), no text clipped when
it is 40% longer, and Spanish and Chinese pages saying what the catalogs say
for the numbers the API answers.

Each test opens its own browser context (a language chosen by the link, not
by the menu, whose cookie would follow the rest of the run).
"""
from __future__ import annotations

import pytest
from babel.lists import format_list

from pooling.i18n import PSEUDO_CLOSE, PSEUDO_OPEN, messages

from .test_page import by_id, renders, wait_settled
from .test_sections import post, show, vector_text, wait_section
from .untranslated import untranslated

SECTIONS = [
    "equivalence", "shift", "batch", "gradient", "model", "textcnn",
    "flatten", "concat", "argmax", "return-sequences", "data-format", "masking",
]
SIZES = [{"width": 1024, "height": 768}, {"width": 390, "height": 844}]
CLASSIC = {"preset": "classic", "layer": "max", "pool_size": 2, "strides": 1, "padding": "valid"}

# Every visible text element of the sections whose box is narrower or lower
# than its text (tables and programs scroll in boxes of their own, by design).
CLIPPED = """() => {
  const out = [];
  const selector = "h2, h3, p, li, label, button, summary, a, caption, q, .guide-status, .guide-note";
  for (const el of document.querySelectorAll(`#sections :is(${selector})`)) {
    if (!el.checkVisibility() || el.clientWidth === 0) continue;
    const style = getComputedStyle(el);
    if (style.display === "inline") continue;
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
      out.push(`${el.tagName} ${el.textContent.slice(0, 60)} ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}`);
    }
  }
  // Nothing of the sections runs past the window's right edge (a box that scrolls on its own holds it).
  // Plotly's drawings are left out: their texts are SVG, laid out by Plotly, not by the page.
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  for (const el of document.querySelectorAll("#sections *")) {
    if (el.closest("svg") || !el.checkVisibility() || el.getBoundingClientRect().right <= innerWidth + 1) continue;
    let box = el.parentElement;
    while (box && box.id !== "sections" && !scrolls(box)) box = box.parentElement;
    if (!box || box.id === "sections") {
      const where = el.closest("section")?.id;
      out.push(`${el.tagName} in ${where} ${el.closest("[data-part]")?.dataset.part} runs to ${el.getBoundingClientRect().right}`);
    }
  }
  return out;
}"""


@pytest.fixture
def pages(browser, base_url):
    """New pages, each in its own context: (language link, viewport, bypass_csp)."""
    contexts = []

    def open_page(query: str, viewport=None, bypass_csp: bool = False):
        context = browser.new_context(
            viewport=viewport or SIZES[0], base_url=base_url, bypass_csp=bypass_csp,
        )
        contexts.append(context)
        page = context.new_page()
        page.goto(f"/?{query}")
        wait_settled(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


def show_all(page) -> None:
    """Scroll to every section, as a learner would, so each loads and draws; open every "numbers" and note."""
    for sid in SECTIONS:
        show(page, sid)
    page.evaluate("() => document.querySelectorAll('#sections details').forEach((d) => { d.open = true; })")


# The sections whose data depends on the tool's layer and on its padding (the
# others keep what they drew: the question's own shape, the sentence alone, the full window).
FOLLOW_LAYER = ["equivalence", "shift", "batch", "gradient", "textcnn"]
FOLLOW_PADDING = ["shift", "batch", "gradient", "textcnn"]


def redraw_all(page, action, follows) -> None:
    """Change the tool, show every section in turn, and wait until those in `follows` have drawn again."""
    before = {sid: page.evaluate("id => Number(document.getElementById(id).dataset.renders || 0)", sid) for sid in SECTIONS}
    settled = renders(page)
    action()
    wait_settled(page, settled)
    for sid in SECTIONS:
        page.evaluate("id => document.getElementById(id).scrollIntoView()", sid)
        if sid in follows:
            wait_section(page, sid, before[sid])
        page.wait_for_function("id => !document.getElementById(id).dataset.busy", arg=sid)


def code_words(base_url) -> set[str]:
    """Layer calls and filter names the API answers and the tables show as Keras writes them, word by word."""
    found: set[str] = set()

    def walk(value, key=None):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in ("call", "name"):
            found.update(value.split())

    walk(post(base_url, "/api/model", {}))
    walk(post(base_url, "/api/questions", {"preset": "classic"}))
    walk(post(base_url, "/api/batch", {"preset": "pitfall"}))
    walk(post(base_url, "/api/textcnn", {**CLASSIC, "filters": 2, "filter_seed": 0}))
    # Built by the sections themselves: the equivalence's full window and keepdims, the wrong axis.
    found.update(f"MaxPooling1D(pool_size={n})" for n in range(1, 65))
    found.update(f"AveragePooling1D(pool_size={n})" for n in range(1, 65))
    found.update(["GlobalMaxPooling1D(keepdims=True)", "GlobalAveragePooling1D(keepdims=True)",
                  'GlobalMaxPooling1D(data_format="channels_first")'])
    return found


def words_of(page) -> set[str]:
    """The learner's data on the page: the sentence and the sections' own inputs, word by word."""
    texts = page.evaluate(
        """() => [document.querySelector('[data-testid="sentence"]').value,
            ...[...document.querySelectorAll('#sections input, #sections textarea')].map((e) => e.value),
            ...[...document.querySelectorAll('#sections q')].map((e) => e.textContent)]"""
    )
    return {word.strip("'\"") for text in texts for word in text.replace(PSEUDO_OPEN, " ").replace(PSEUDO_CLOSE, " ").split()}


def assert_all_from_catalogs(page, base_url, allow=()) -> None:
    allowed = words_of(page) | code_words(base_url) | set(allow)
    assert untranslated(page, allow=allowed, root="#sections") == []
    assert page.evaluate(CLIPPED) == []


def status(page, sid) -> str:
    return page.locator(f'#{sid} [data-part="status"]').text_content()


def note(page, sid) -> str:
    return page.locator(f'#{sid} [data-part="note"]').text_content()


# ---- the pseudo-locale: every text from a catalog, none clipped --------------------------------

@pytest.mark.parametrize("viewport", SIZES, ids=lambda v: f"{v['width']}x{v['height']}")
def test_every_section_text_comes_from_a_catalog_and_fits(pages, base_url, viewport):
    page = pages("lang=en-XA", viewport)
    show_all(page)
    assert_all_from_catalogs(page, base_url)
    # The layer and the padding: the sections follow, and their other words show.
    redraw_all(page, lambda: by_id(page, "layer").select_option("average"), FOLLOW_LAYER)
    assert page.locator('#equivalence [data-layer="average"]').first.is_visible()
    assert_all_from_catalogs(page, base_url)
    redraw_all(page, lambda: by_id(page, "padding").select_option("same"), FOLLOW_PADDING)
    assert_all_from_catalogs(page, base_url)


def test_ties_the_pitfall_and_errors_come_from_catalogs(pages, base_url):
    page = pages("lang=en-XA&preset=ties")
    show_all(page)
    assert "f0" in by_id(page, "argmax-winners").text_content()
    assert_all_from_catalogs(page, base_url)
    # The pitfall preset: its hand-written sentences are data.
    show(page, "batch")
    before = page.evaluate("() => Number(document.getElementById('batch').dataset.renders)")
    by_id(page, "batch-pitfall").click()
    wait_section(page, "batch", before)
    pitfall = post(base_url, "/api/batch", {"preset": "pitfall"})
    assert pitfall["global_max"]["padding_won"] and any(any(row) for row in pitfall["global_max"]["padding_won"])
    preset_words = {word for s in pitfall["sentences"] for word in s["tokens"]}
    assert_all_from_catalogs(page, base_url, allow=preset_words)
    # A section's own input error, in its status line.
    for sid, test_id, value in [("shift", "shift-roll", "x"), ("textcnn", "textcnn-filters", "99"),
                                ("gradient", "gradient-upstream-global", "1")]:
        show(page, sid)
        before = page.evaluate("id => Number(document.getElementById(id).dataset.renders)", sid)
        by_id(page, test_id).fill(value)
        wait_section(page, sid, before)
        assert page.locator(f'#{sid} [data-part="status"].is-error').is_visible(), sid
    assert_all_from_catalogs(page, base_url, allow=preset_words | {"x", "99"})


# ---- Spanish and Chinese: the catalogs' texts for the API's numbers -------------------------------

@pytest.mark.parametrize("lang", ["es", "zh"])
def test_sections_speak_the_language_of_the_page(pages, base_url, lang):
    m = messages(lang)
    page = pages(f"lang={lang}&preset=classic")
    show_all(page)
    headings = page.locator("#sections h3").all_text_contents()
    assert headings[0] == f"1 {m.t('sections.equivalence.title')}"
    assert headings[6] == f"7 {m.t('sections.flatten.title')}"

    # Section 1: the one window as long as the sentence.
    tokens = post(base_url, "/api/trace", CLASSIC)["tokens"]
    n = len(tokens)
    answer = post(base_url, "/api/trace", {**CLASSIC, "pool_size": n, "strides": None})
    g = answer["global"]
    keep = [g["output_shape"][0], 1, g["output_shape"][1]]
    shapes = [answer["pooling"]["output_shape"], g["output_shape"], keep]
    shape_texts = ["(" + ", ".join("None" if v is None else str(v) for v in s) + ")" for s in shapes]
    assert status(page, "equivalence") == m.t("sections.equivalence.status", words=str(n))
    assert note(page, "equivalence") == m.t(
        "sections.equivalence.same", count=n, call=f"MaxPooling1D(pool_size={n})", vector=vector_text(g["output"]),
        shapes=format_list(shape_texts, locale=lang),
    )

    # Section 5: the two models' parameters, numbers written as the language writes them.
    models = post(base_url, "/api/model", {"steps": 6, "features": 10})["models"]
    totals = {"windowed": models[0]["total_params"], "global": models[1]["total_params"]}
    assert status(page, "model") == m.t("sections.model.status", shape="(6, 10)", **totals)

    # Section 7: Flatten on the sentence above, a counted message holding another.
    questions = post(base_url, "/api/questions", {"preset": "classic"})
    flatten = questions["flatten"]["sentence"]
    global_flatten = next(model for model in flatten["models"] if model["name"] == "global_flatten")
    steps, features = questions["input_shape"][1:]
    assert status(page, "flatten") == m.t(
        "sections.flatten.status", count=steps, features=m.t("sections.flatten.features", count=features),
        shape=f"({steps}, 16)", size=str(steps * 16), params=global_flatten["total_params"],
        pooled=global_flatten["pooled_total_params"],
    )

    # Section 12: the mask, with the padding's counted rows inside.
    masking = questions["masking"]
    zeros = m.t("sections.masking.zero_rows", count=masking["padding"])
    padded = "(" + ", ".join(str(v) for v in masking["padded_shape"]) + ")"
    assert status(page, "masking") == m.t("sections.masking.status", count=steps, zeros=zeros, shape=padded)

    # Section 4 under the average layer: the tie rules the server writes, in the page's language.
    redraw_all(page, lambda: by_id(page, "layer").select_option("average"), FOLLOW_LAYER)
    rules = [
        m.t("sections.gradient.tie_rule", layer="AveragePooling1D", rule=m.t("sections.gradient.tie_rule_average")),
        m.t("sections.gradient.tie_rule", layer="GlobalAveragePooling1D", rule=m.t("sections.gradient.tie_rule_global_average")),
    ]
    assert note(page, "gradient") == " ".join(rules)


@pytest.mark.parametrize("lang", ["es", "zh"])
def test_sections_have_no_serious_axe_violation(pages, lang):
    from axe_playwright_python.sync_playwright import Axe

    page = pages(f"lang={lang}", bypass_csp=True)
    show_all(page)
    assert page.evaluate("() => document.documentElement.lang") == lang
    results = Axe().run(page, context="#sections")
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == []
