"""Regenerate the README's pictures of the page.

Starts the real server exactly as the end-to-end tests do (the Dockerfile's
gunicorn command), opens the page in headless Chromium and saves what a
person sees:

    python tools/screenshot.py                      # all of the README's pictures
    python tools/screenshot.py --size 1024x768 --words 30 --step 9 --out shot.png

The README's pictures: a projector (1024x768) with a 30-word sentence
mid-animation, a phone (390x844) on the classic example, a projector with
an own 10-word sentence (every feature shown), and presentation mode at
1280x720 with both views side by side.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.server import CHROMIUM_ARGS, chromium_path, running_server  # noqa: E402

WORDS = (
    "the quick brown fox jumps over a lazy dog while students watch pooling slide down "
    "their sentence one window at a time and every teacher explains each step"
).split()
README_SHOTS = [
    # (file, size, words or None for the classic example, step from 1, settings)
    ("docs/screenshot-projector.png", "1024x768", 30, 9, {"pool-size": "3", "strides": "2"}),
    ("docs/screenshot-phone.png", "390x844", None, 2, {}),
    # An own sentence on a projector: every feature of both views on screen.
    ("docs/screenshot-projector-own.png", "1024x768", None, 3, {"sentence": "the quick brown fox jumps over the lazy dog today"}),
    # Presentation mode with both views side by side.
    ("docs/screenshot-present-both.png", "1280x720", None, 2, {}),
]
# Pictures of a page opened from a link other than the tool's address.
OPEN_AT = {"docs/screenshot-present-both.png": "/?present=1"}
# On the phone the page is scrolled to the sliding view, as a learner would.
SCROLL_TO_PLOTS = {"docs/screenshot-phone.png"}
# The worksheet of the "All negative" example, as it prints (the sheet's first page).
WORKSHEET = ("docs/worksheet.png", "/?preset=negatives")


def shoot(url, browser, out: Path, size: str, words: int | None, step: int, settings: dict[str, str]) -> None:
    width, height = (int(v) for v in size.lower().split("x"))
    page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
    page.goto(url + next((path for name, path in OPEN_AT.items() if str(out).endswith(name)), "/"))
    page.wait_for_function("() => Number(document.body.dataset.renders) >= 1")

    def redraw(action):
        before = page.evaluate("() => Number(document.body.dataset.renders)")
        action()
        page.wait_for_function(
            "n => Number(document.body.dataset.renders) > n && !document.body.dataset.busy", arg=before
        )

    if words:
        sentence = " ".join(WORDS[i % len(WORDS)] for i in range(words))
        redraw(lambda: page.get_by_test_id("sentence").fill(sentence))
    for test_id, value in settings.items():
        redraw(lambda: page.get_by_test_id(test_id).fill(value))
    page.get_by_test_id("step").fill(str(step - 1))
    page.wait_for_function("s => document.body.dataset.step === String(s)", arg=step - 1)
    # Let hover effects and transitions settle before the picture.
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)
    out.parent.mkdir(parents=True, exist_ok=True)
    if any(str(out).endswith(name) for name in SCROLL_TO_PLOTS):
        page.evaluate("() => window.scrollTo(0, document.querySelector('[data-panel=sliding]').offsetTop - 4)")
        page.wait_for_timeout(200)
    page.screenshot(path=str(out))
    page.close()
    print(f"wrote {out}")


def shoot_worksheet(url, browser, out: Path, path: str) -> None:
    """The worksheet's first printed page (A4 width at 96 dpi), as the browser prints it."""
    page = browser.new_page(viewport={"width": 794, "height": 1123}, device_scale_factor=1)
    page.goto(url + path)
    page.wait_for_function("() => Number(document.body.dataset.renders) >= 1")
    page.get_by_test_id("files").click()
    page.get_by_test_id("worksheet").click()
    page.emulate_media(media="print")
    # The answer key prints on a page of its own; the picture is the sheet alone.
    page.evaluate("() => document.querySelector('.ws-answers').remove()")
    page.wait_for_timeout(200)
    page.screenshot(path=str(out), full_page=True)
    page.close()
    print(f"wrote {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="one picture to this file (else the README's pictures)")
    parser.add_argument("--size", default="1024x768", help="viewport, WIDTHxHEIGHT")
    parser.add_argument("--words", type=int, help="a sentence of this many words (else the classic example)")
    parser.add_argument("--step", type=int, default=2, help="window to show, from 1")
    args = parser.parse_args(argv)
    executable = chromium_path()
    if executable is None:
        parser.error("chromium is not installed (apt-get install chromium)")
    shots = (
        [(args.out, args.size, args.words, args.step, {})]
        if args.out
        else [(REPO / out, size, words, step, settings) for out, size, words, step, settings in README_SHOTS]
    )
    with running_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        for out, size, words, step, settings in shots:
            shoot(url, browser, Path(out), size, words, step, settings)
        if not args.out:
            shoot_worksheet(url, browser, REPO / WORKSHEET[0], WORKSHEET[1])
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
