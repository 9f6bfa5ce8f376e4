"""The tool in the learner's language (issue 19): Spanish, Chinese, and the pseudo-locale.

Each test opens its own browser context, with the browser's language
(``locale``, sent as Accept-Language) or ``?lang=`` in the link, so no
language cookie reaches the session's shared context. Expected texts come
from the catalogs through :mod:`pooling.i18n`, filled with numbers worked out
here from the example's vectors, never copied from the page.
"""
from __future__ import annotations

from contextlib import contextmanager

import pytest

from pooling import PRESETS
from pooling.i18n import messages

from .test_page import by_id, wait_settled
from .untranslated import untranslated

PROJECTOR = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
SIZES = {"1024x768": PROJECTOR, "390x844": PHONE}
# Not this file's room: the guided sections, predict-then-reveal, the quiz and the worksheet have their own tests.
OTHER_ROOMS = "#sections, .worksheet, [data-testid=predict-panel], [data-testid=quiz]"
HIDE_OTHER_ROOMS = f"() => {{ for (const e of document.querySelectorAll({OTHER_ROOMS!r})) e.hidden = true; }}"


@contextmanager
def opened(browser, base_url, query="", locale=None, viewport=PROJECTOR, **options):
    """A page of a context of its own, settled on ``/{query}``."""
    context = browser.new_context(base_url=base_url, viewport=viewport, locale=locale, **options)
    try:
        page = context.new_page()
        page.goto(f"/{query}")
        wait_settled(page)
        yield page
    finally:
        context.close()


def html_lang(page) -> str:
    return page.evaluate("() => document.documentElement.lang")


