"""Regenerate the README's pictures of the guided sections.

Starts the real server as the end-to-end tests do (the Dockerfile's
gunicorn command), opens the page in headless Chromium on the classic
example, scrolls to a section as a learner would and saves it:

    python tools/screenshot_sections.py          # docs/section-pitfall.png, docs/section-gradient.png

The padding pitfall is the batch section after "Show the pitfall"; the
backward pass is the gradient section with its default upstream of ones.
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.server import CHROMIUM_ARGS, chromium_path, running_server  # noqa: E402

VIEWPORT = {"width": 1024, "height": 768}
# (file, section id, test id of a button to press first or None)
SHOTS = [
    ("docs/section-pitfall.png", "batch", "batch-pitfall"),
    ("docs/section-gradient.png", "gradient", None),
]
DRAWN = "([id, n]) => Number(document.getElementById(id).dataset.renders || 0) > n && !document.getElementById(id).dataset.busy"


def shoot(url: str, browser, out: Path, section: str, press: str | None) -> None:
    page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
    page.goto(url)
    page.wait_for_function("() => Number(document.body.dataset.renders) >= 1 && !document.body.dataset.busy")
    page.evaluate("id => document.getElementById(id).scrollIntoView()", section)
    page.wait_for_function(DRAWN, arg=[section, 0])
    if press:
        renders = page.evaluate("id => Number(document.getElementById(id).dataset.renders)", section)
        page.get_by_test_id(press).click()
        page.wait_for_function(DRAWN, arg=[section, renders])
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)
    out.parent.mkdir(parents=True, exist_ok=True)
    page.locator(f"#{section}").screenshot(path=str(out))
    page.close()
    print(f"wrote {out}")


def main() -> int:
    executable = chromium_path()
    if executable is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    with running_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        for out, section, press in SHOTS:
            shoot(url, browser, REPO / out, section, press)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
