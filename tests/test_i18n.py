"""The catalogs (pooling/messages): complete in every language, every id used, every used id there.

And the request's language: a link's ``lang``, then the cookie, then
Accept-Language, then English.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pooling.i18n import (
    LANGUAGES,
    PSEUDO,
    PSEUDO_CLOSE,
    PSEUDO_OPEN,
    Messages,
    catalog,
    placeholders,
    plural_categories,
    tags,
)

ROOT = Path(__file__).resolve().parent.parent
OTHERS = [lang for lang in LANGUAGES if lang != "en"]
ENGLISH = catalog("en")
# Where message ids are written: the page's templates and modules, the web layer, the core.
SOURCES = [
    *ROOT.glob("templates/*.html"),
    *ROOT.glob("static/js/**/*.js"),
    *ROOT.glob("webapp/*.py"),
    *ROOT.glob("pooling/*.py"),
    ROOT / "gunicorn.conf.py",
]
# A call that looks a message up by a literal id: t("x.y"), t_html('x.y'), messages.t("x.y").
CALL = re.compile(r"""\bt(?:_html)?\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_-]+)+)["']""")
LITERAL = re.compile(r"""["'`]([a-z0-9_]+(?:\.[a-z0-9_-]+)+)["'`]""")


def _source_text() -> str:
    # The catalog modules' own examples are not uses.
    own = {ROOT / "pooling/i18n.py", ROOT / "static/js/i18n.js"}
    return "\n".join(path.read_text(encoding="utf-8") for path in SOURCES if path not in own)


@pytest.mark.parametrize("lang", OTHERS)
def test_every_language_has_exactly_the_english_ids(lang):
    other = catalog(lang)
    assert sorted(set(ENGLISH) - set(other)) == [], f"missing in {lang}"
    assert sorted(set(other) - set(ENGLISH)) == [], f"in {lang} but not in English"


@pytest.mark.parametrize("lang", OTHERS)
def test_placeholders_and_markup_are_the_same_in_every_language(lang):
    other = catalog(lang)
    for key, text in ENGLISH.items():
        if key in other:
            assert placeholders(other[key]) == placeholders(text), key
            assert tags(other[key]) == tags(text), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_counted_message_has_every_plural_category_of_its_language(lang):
    wanted = plural_categories(lang)
    for key, text in catalog(lang).items():
        counted = isinstance(ENGLISH.get(key), dict)
        assert isinstance(text, dict) == counted, f"{key}: counted in English, so counted in {lang} too (and not otherwise)"
        if counted:
            assert set(text) == wanted, f"{key} in {lang}: {sorted(text)} but the language has {sorted(wanted)}"
            assert "count" in placeholders(text), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_only_html_ids_hold_markup_and_texts_are_not_empty(lang):
    for key, text in catalog(lang).items():
        forms = text.values() if isinstance(text, dict) else [text]
        for form in forms:
            assert isinstance(form, str) and form.strip(), key
            if not key.endswith("_html"):
                assert tags(form) == [], f"{key} holds markup: call it {key}_html"


def test_every_message_id_is_used_somewhere():
    used = set(LITERAL.findall(_source_text()))
    assert sorted(set(ENGLISH) - used) == []


def test_every_id_looked_up_is_in_the_catalog():
    asked = set(CALL.findall(_source_text()))
    assert sorted(asked - set(ENGLISH)) == []


def test_the_pseudo_locale_marks_and_lengthens_every_english_text():
    pseudo = catalog(PSEUDO)
    assert set(pseudo) == set(ENGLISH)
    for key, text in ENGLISH.items():
        forms = text.items() if isinstance(text, dict) else [(None, text)]
        for form, english in forms:
            marked = pseudo[key][form] if form else pseudo[key]
            assert marked.startswith(PSEUDO_OPEN + english) and marked.endswith(PSEUDO_CLOSE)
            assert placeholders(marked) == placeholders(english)
            assert len(marked) >= len(english) * 1.3 or len(english) < 10


def test_numbers_and_plurals_follow_the_language():
    assert Messages("en").number(10000) == "10,000"
    assert Messages("es").number(1000) == "1000"  # CLDR: Spanish groups from five digits
    assert Messages("es").number(10000) == "10.000"
    assert Messages("zh").number(10000) == "10,000"


def test_a_missing_id_or_placeholder_is_an_error():
    with pytest.raises(KeyError, match="no message"):
        Messages("en").t("no.such-id")
    with pytest.raises(ValueError, match="lang must be one of"):
        Messages("fr")


@pytest.mark.parametrize(
    ("query", "cookie", "accept", "expected"),
    [
        ("", None, None, "en"),
        ("", None, "es-ES,es;q=0.9,en;q=0.8", "es"),
        ("", None, "zh-CN,zh;q=0.9", "zh"),
        ("", None, "fr-FR,fr;q=0.9", "en"),
        ("", None, "fr-FR,zh-TW;q=0.8,es;q=0.5", "zh"),
        ("", "es", "zh-CN", "es"),
        ("?lang=zh", "es", "en", "zh"),
        ("?lang=xx", "es", "en", "es"),
        ("?lang=en-XA", None, None, "en-XA"),
    ],
)
def test_the_page_is_in_the_language_the_request_asks_for(client, query, cookie, accept, expected):
    if cookie:
        client.set_cookie("lang", cookie)
    response = client.get(f"/{query}", headers={"Accept-Language": accept} if accept else {})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<html lang="{expected}" dir="ltr">' in html
    assert response.headers["Content-Language"] == expected
    assert "Accept-Language" in response.headers["Vary"]
    heading = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert heading == str(Messages(expected).t("page.heading")).replace("'", "&#39;")
    assert f'<option value="{expected}"' not in html or re.search(rf'<option value="{expected}"[^>]*selected', html)


@pytest.mark.parametrize("lang", [*LANGUAGES, PSEUDO])
def test_the_page_embeds_the_messages_its_modules_name_and_no_others(client, lang):
    html = client.get(f"/?lang={lang}").get_data(as_text=True)
    embedded = json.loads(re.search(r'<script type="application/json" id="messages">(.*?)</script>', html, re.S).group(1))
    scripts = "\n".join(path.read_text(encoding="utf-8") for path in ROOT.glob("static/js/**/*.js"))
    called = set(CALL.findall(scripts)) - {"caption.window"}  # i18n.js's own example
    named = set(LITERAL.findall(scripts)) & set(ENGLISH)
    assert embedded["lang"] == lang
    assert set(embedded["messages"]) == named
    assert called <= set(embedded["messages"])
    assert embedded["messages"] == {key: catalog(lang)[key] for key in named}
    # The server-written texts stay on the server: an error message, a section paragraph.
    assert "errors.body.not_json" not in embedded["messages"]