def short(value: float) -> str:
    """A value as the page's numbers write it (heatmap.js shortNumber: at most two decimals, no trailing zeros)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def classic_first_caption(lang: str) -> str:
    """The caption of window 1 of the classic example under MaxPooling1D(pool_size=2), worked out from its vectors."""
    m = messages(lang)
    preset = PRESETS["classic"]
    rows = [0, 1]
    quoted = lambda word: m.t("caption.word.quoted", word=word)  # noqa: E731
    parts = []
    for f in range(preset.features):
        values = [preset.embeddings[r][f] for r in rows]
        best = max(values)
        winner = rows[values.index(best)]
        parts.append(m.t("caption.part.max", name=f"f{f}", value=short(best), source=quoted(preset.tokens[winner])))
    return m.t(
        "caption.window.words",
        index="1",
        total=str(len(preset.tokens) - 1),
        words=quoted(" ".join(preset.tokens[r] for r in rows)),
        span=m.t("caption.words.span", first="1", last="2"),
        note="",
        parts=m.t("caption.list.parts_separator").join(parts),
    )


# ---- the page's language ------------------------------------------------------


@pytest.mark.parametrize(("locale", "expected"), [("es-ES", "es"), ("zh-CN", "zh"), ("en-US", "en"), ("fr-FR", "en")])
def test_the_page_opens_in_the_browsers_language(browser, base_url, locale, expected):
    with opened(browser, base_url, locale=locale) as page:
        assert html_lang(page) == expected
        assert by_id(page, "lang").input_value() == expected
        assert page.locator("h1").inner_text() == messages(expected).t("page.heading")


@pytest.mark.parametrize("lang", ["es", "zh"])
def test_a_link_with_lang_wins_over_the_browsers_language(browser, base_url, lang):
    with opened(browser, base_url, f"?lang={lang}", locale="en-US") as page:
        assert html_lang(page) == lang
        assert by_id(page, "share").inner_text() == messages(lang).t("page.share.label")


@pytest.mark.parametrize("lang", ["en", "es", "zh"])
def test_the_caption_is_the_catalogs_sentence_for_the_examples_numbers(browser, base_url, lang):
    with opened(browser, base_url, f"?lang={lang}") as page:
        assert by_id(page, "caption").inner_text() == classic_first_caption(lang)


@pytest.mark.parametrize("lang", ["es", "zh"])
def test_the_presets_and_their_lessons_are_in_the_pages_language(browser, base_url, lang):
    m = messages(lang)
    with opened(browser, base_url, f"?lang={lang}&preset=single") as page:
        titles = by_id(page, "preset").locator("option").all_inner_texts()
        assert titles[: len(PRESETS)] == [m.t(f"page.preset.{name}.title") for name in PRESETS]
        assert titles[-1] == m.t("page.preset.custom")
        # The line under the controls is the lesson told with the numbers on screen: 'great' holds every maximum.
        vector = "[" + ", ".join(short(v) for v in PRESETS["single"].embeddings[2]) + "]"
        expected = m.t("caption.lesson.single.max", vector=vector, word=m.t("caption.word.quoted", word="great"))
        assert by_id(page, "teaches").text_content() == expected
        # The example's sentence stays as written: its numbers belong to its words.
        assert by_id(page, "sentence").input_value() == PRESETS["single"].sentence


@pytest.mark.api_errors
@pytest.mark.parametrize("locale", ["es-ES", "zh-CN"])
def test_an_empty_sentence_shows_the_apis_error_in_the_pages_language(browser, base_url, locale):
    with opened(browser, base_url, locale=locale) as page:
        lang = html_lang(page)
        answer = page.request.post(
            "/api/trace", data={"sentence": "", "pool_size": 2, "strides": 1}, headers={"Accept-Language": lang}
        )
        assert answer.status == 400
        by_id(page, "sentence").fill("")
        by_id(page, "error").wait_for(state="visible")
        assert by_id(page, "error").inner_text() == answer.json()["error"]


# ---- a lesson link carries the language --------------------------------------


def test_a_lesson_link_in_chinese_round_trips(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport=PROJECTOR, locale="en-US")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto("/?lang=zh&preset=ties&layer=average")
        wait_settled(page)
        assert html_lang(page) == "zh"
        by_id(page, "share").click()
        page.wait_for_function("() => document.querySelector('[data-testid=share-status]').textContent !== ''")
        assert by_id(page, "share-status").inner_text() == messages("zh").t("page.share.copied")
        link = page.evaluate("() => navigator.clipboard.readText()")
        assert "lang=zh" in link

        # The copied link opens in Chinese in a browser that says English, on the same view.
        with opened(browser, base_url, link.removeprefix(base_url).lstrip("/"), locale="en-US") as other:
            assert html_lang(other) == "zh"
            assert by_id(other, "preset").input_value() == "ties"
            assert by_id(other, "layer").input_value() == "average"

        # Choosing Spanish reloads the page in Spanish with the same view.
        with page.expect_navigation():
            by_id(page, "lang").select_option("es")
        wait_settled(page)
        assert html_lang(page) == "es"
        assert "lang=es" in page.url
        assert by_id(page, "preset").input_value() == "ties"
        assert by_id(page, "layer").input_value() == "average"

        # A change, then Back: the earlier view, still in Spanish.
        by_id(page, "layer").select_option("max")
        page.wait_for_function("() => new URL(location.href).searchParams.get('layer') !== 'average'")
        wait_settled(page)
        page.go_back()
        page.wait_for_function("() => document.querySelector('[data-testid=layer]').value === 'average'")
        assert html_lang(page) == "es"
        assert "lang=es" in page.url
        assert by_id(page, "play").inner_text().endswith(messages("es").t("page.player.play"))
    finally:
        context.close()


# ---- the pseudo-locale: every visible string from a catalog, and room for longer ones ----

# Words of the tests' data that show as they are: the examples' sentences.
DATA_WORDS = {word for preset in PRESETS.values() for word in preset.tokens} | {"the", "boy", "will", "live"}

# Every text element of the tool whose box is smaller than its text (clipped), as "testid-or-tag: text".
CLIPPED = """(rooms) => {
  const out = [];
  for (const el of document.querySelectorAll(rooms)) {
    if (!el.checkVisibility() || el.closest(".js-plotly-plot, .visually-hidden, .numbers")) continue;
    const style = getComputedStyle(el);
    if (style.overflow === "visible" && style.textOverflow !== "ellipsis") {
      // Visible overflow: clipped only where its box is cut by the viewport.
      const r = el.getBoundingClientRect();
      if (r.right > innerWidth + 1 || r.left < -1) out.push(`${el.dataset.testid ?? el.tagName}: off screen: ${el.textContent.trim().slice(0, 40)}`);
      continue;
    }
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
      out.push(`${el.dataset.testid ?? el.tagName}: ${el.textContent.trim().slice(0, 40)}`);
    }
  }
  if (document.documentElement.scrollWidth > innerWidth + 1) out.push(`page: scrolls sideways (${document.documentElement.scrollWidth}px)`);
  return out;
}"""
TOOL_TEXTS = (
    ".masthead button, .masthead summary, .masthead select, .menu-items button, .controls label, .controls select,"
    " .controls input, .teaches, .error, .shapes, .contrast, .numbers-button, .global-summary, .player button,"
    " .player label, .player select, .caption, .summary, .keys, .notice"
)

# Tool states: (name, query, what to do once settled).
STATES = [
    ("max-valid", "", None),
    ("average-same", "&layer=average&padding=same&pool_size=3", None),
    ("ties", "&preset=ties", None),
    ("numbers-open", "&layer=average&padding=same&pool_size=3", "numbers"),
    ("presentation", "&present=1", None),
    ("files-menu", "", "files"),
]


def bring_on_screen(page, action):
    if action == "numbers":
        for button in ("sliding-numbers-button", "global-numbers-button"):
            by_id(page, button).click()
    elif action == "files":
        by_id(page, "files").click()
        by_id(page, "export-svg").wait_for(state="visible")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("state", "query", "action"), STATES, ids=[s[0] for s in STATES])
def test_every_visible_string_of_the_tool_comes_from_a_catalog(browser, base_url, size, state, query, action):
    with opened(browser, base_url, f"?lang=en-XA{query}", viewport=SIZES[size]) as page:
        page.evaluate(HIDE_OTHER_ROOMS)
        bring_on_screen(page, action)
        assert untranslated(page, allow=DATA_WORDS) == []


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en-XA", "es", "zh"])
@pytest.mark.parametrize(("state", "query", "action"), STATES, ids=[s[0] for s in STATES])
def test_longer_strings_clip_nothing(browser, base_url, size, lang, state, query, action):
    with opened(browser, base_url, f"?lang={lang}{query}", viewport=SIZES[size]) as page:
        bring_on_screen(page, action)
        assert page.evaluate(CLIPPED, TOOL_TEXTS) == []


def test_a_wrong_setting_in_a_link_is_named_in_the_pages_language(browser, base_url):
    with opened(browser, base_url, "?lang=en-XA&pool_size=zero&colour=red") as page:
        page.evaluate(HIDE_OTHER_ROOMS)
        by_id(page, "notice").wait_for(state="visible")
        assert untranslated(page, allow=DATA_WORDS | {"colour", "zero", "pool_size=zero"}) == []


# ---- the language menu fits the header -----------------------------------------


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768), (390, 844)], ids=["1024x768", "1366x768", "390x844"])
@pytest.mark.parametrize("lang", ["en", "es", "zh"])
def test_the_language_menu_fits_the_header(browser, base_url, size, lang):
    width, height = size
    with opened(browser, base_url, f"?lang={lang}", viewport={"width": width, "height": height}) as page:
        menu = by_id(page, "lang").bounding_box()
        header = page.locator(".masthead").bounding_box()
        assert menu["x"] >= header["x"] - 1 and menu["x"] + menu["width"] <= header["x"] + header["width"] + 1
        assert menu["y"] >= header["y"] - 1 and menu["y"] + menu["height"] <= header["y"] + header["height"] + 1
        # Nothing else in the header sits on it.
        others = page.evaluate(
            """() => [...document.querySelectorAll('.masthead > *:not(.lang-menu)')]
                .filter((e) => e.checkVisibility()).map((e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""
        )
        left, top, right, bottom = menu["x"], menu["y"], menu["x"] + menu["width"], menu["y"] + menu["height"]
        assert [o for o in others if o[0] < right - 1 and o[2] > left + 1 and o[1] < bottom - 1 and o[3] > top + 1] == []


def test_presentation_and_embedded_views_keep_the_menu_as_before(browser, base_url):
    with opened(browser, base_url, "?lang=es&present=1") as page:
        assert by_id(page, "lang").is_visible()
        assert html_lang(page) == "es"
    with opened(browser, base_url, "?lang=es&embed=1") as page:
        # An embedded frame has no header, so no menu: the link's language is the frame's.
        assert not by_id(page, "lang").is_visible()
        assert html_lang(page) == "es"


# ---- axe per language -----------------------------------------------------------


@pytest.mark.parametrize("lang", ["es", "zh"])
def test_the_tool_has_no_serious_axe_violation_in_each_language(browser, base_url, lang):
    from .test_access import violations

    with opened(browser, base_url, f"?lang={lang}", viewport={"width": 1366, "height": 768}, bypass_csp=True) as page:
        assert violations(page) == []
        by_id(page, "layer").select_option("average")
        wait_settled(page, 1)
        assert violations(page) == []


# ---- the offline export keeps the language ------------------------------------------


@pytest.mark.parametrize("lang", ["es", "zh"])
def test_the_offline_export_plays_in_the_pages_language(browser, base_url, lang, tmp_path):
    from .test_exports import download

    with opened(browser, base_url, f"?lang={lang}") as page:
        ((name, body),) = download(page, "export-html")
    path = tmp_path / name
    path.write_bytes(body)
    offline = browser.new_context(offline=True, viewport=PROJECTOR)
    try:
        other = offline.new_page()
        problems = []
        other.on("pageerror", lambda error: problems.append(str(error)))
        other.goto(path.as_uri())
        other.wait_for_function("() => document.body.dataset.step === '0'")
        assert html_lang(other) == lang
        assert by_id(other, "caption").text_content() == classic_first_caption(lang)
        assert other.locator("h1").inner_text() == messages(lang).t("page.heading")
        assert problems == []
    finally:
        offline.close()
