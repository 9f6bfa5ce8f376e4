"""Predict mode, the quiz and the worksheet in the learner's language.

In the pseudo-locale (en-XA) every text of these parts must come from a
catalog; in Spanish and Chinese the feedback and the quiz are the catalog's
own sentences, filled with numbers worked out here by hand from the classic
example. Every test opens a browser context of its own (a language chosen in
the shared one would follow every later test of the run).
"""
from __future__ import annotations

import contextlib
import re

import pytest

from pooling.i18n import messages

from .test_page import CLASSIC_X, by_id, renders, wait_settled
from .untranslated import untranslated

TOKENS = ["the", "boy", "will", "live"]
SIZES = [(1024, 768), (390, 844)]
# The parts of the page this test answers for: predict mode, its caption while a
# window is to be predicted, the learner's results line, the quiz, the worksheet.
# (CSS selectors.) The worksheet's toolbar is the page's, its pages are worksheet.js's.
ROOM = ["[data-testid=predict-panel]", "[data-testid=results-status]", "[data-testid=quiz]"]
CAPTION = "[data-testid=caption]"
WORKSHEET = ["[data-testid=worksheet-sheet] [data-part=pages]"]

# Everything outside `roots` is set aside for untranslated(): the rest of the
# page (the header, the tool's controls, the sections) belongs to other tests.
# The global feedback's last line is the global view's own summary
# (caption.js's globalSummary), tested with the captions; its attributes too.
_SCOPE = """(ids) => {
  for (const el of document.querySelectorAll("[data-scoped]")) {
    el.removeAttribute("translate");
    el.removeAttribute("data-scoped");
    for (const name of ["title", "aria-label", "placeholder", "alt"]) {
      if (el.hasAttribute(`data-scoped-${name}`)) {
        el.setAttribute(name, el.getAttribute(`data-scoped-${name}`));
        el.removeAttribute(`data-scoped-${name}`);
      }
    }
  }
  const roots = ids.map((selector) => document.querySelector(selector)).filter(Boolean);
  const aside = (el, text = true) => {
    if (text) el.setAttribute("translate", "no");
    el.dataset.scoped = "";
    for (const name of ["title", "aria-label", "placeholder", "alt"]) {
      if (el.hasAttribute(name)) {
        el.setAttribute(`data-scoped-${name}`, el.getAttribute(name));
        el.removeAttribute(name);
      }
    }
  };
  for (const el of document.body.querySelectorAll("*")) {
    if (roots.some((root) => root.contains(el))) continue;
    // Around a part: its own labels are another part's; the text inside is ours.
    aside(el, !roots.some((root) => el.contains(root)));
  }
  const summary = document.querySelector("[data-testid=predict-global-feedback] li:last-child:not([data-right])");
  if (summary) aside(summary);
}"""

# Text that does not fit its box (wider or taller than the box shows), or runs off the screen.
_CLIPPED = """(ids) => ids.flatMap((selector) => {
  const root = document.querySelector(selector);
  if (!root || !root.checkVisibility()) return [];
  return [root, ...root.querySelectorAll("*")]
    .filter((e) => e.checkVisibility() && e.clientWidth > 1 && e.textContent.trim() && !e.closest(".visually-hidden"))
    .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1
      || e.getBoundingClientRect().right > innerWidth + 1)
    .map((e) => `${e.tagName} ${e.className} ${e.scrollWidth}x${e.scrollHeight} in ${e.clientWidth}x${e.clientHeight}: ${e.textContent.slice(0, 60)}`);
})"""


