"""The tool's texts in the request's language on the server's side: presets, the page, the offline export."""
from __future__ import annotations

import gzip
import json
import re

import pytest

from pooling import PRESETS
from pooling.i18n import LANGUAGES, messages
from webapp.standalone import standalone_html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_presets_title_and_lesson_come_from_the_catalog_and_its_sentence_stays(lang):
    for name, preset in PRESETS.items():
        shown = preset.to_dict(lang)
        assert shown["title"] == messages(lang).t(f"page.preset.{name}.title")
        assert shown["teaches"] == messages(lang).t(f"page.preset.{name}.teaches")
        assert shown["sentence"] == preset.to_dict("en")["sentence"]


def test_the_english_titles_are_the_menus_words():
    assert [p.to_dict()["title"] for p in PRESETS.values()] == ["The boy will live", "All negative", "Ties", "One strong word"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_boots_with_the_presets_in_its_language(client, lang):
    html = client.get(f"/?lang={lang}").get_data(as_text=True)
    boot = json.loads(re.search(r'id="boot">(.*?)</script>', html).group(1))
    assert [p["title"] for p in boot["presets"]] == [messages(lang).t(f"page.preset.{n}.title") for n in PRESETS]


def _embedded(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="messages">(.*?)</script>', html).group(1))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_offline_file_is_in_its_language_and_carries_its_catalog(client, lang):
    trace = client.post("/api/trace", json={"preset": "classic"}).get_json()
    html = standalone_html(trace, lang=lang)
    assert f'<html lang="{lang}" dir="ltr">' in html
    assert f"<h1>{messages(lang).t('page.heading')}</h1>" in html
    calls = messages(lang).t("page.standalone.calls", sliding=trace["pooling"]["call"], global_call=trace["global"]["call"])
    title = messages(lang).t("page.standalone.title", calls=calls, heading=messages(lang).t("page.heading"))
    assert f"<title>{title.replace(chr(34), '&#34;')}</title>" in html
    embedded = _embedded(html)
    assert embedded["lang"] == lang
    assert embedded["messages"]["caption.window.words"] == messages(lang).text("caption.window.words")


@pytest.mark.parametrize(("accept", "lang"), [("es-ES,es;q=0.9", "es"), ("zh-CN", "zh"), ("en-US", "en")])
@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_the_html_export_is_in_the_requests_language(client, accept, lang, encoding):
    response = client.post(
        "/api/export/html", json={"preset": "classic"}, headers={"Accept-Language": accept, "Accept-Encoding": encoding}
    )
    assert response.status_code == 200
    body = response.get_data()
    html = (gzip.decompress(body) if response.headers.get("Content-Encoding") == "gzip" else body).decode("utf-8")
    assert f'<html lang="{lang}" dir="ltr">' in html
    assert _embedded(html)["lang"] == lang
