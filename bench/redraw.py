"""How long from an edit of the sentence to both plots redrawn, in real Chromium.

Starts the server as Docker does, opens the page in headless Chromium, and
for each sentence size types ten different sentences, reading the page's own
measurement (``body[data-render-ms]``: from the start of the fetch until both
``Plotly.react`` calls have finished). The baseline, measured in the same run
from the same page, is a bare ``fetch`` of the same request: what the network
and server cost before any drawing.

    python bench/redraw.py
"""
from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.server import CHROMIUM_ARGS, chromium_path, running_server  # noqa: E402

WORDS = "the quick brown fox jumps over a lazy dog while students watch pooling slide".split()
FETCH_MS = """async (body) => {
  const started = performance.now();
  const response = await fetch("/api/trace", {method: "POST", headers: {"Content-Type": "application/json"}, body});
  await response.json();
  return performance.now() - started;
}"""


def sentence(n: int, variant: int) -> str:
    return " ".join(WORDS[(i * 7 + variant) % len(WORDS)] + str(i % 5) for i in range(n))


def main() -> int:
    if not chromium_path():
        sys.exit("chromium is not installed (apt-get install chromium)")
    with running_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(url)
        page.wait_for_selector("body[data-renders]")
        print("edit the sentence -> both plots redrawn (median of 10, ms), against a bare fetch")
        print(f"{'sentence':<12}{'fetch':>10}{'redraw':>10}{'ratio':>8}")
        for n in (4, 20, 50, 100):
            redraws, fetches = [], []
            for variant in range(10):
                text = sentence(n, variant)
                renders = int(page.get_attribute("body", "data-renders"))
                page.fill('[data-testid="sentence"]', text)
                page.wait_for_function(
                    "n => Number(document.body.dataset.renders) > n && !document.body.dataset.busy", arg=renders
                )
                redraws.append(float(page.get_attribute("body", "data-render-ms")))
                fetches.append(page.evaluate(FETCH_MS, json.dumps({"sentence": text, "pool_size": 2, "strides": 1})))
            fetch_ms, redraw_ms = statistics.median(fetches), statistics.median(redraws)
            print(f"{f'{n} words':<12}{fetch_ms:10.1f}{redraw_ms:10.1f}{redraw_ms / fetch_ms:7.1f}x")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
