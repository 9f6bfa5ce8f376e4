"""Keystroke to pixels, and one animation step, in real Chromium (issue 10, item 1).

Starts the server as Docker does and opens the page in headless Chromium
(1366x768). For each case it makes 20 edits of the sentence and times, in
the page, from the `input` event until both plots are redrawn and the next
animation frame has run (the pixels are on screen then): the debounce, the
request and the drawing together. The baseline, measured in the same run
and page, is a bare `fetch` of the same request: what the network and the
server cost before anything is drawn. Then it times one step of the
animation at 256 words x 64 features, from the click on "next" until the
step is drawn and a frame has run, against one empty animation frame.

    python bench/keystroke.py
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
EDITS = 20

# Type one sentence into the box as a learner's last keystroke would: set the
# value, fire `input`, and resolve when both plots are redrawn and a frame ran.
EDIT = """async (text) => {
  const box = document.querySelector('[data-testid=sentence]');
  const before = Number(document.body.dataset.renders || 0);
  const started = performance.now();
  box.value = text;
  box.dispatchEvent(new Event('input', {bubbles: true}));
  await new Promise((resolve) => {
    const check = () => Number(document.body.dataset.renders) > before && !document.body.dataset.busy
      ? requestAnimationFrame(() => resolve()) : setTimeout(check, 1);
    check();
  });
  return performance.now() - started;
}"""
FETCH = """async (body) => {
  const started = performance.now();
  const response = await fetch('/api/trace', {method: 'POST', headers: {'Content-Type': 'application/json'}, body});
  await response.json();
  return performance.now() - started;
}"""
STEP = """async () => {
  const next = document.querySelector('[data-testid=next]');
  const target = String(Number(document.body.dataset.step) + 1);
  const started = performance.now();
  next.click();
  await new Promise((resolve) => {
    const check = () => document.body.dataset.step === target ? requestAnimationFrame(() => resolve()) : setTimeout(check, 0);
    check();
  });
  return performance.now() - started;
}"""
FRAME = "() => new Promise((resolve) => { const t = performance.now(); requestAnimationFrame(() => resolve(performance.now() - t)); })"


def sentence(n: int, variant: int) -> str:
    return " ".join(WORDS[(i * 7 + variant) % len(WORDS)] + str(i % 5) for i in range(n))


def main() -> int:
    if not chromium_path():
        sys.exit("chromium is not installed (apt-get install chromium)")
    with running_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        print("keystroke to pixels: input event -> both plots redrawn + one frame (median of 20 edits, ms)")
        print(f"{'case':<24}{'bare fetch':>12}{'to pixels':>12}{'target':>10}")
        for words, features, target in ((4, 3, 100), (100, 32, 200)):
            page.goto(f"{url}/?features={features}")
            page.wait_for_function("() => Number(document.body.dataset.renders) >= 1")
            timings, fetches = [], []
            for variant in range(EDITS):
                text = sentence(words, variant)
                timings.append(page.evaluate(EDIT, text))
                body = json.dumps({"sentence": text, "features": features, "pool_size": 2, "strides": 1})
                fetches.append(page.evaluate(FETCH, body))
            name = f"{words} words x {features}"
            print(f"{name:<24}{statistics.median(fetches):12.1f}{statistics.median(timings):12.1f}{target:>10}")
        page.goto(f"{url}/?features=64&pool_size=2&strides=1&sentence=" + "+".join(sentence(256, 0).split()))
        page.wait_for_function("() => Number(document.body.dataset.renders) >= 1")
        steps = [page.evaluate(STEP) for _ in range(40)]
        frames = [page.evaluate(FRAME) for _ in range(40)]
        print(f"{'step, 256 x 64':<24}{'frame ' + format(statistics.median(frames), '.1f'):>12}"
              f"{statistics.median(steps):12.1f}{16:>10}   (baseline: one empty animation frame)")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
