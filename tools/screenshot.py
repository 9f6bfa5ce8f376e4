"""Regenerate docs/screenshot.png, the README's picture of the page.

Starts the real server exactly as the end-to-end tests do (the Dockerfile's
gunicorn command), opens the classic example at 1440x900 in headless
Chromium, steps to the middle of the animation (window 2 of 3) and saves
the page:

    python tools/screenshot.py [--out docs/screenshot.png] [--size 1440x900]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.server import CHROMIUM_ARGS, chromium_path, running_server  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshot.png")
    parser.add_argument("--size", default="1440x900", help="viewport, WIDTHxHEIGHT")
    parser.add_argument("--step", type=int, default=2, help="window to show, from 1")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    executable = chromium_path()
    if executable is None:
        parser.error("chromium is not installed (apt-get install chromium)")

    with running_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
        page.goto(url)
        page.wait_for_function("() => Number(document.body.dataset.renders) >= 1")
        for _ in range(args.step - 1):
            page.get_by_test_id("next").click()
        # Let hover effects and transitions settle before the picture.
        page.mouse.move(0, 0)
        page.wait_for_timeout(300)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.out))
        browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
