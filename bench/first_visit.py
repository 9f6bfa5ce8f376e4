"""A first visit in Chromium, against the time to parse Plotly alone in the same browser.

    python bench/first_visit.py              # 5 rounds
    python bench/first_visit.py --rounds 9

Starts the Dockerfile's server on a free loopback port and, in headless
Chromium with a cold cache (a new browser context each time), times in
every round, taking turns:

- ``plotly alone``: a blank page that loads the page's own plotly.js and
  nothing else: navigation start to the script having run. The floor: the
  tool cannot draw before Plotly is parsed.
- ``page``: the explainer as served, navigation start to the tool's first
  drawn plot (``body[data-renders]``), with the bytes and requests
  transferred by then, and the guided sections' modules fetched by then
  and before any scroll (they load when scrolled near: sections/lazy.js).
- ``page, sections eager``: the same page with the sections' modules
  loaded with the tool, as before lazy.js (lazy.js swapped for one that
  imports them at once).

Prints medians and the ratios to ``plotly alone``.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.server import CHROMIUM_ARGS, chromium_path, running_server  # noqa: E402

# Before any page script: note when body[data-renders] first appears (the tool drawn).
FIRST_DRAW = """new MutationObserver((_, observer) => {
  if (document.body && document.body.dataset.renders) {
    window.__firstDraw = performance.now();
    observer.disconnect();
  }
}).observe(document, {attributes: true, subtree: true, attributeFilter: ["data-renders"]});"""
AT_DRAW = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource").filter((r) => r.startTime <= window.__firstDraw);
  return {
    drawn: window.__firstDraw,
    bytes: nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
    requests: 1 + resources.length,
    sections: resources.filter((r) => r.name.includes("/js/sections/") && !r.name.endsWith("/lazy.js")).length,
  };
}"""
SECTIONS_NOW = """() => performance.getEntriesByType("resource")
  .filter((r) => r.name.includes("/js/sections/") && !r.name.endsWith("/lazy.js")).length"""
EAGER = """let latest = null;
document.addEventListener("pooling:trace", (event) => { latest = event.detail; });
export const latestTrace = () => latest;
import("./index.js");
"""


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    if not 0 < args.rounds <= 50:
        parser.error("--rounds must be from 1 to 50")
    from playwright.sync_api import sync_playwright

    if not chromium_path():
        print("first visit: chromium is not installed (apt-get install chromium)")
        return 1
    print(f"first visit: headless Chromium, cold cache, median of {args.rounds} rounds; {load()}")
    with running_server() as url, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        with urllib.request.urlopen(url) as response:
            plotly_src = re.search(r'<script src="([^"]*plotly[^"]*)"', response.read().decode()).group(1)
        blank = (
            f'<!doctype html><title>plotly alone</title><script src="{plotly_src}"></script>'
            "<script>window.__plotly = performance.now();</script>"
        )

        def plotly_alone() -> float:
            context = chromium.new_context()
            context.route(f"{url}/__plotly_alone", lambda route: route.fulfill(body=blank, content_type="text/html"))
            page = context.new_page()
            page.goto(f"{url}/__plotly_alone")
            page.wait_for_function("() => window.__plotly")
            took = page.evaluate("() => window.__plotly")
            context.close()
            return took

        def visit(eager: bool) -> dict:
            context = chromium.new_context(viewport={"width": 1366, "height": 768})
            context.add_init_script(FIRST_DRAW)
            if eager:
                context.route("**/js/sections/lazy.js", lambda route: route.fulfill(
                    body=EAGER, content_type="text/javascript; charset=utf-8"))
            page = context.new_page()
            page.goto(url)
            page.wait_for_function("() => window.__firstDraw")
            seen = page.evaluate(AT_DRAW)
            page.wait_for_timeout(1000)  # a learner reading the tool, not scrolling
            seen["unscrolled"] = page.evaluate(SECTIONS_NOW)
            context.close()
            return seen

        runs: dict[str, list] = {"plotly alone": [], "page": [], "page, sections eager": []}
        for _ in range(args.rounds):
            runs["plotly alone"].append(plotly_alone())
            runs["page"].append(visit(eager=False))
            runs["page, sections eager"].append(visit(eager=True))
        chromium.close()
    floor = statistics.median(runs["plotly alone"])
    print(f"{'':<22}{'drawn ms':>9}{'x plotly':>9}{'MB':>7}{'requests':>9}{'sections at draw':>17}{'unscrolled':>11}")
    print(f"{'plotly alone':<22}{floor:9.0f}{1:8.2f}x")
    for name in ("page", "page, sections eager"):
        seen = runs[name]
        drawn = statistics.median(s["drawn"] for s in seen)
        print(f"{name:<22}{drawn:9.0f}{drawn / floor:8.2f}x{statistics.median(s['bytes'] for s in seen) / 1e6:7.3f}"
              f"{statistics.median(s['requests'] for s in seen):9.0f}{statistics.median(s['sections'] for s in seen):17.0f}"
              f"{statistics.median(s['unscrolled'] for s in seen):11.0f}")
    print("(sections: the guided sections' modules fetched by the first draw, and after 1 s without scrolling)")
    print(f"at the end: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
