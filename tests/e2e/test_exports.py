"""Code and files from the page: what a learner downloads or copies, opened and checked."""
from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from .test_page import api, by_id, open_page, renders, wait_settled

SETTINGS = {"preset": "negatives", "layer": "average"}


def open_files(page):
    by_id(page, "files").click()


def download(page, test_id, count=1):
    """Click an export button and return the `count` downloaded files as (name, bytes)."""
    open_files(page)
    files = []
    page.on("download", lambda d: files.append(d))
    by_id(page, test_id).click()
    deadline = 200
    while len(files) < count and deadline:
        page.wait_for_timeout(100)
        deadline -= 1
    assert len(files) == count, f"{len(files)} downloads from {test_id}, expected {count}"
    return [(d.suggested_filename, open(d.path(), "rb").read()) for d in files]


def page_on(page, preset="negatives", layer="average"):
    open_page(page)
    before = renders(page)
    by_id(page, "preset").select_option(preset)
    wait_settled(page, before)
    before = renders(page)
    by_id(page, "layer").select_option(layer)
    wait_settled(page, before)
    return page


def expected_trace(base_url, preset="negatives", layer="average"):
    presets = {p["name"]: p for p in json.load(__import__("urllib.request").request.urlopen(f"{base_url}/api/presets"))}
    return api(base_url, {"preset": preset, **presets[preset]["settings"], "layer": layer})


def test_json_export_is_the_trace_on_screen(page, base_url):
    page_on(page)
    ((name, body),) = download(page, "export-json")
    assert name.endswith(".json")
    trace = json.loads(body)
    expected = expected_trace(base_url)
    assert trace["pooling"]["output"] == expected["pooling"]["output"]
    assert trace["tokens"] == expected["tokens"]
    shown = page.evaluate("() => document.querySelector('[data-testid=sliding-plot]').data[0].z")
    assert shown == trace["x"][: len(shown)]


def test_csv_export_has_a_row_per_window_and_feature(page, base_url):
    page_on(page)
    ((name, body),) = download(page, "export-csv")
    assert name.endswith(".csv")
    expected = expected_trace(base_url)
    rows = [
        row for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
        if row["layer"] == expected["pooling"]["name"]
    ]
    out = expected["pooling"]["output"]
    assert len(rows) == len(out) * len(out[0])
    values = [float(r["output"]) for r in rows]
    assert values == pytest.approx([v for row in out for v in row], abs=1e-6)


@pytest.mark.parametrize(("test_id", "check"), [("export-png", "png"), ("export-svg", "svg")])
def test_figures_download_as_images(page, test_id, check):
    open_page(page)
    on_screen = page.evaluate(
        """() => Object.fromEntries(['sliding', 'global'].map((name) => {
            const gd = document.querySelector(`[data-testid=${name}-plot]`);
            return [name, {width: gd._fullLayout.width, height: gd._fullLayout.height,
                           call: document.querySelector(`[data-testid=${name}-title]`).textContent}];
        }))"""
    )
    files = download(page, test_id, count=2)
    names = sorted(name for name, _ in files)
    assert names == [f"pooling-global.{check}", f"pooling-sliding.{check}"]
    for name, body in files:
        screen = on_screen[name.split("-")[1].split(".")[0]]
        if check == "png":
            assert body[:8] == b"\x89PNG\r\n\x1a\n" and len(body) > 2000
            width, height = struct.unpack(">II", body[16:24])  # the IHDR chunk
            # At least twice the screen's pixels, for print and slides, with room for the title.
            assert width >= 2 * screen["width"] - 2 and height >= 2 * screen["height"] + 40
        else:
            root = ET.fromstring(body)
            assert root.tag.endswith("svg")
            assert "0.80" in body.decode()
            # Titled with the layer call, e.g. MaxPooling1D(pool_size=2, strides=1, padding="valid").
            title = root.find(".//{http://www.w3.org/2000/svg}g[@class='g-gtitle']")
            assert "".join(title.itertext()) == screen["call"]


def run_snippet(code: str, tmp_path) -> dict[str, list]:
    path = tmp_path / "snippet.py"
    path.write_text(code)
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=env, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    printed = {}
    for line in done.stdout.splitlines():
        label, _, values = line.partition(" ")
        printed[label] = json.loads(values)
    return printed


@pytest.mark.parametrize(("test_id", "lib"), [("code-keras", "keras"), ("code-pytorch", "torch")])
def test_the_code_prints_the_numbers_on_screen(page, test_id, lib, tmp_path):
    if importlib.util.find_spec(lib) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{lib} is not installed (CI installs requirements-test.txt)")
        pytest.skip(f"{lib} is not installed")
    page_on(page)
    open_files(page)
    by_id(page, test_id).click()
    dialog = by_id(page, "code-dialog")
    dialog.wait_for(state="visible")
    code = by_id(page, "code-text").text_content()
    printed = run_snippet(code, tmp_path)
    figure = page.evaluate(
        """() => { const gd = document.querySelector('[data-testid=global-plot]');
                   const sl = document.querySelector('[data-testid=sliding-plot]');
                   return {global: gd.data[1].z[0], x: gd.data[1].x, revealed: sl.data[2].z[0], cols: sl.data[2].x}; }"""
    )
    assert [printed["global"][0][f] for f in figure["x"]] == pytest.approx(figure["global"], abs=1e-6)
    assert [printed["pooling"][0][0][f] for f in figure["cols"]] == pytest.approx(figure["revealed"], abs=1e-6)
    page.keyboard.press("Escape")
    assert dialog.is_hidden()


def test_the_html_export_plays_with_the_network_cut_off(page, browser, tmp_path):
    open_page(page)
    before = renders(page)
    by_id(page, "sentence").fill("<b>bold</b> words & <script>alert(1)</script> here")
    wait_settled(page, before)
    expected = page.evaluate("() => document.querySelector('[data-testid=sliding-plot]').data[2].z[0]")
    ((name, body),) = download(page, "export-html")
    assert name.endswith(".html")
    path = tmp_path / name
    path.write_bytes(body)

    offline = browser.new_context(offline=True, viewport={"width": 1366, "height": 768})
    other = offline.new_page()
    problems, requests = [], []
    other.on("pageerror", lambda error: problems.append(str(error)))
    other.on("console", lambda message: message.type == "error" and problems.append(message.text))
    other.on("dialog", lambda dialog: (problems.append(dialog.message), dialog.dismiss()))
    other.on("request", lambda request: requests.append(request.url))
    other.goto(path.as_uri())
    other.wait_for_function("() => document.body.dataset.step === '0'")
    assert by_id(other, "caption").text_content().startswith("Window 1 of ")
    # Plays by itself, offline.
    by_id(other, "speed").select_option("fast")
    by_id(other, "play").click()
    other.wait_for_function("() => Number(document.body.dataset.step) >= 2", timeout=15_000)
    shown = other.evaluate("() => document.querySelector('[data-testid=sliding-plot]').data[2].z[0]")
    assert shown == expected
    # The learner's words are data in the file, never markup.
    assert other.evaluate("() => document.querySelectorAll('b, img, svg[onload]').length") == 0
    assert problems == []
    assert {url.split(":")[0] for url in requests} <= {"file", "blob", "data"}
    offline.close()