@contextlib.contextmanager
def language_page(browser, base_url, size=(1366, 768), locale=None, **options):
    """A page in a context of its own; fails on any script error (a missing message throws)."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, base_url=base_url, locale=locale, **options)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert errors == []


def open_page(page, query):
    page.goto(f"/{query}")
    wait_settled(page)


def stray(page, roots=ROOM):
    page.evaluate(_SCOPE, roots)
    return untranslated(page, allow=TOKENS)


def clipped(page, roots=ROOM):
    return page.evaluate(_CLIPPED, roots)


def check(page, button="predict-check"):
    before = renders(page)
    by_id(page, button).click()
    wait_settled(page, before)


def controls(page, fields):
    return by_id(page, fields).locator("[data-feature]").all()


def choose_each(page, fields, row):
    """Choose word `row` for every feature the form asks about (some right, some wrong)."""
    for control in controls(page, fields):
        control.select_option(str(row))


def lines(page, test_id):
    return [li.text_content() for li in by_id(page, test_id).locator("li").all()]


def assert_all_from_catalogs(page, state, roots=ROOM):
    assert stray(page, roots) == [], state
    assert clipped(page, roots) == [], state


def answer_quiz(page):
    """Each question: Check with no answer, a wrong answer, then the right one."""
    by_id(page, "quiz-open").click()
    by_id(page, "quiz-question").first.wait_for()
    page.wait_for_function("() => !document.querySelector('[data-testid=quiz]').dataset.busy")
    questions = by_id(page, "quiz-question").all()
    kinds = [q.get_attribute("data-kind") for q in questions]
    for question in questions:
        question.get_by_test_id("quiz-check").click()
    assert_all_from_catalogs(page, "the quiz: no answer chosen")
    verdicts = []
    for question in questions:
        feedback = question.get_by_test_id("quiz-feedback")
        seen = []
        for option in question.locator("input[type=radio]").all():
            option.check()
            question.get_by_test_id("quiz-check").click()
            seen.append(feedback.get_attribute("data-right"))
            if seen[-1] == "true":
                break
        verdicts.append(seen)
    assert all(seen[-1] == "true" for seen in verdicts)
    return kinds, verdicts


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_predict_mode_the_quiz_and_the_worksheet_come_from_the_catalogs(browser, base_url, size):
    with language_page(browser, base_url, size) as page:
        open_page(page, "?lang=en-XA&mode=predict")
        assert page.evaluate("() => document.documentElement.lang") == "en-XA"
        # The caption speaks for predict mode while window 1 is to be predicted.
        assert_all_from_catalogs(page, "window 1 to predict", ROOM + [CAPTION])
        by_id(page, "predict-check").click()
        assert len(lines(page, "predict-feedback")) == 1  # choose a word first
        assert_all_from_catalogs(page, "a missing answer")
        # Window 1 covers 'the boy': 'the' wins f1 and loses f0 and f2 (CLASSIC_X).
        choose_each(page, "predict-fields", 0)
        check(page)
        rights = [li.get_attribute("data-right") for li in by_id(page, "predict-feedback").locator("li").all()]
        assert "true" in rights and "false" in rights
        assert_all_from_catalogs(page, "window 1 checked")
        by_id(page, "next").click()
        page.wait_for_function("() => document.body.dataset.step === '1' && !document.body.dataset.busy")
        by_id(page, "predict-title").filter(has_text="2").wait_for()
        choose_each(page, "predict-fields", 2)
        check(page)
        assert_all_from_catalogs(page, "window 2 checked")
        by_id(page, "predict-global-check").click()
        assert_all_from_catalogs(page, "the global vector: a missing answer")
        choose_each(page, "predict-global-fields", 3)
        check(page, "predict-global-check")
        assert len(lines(page, "predict-global-feedback")) >= 2
        assert_all_from_catalogs(page, "the global vector checked")
        by_id(page, "results-copy").click()
        by_id(page, "results-status").filter(has_text="MaxPooling1D").wait_for()
        assert_all_from_catalogs(page, "the results copied")

        kinds, verdicts = answer_quiz(page)
        assert sorted(kinds) == sorted(["shape", "length", "global-winner", "window-cell", "strides-none",
                                        "same-length", "shift", "gradient"])
        assert any(len(seen) > 1 for seen in verdicts), "some question was answered wrong first"
        assert_all_from_catalogs(page, "the quiz answered")

        by_id(page, "files").click()
        by_id(page, "worksheet").click()
        by_id(page, "worksheet-sheet").wait_for(state="visible")
        assert page.locator(".ws-quiz").count() == 2  # the questions, then the answers
        assert_all_from_catalogs(page, "the worksheet", WORKSHEET)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_predicting_means_comes_from_the_catalogs(browser, base_url, size):
    with language_page(browser, base_url, size) as page:
        open_page(page, "?lang=en-XA&mode=predict&layer=average&pool_size=3&padding=same")
        assert_all_from_catalogs(page, "average: window 1 to predict", ROOM + [CAPTION])
        fields = controls(page, "predict-fields")
        fields[0].fill("not a number")
        by_id(page, "predict-check").click()
        assert_all_from_catalogs(page, "average: not a number")
        for i, field in enumerate(fields):
            field.fill("0.75" if i == 0 else "0")
        check(page)
        assert_all_from_catalogs(page, "average: window 1 checked")
        for field in controls(page, "predict-global-fields"):
            field.fill("0.1")
        check(page, "predict-global-check")
        assert_all_from_catalogs(page, "average: the global vector checked")
        by_id(page, "files").click()
        by_id(page, "worksheet").click()
        by_id(page, "worksheet-sheet").wait_for(state="visible")
        assert_all_from_catalogs(page, "the worksheet", WORKSHEET)


def mean_text(values):
    """A mean as the page writes it, worked out here: '0.75 = (0.7 + 0.8) / 2'."""
    def short(v):
        text = f"{round(v, 2):.2f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text

    parts = [short(values[0])] + [f"- {short(-v)}" if v < 0 else f"+ {short(v)}" for v in values[1:]]
    return f"{short(sum(values) / len(values))} = ({' '.join(parts)}) / {len(values)}"


@pytest.mark.parametrize(("locale", "lang"), [("es-ES", "es"), ("zh-CN", "zh")])
def test_the_feedback_and_the_quiz_are_the_catalogs_in_spanish_and_chinese(browser, base_url, locale, lang):
    m = messages(lang)
    with language_page(browser, base_url, locale=locale, bypass_csp=True) as page:
        open_page(page, "?mode=predict&layer=average")
        assert page.evaluate("() => document.documentElement.lang") == lang
        assert by_id(page, "predict-title").text_content() == m.t("predict.title.mean", index=1, total=3)
        assert by_id(page, "predict-score").text_content() == m.t("predict.score.none")
        # Window 1 covers rows 0 and 1: f0 right, f1 wrong (said 0), f2 right.
        guesses = {0: "0.75", 1: "0", 2: "0.15"}
        for f, guess in guesses.items():
            by_id(page, f"predict-f{f}").fill(guess)
        check(page)
        expected = []
        for f, guess in guesses.items():
            how = mean_text([CLASSIC_X[0][f], CLASSIC_X[1][f]])
            mean = float(how.split(" =")[0])
            if abs(float(guess) - mean) < 0.005:
                expected.append(m.t("predict.mean.right", feature=f"f{f}", how=how))
            else:
                expected.append(m.t("predict.mean.wrong", feature=f"f{f}", how=how, guess=guess))
        assert lines(page, "predict-feedback") == expected
        assert by_id(page, "predict-score").text_content() == m.t("predict.score.windows", right=2, total=3)

        # Max: the forms ask in the language, and a missing answer says so.
        open_page(page, "?mode=predict")
        assert by_id(page, "predict-title").text_content() == m.t("predict.title.max", index=1, total=3)
        assert by_id(page, "predict-global-title").text_content() == m.t("predict.global_title.max")
        by_id(page, "predict-check").click()
        assert lines(page, "predict-feedback") == [m.t("predict.missing.max", feature="f0")]
        by_id(page, "quiz-open").click()
        by_id(page, "quiz-question").first.wait_for()
        page.wait_for_function("() => !document.querySelector('[data-testid=quiz]').dataset.busy")
        length = page.locator("[data-testid=quiz-question][data-kind=length]")
        call = 'MaxPooling1D(pool_size=2, strides=1, padding="valid")'
        assert length.locator("legend").text_content() == m.t("quiz.length.prompt", call=call, count=4)
        length.get_by_test_id("quiz-check").click()
        assert length.get_by_test_id("quiz-feedback").text_content() == m.t("quiz.choose_first")
        formula = "floor((steps - pool_size) / strides) + 1 = floor((4 - 2) / 1) + 1 = 3"
        length.locator("label").filter(has_text=re.compile(r"^\s*2\s*$")).locator("input").check()
        length.get_by_test_id("quiz-check").click()
        assert length.get_by_test_id("quiz-feedback").text_content() == m.t(
            "quiz.wrong", answer="3", explanation=m.t("quiz.length.why", formula=formula)
        )

        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(page)
        serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
                   if v["impact"] in ("serious", "critical")]
        assert serious == []
