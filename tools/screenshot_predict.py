"""Pictures of predict mode and of the QR dialog, for the README.

Starts the real server as the end-to-end tests do, with PUBLIC_URL set to
an example classroom address (so the QR code shows what students scan),
and saves what a person sees:

    python tools/screenshot_predict.py               # docs/predict.png and docs/qr.png (1366x768)
    python tools/screenshot_predict.py --size 390x844 --out-dir /tmp/shots

Predict mode: the classic example, window 1 predicted right, window 2 with
a wrong f0 checked, so the feedback says why.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.server import CHROMIUM_ARGS, chromium_path, running_server  # noqa: E402

EXAMPLE_PUBLIC_URL = "http://192.168.1.20:8000"


def settle(page, action):
    before = page.evaluate("() => Number(document.body.dataset.renders || 0)")
    action()
    page.wait_for_function(
        "n => Number(document.body.dataset.renders) > n && !document.body.dataset.busy", arg=before
    )


def answer(page, choices):
    for feature, row in enumerate(choices):
        page.get_by_test_id(f"predict-f{feature}").select_option(str(row))
    settle(page, lambda: page.get_by_test_id("predict-check").click())


def shoot(url, browser, size: str, out_dir: Path) -> None:
    width, height = (int(v) for v in size.lower().split("x"))
    page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
    page.goto(f"{url}/?mode=predict")
    page.wait_for_function("() => Number(document.body.dataset.renders) >= 1 && !document.body.dataset.busy")
    answer(page, [1, 0, 1])  # window 1, 'the boy': boy, the, boy (all right)
    page.get_by_test_id("next").click()
    page.wait_for_function("() => document.body.dataset.step === '1'")
    answer(page, [2, 2, 2])  # window 2, 'boy will': will, will, will (f0 wrong)
    page.mouse.move(0, 0)
    if width <= 700:
        page.get_by_test_id("predict-panel").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    out_dir.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out_dir / "predict.png"))
    print(f"wrote {out_dir / 'predict.png'}")
    page.get_by_test_id("share-qr").click()
    page.get_by_test_id("qr-code").wait_for()
    page.wait_for_function("() => document.querySelector('[data-testid=qr-code]').complete")
    page.wait_for_timeout(200)
    page.screenshot(path=str(out_dir / "qr.png"))
    print(f"wrote {out_dir / 'qr.png'}")
    page.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1366x768", help="viewport, WIDTHxHEIGHT")
    parser.add_argument("--out-dir", type=Path, default=REPO / "docs", help="where predict.png and qr.png go")
    args = parser.parse_args(argv)
    executable = chromium_path()
    if executable is None:
        parser.error("chromium is not installed (apt-get install chromium)")
    # The server inherits the environment: the QR code carries this address.
    os.environ["PUBLIC_URL"] = os.environ.get("PUBLIC_URL") or EXAMPLE_PUBLIC_URL
    with running_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        shoot(url, browser, args.size, args.out_dir)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
