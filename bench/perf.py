"""Every performance figure of issue 10 that the engine and the server own, each against a baseline from the same run.

    pip install -r requirements-bench.txt     # torch (CPU build) and psutil
    python bench/perf.py                      # all sections, a few minutes
    python bench/perf.py engine api           # some sections only
    python bench/perf.py --repeat 5           # fewer repetitions

Sections (medians; baselines are timed in the same loop, interleaved, so a
busy machine slows both and the ratios hold):

- ``engine``: the four layers on float32 (32, 2048, 256) channels_last for
  every (pool_size, strides) of the issue, valid and same, max and average,
  against ``torch.nn.functional.max_pool1d`` / ``avg_pool1d`` on the same
  numbers laid out channels-first (torch's default threads, and one
  thread, each in a loop of its own with ours and the copy), and against
  ``np.copy`` of the input. Medians, and the fastest round too: on a
  shared machine the fastest round is the closest to a quiet one. Torch has no "same": it
  gets the symmetric padding nearest to Keras' (``padding=pad_left``,
  ``count_include_pad=False``), the same amount of work.
- ``api``: ``POST /api/trace`` in-process (Flask's test client), the
  classic example and 256 words x 64 features, against ``GET /healthz``;
  and the JSON encoder alone, orjson against the standard library.
- ``bytes``: the answers on the wire, plain and as served (zstd where the
  browser names it, gzip elsewhere), with each codec's time; brotli for
  comparison when that module is installed.
- ``cost``: bench/trace_cost.py, where one trace request's time goes,
  each part against ``/healthz``, cached and not, and its bytes.
- ``visit``: bench/first_visit.py, the first visit against parsing Plotly
  alone, the sections loaded when scrolled near and with the tool.
- ``capacity``: bench/capacity.py, the students under p99 100 ms against a
  bare Flask ``/healthz`` server's requests per second (15 s a step).
- ``browser``: a first visit with a cold cache (navigation to the first
  drawn plot, bytes transferred) and a repeat visit, in Debian's headless
  Chromium against the Dockerfile's server; the baseline swaps the full
  plotly.min.js (4.8 MB) back in for the cartesian bundle.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from pooling import (  # noqa: E402
    average_pooling1d,
    global_average_pooling1d,
    global_max_pooling1d,
    max_pooling1d,
    resolve_geometry,
)
from webapp.config import TestConfig  # noqa: E402

SHAPE = (32, 2048, 256)
CONFIGS = [(2, 1), (2, 2), (3, 2), (8, 1), (32, 1), (32, 32)]
WORDS = " ".join(f"word{i}" for i in range(256))
REQUESTS = {
    "classic example": {"preset": "classic", "pool_size": 2, "strides": 1},
    "256 x 64, strides=None": {"sentence": WORDS, "features": 64, "pool_size": 2},
    "256 x 64, strides=1": {"sentence": WORDS, "features": 64, "pool_size": 2, "strides": 1},
}


def ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def rounds(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    """Ms of each function in every round, the functions taking turns."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            times[name].append(ms(fn))
    return times


def interleaved(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Median ms of each function, the functions taking turns in every round."""
    return {name: statistics.median(values) for name, values in rounds(fns, repeat).items()}


def machine() -> str:
    load = os.getloadavg()
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, NumPy {np.__version__}"
    )


def engine(repeat: int) -> None:
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        print("engine: torch is not installed (pip install -r requirements-bench.txt)")
        return
    threads = torch.get_num_threads()
    x = np.random.default_rng(0).normal(size=SHAPE).astype(np.float32)
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 2, 1)))
    print(f"engine: float32 {SHAPE} channels_last; torch {torch.__version__} channels-first, "
          f"{threads} threads (default) and 1; median of {repeat}, interleaved")
    print("(/torch, /torch1: ratios of medians; fast, fast1: ratios of the fastest rounds)")
    print(f"{'layer':<8}{'pool':>5}{'str':>4} {'padding':<7}{'copy':>7}{'torch':>8}{'torch1':>8}{'ours':>8}"
          f"{'/torch':>8}{'/torch1':>8}{'/copy':>7}{'fast':>7}{'fast1':>7}")
    worst = {"torch": 0.0, "torch1": 0.0, "copy": 0.0, "fastest": 0.0, "fastest1": 0.0}
    for kind, ours_fn, torch_fn in (("max", max_pooling1d, F.max_pool1d), ("average", average_pooling1d, F.avg_pool1d)):
        for pool_size, strides in CONFIGS:
            for padding in ("valid", "same"):
                pad = resolve_geometry(SHAPE[1], pool_size, strides, padding).pad_left
                extra = {"padding": pad} if kind == "max" else {"padding": pad, "count_include_pad": False}

                ours = ours_fn(x, pool_size, strides, padding)
                if padding == "valid":  # the same windows: the same numbers
                    theirs = torch_fn(xt, pool_size, strides).numpy().transpose(0, 2, 1)
                    if kind == "max":
                        np.testing.assert_array_equal(ours, theirs)
                    else:
                        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)
                t: dict[str, float] = {}
                # One loop per thread count: a change of torch's thread count
                # makes its next call pay for the pool, so never inside a loop.
                for label, n in (("torch", threads), ("torch1", 1)):
                    torch.set_num_threads(n)
                    torch_fn(xt, pool_size, strides, **extra)  # warm the pool
                    times = rounds(
                        {
                            "copy": lambda: np.copy(x),
                            label: lambda: torch_fn(xt, pool_size, strides, **extra),
                            "ours": lambda: ours_fn(x, pool_size, strides, padding),
                        },
                        repeat,
                    )
                    run = {name: statistics.median(values) for name, values in times.items()}
                    t[label] = run[label]
                    t[f"copy {label}"], t[f"ours {label}"] = run["copy"], run["ours"]
                    t[f"fastest {label}"] = min(times["ours"]) / min(times[label])
                t["copy"], t["ours"] = t["copy torch"], t["ours torch"]
                torch.set_num_threads(threads)
                ratios = {
                    "torch": t["ours torch"] / t["torch"],
                    "torch1": t["ours torch1"] / t["torch1"],
                    "copy": t["ours"] / t["copy"],
                    "fastest": t["fastest torch"],
                    "fastest1": t["fastest torch1"],
                }
                for name, ratio in ratios.items():
                    worst[name] = max(worst[name], ratio)
                print(f"{kind:<8}{pool_size:>5}{strides:>4} {padding:<7}{t['copy']:7.1f}{t['torch']:8.1f}"
                      f"{t['torch1']:8.1f}{t['ours']:8.1f}{ratios['torch']:8.2f}{ratios['torch1']:8.2f}{ratios['copy']:7.2f}"
                      f"{ratios['fastest']:7.2f}{ratios['fastest1']:7.2f}")
    print(f"worst ratios: {worst['torch']:.2f}x torch ({threads} threads), {worst['torch1']:.2f}x torch (1 thread), "
          f"{worst['copy']:.2f}x np.copy (targets: 1.25x torch, 8x copy); fastest rounds: "
          f"{worst['fastest']:.2f}x torch, {worst['fastest1']:.2f}x torch (1 thread)")
    t = interleaved(
        {
            "copy": lambda: np.copy(x),
            "global max": lambda: global_max_pooling1d(x),
            "global average": lambda: global_average_pooling1d(x),
        },
        repeat,
    )
    for name in ("global max", "global average"):
        print(f"{name:<16} {t[name]:7.1f} ms, {t[name] / t['copy']:.2f}x np.copy ({t['copy']:.1f} ms) (target 1.5x)")


def api(repeat: int) -> None:
    import orjson
    from flask.json.provider import DefaultJSONProvider

    class StandardProvider(DefaultJSONProvider):
        sort_keys = False

        def dumps(self, obj: object, **kwargs: object) -> str:
            kwargs.setdefault("allow_nan", False)
            return super().dumps(obj, **kwargs)

    fast = create_app(TestConfig)
    standard = create_app(TestConfig)
    standard.json = StandardProvider(standard)
    clients = {"orjson": fast.test_client(), "json": standard.test_client()}
    print(f"api: POST /api/trace in-process (Flask test client, no compression), median of {repeat * 10}")
    print(f"{'request':<26}{'healthz':>9}{'orjson':>9}{'json':>9}{'x healthz':>10}{'json/orjson':>12}")
    for name, body in REQUESTS.items():
        answers = {label: client.post("/api/trace", json=body) for label, client in clients.items()}
        assert all(a.status_code == 200 for a in answers.values())
        assert json.loads(answers["orjson"].data) == json.loads(answers["json"].data)
        t = interleaved(
            {
                "healthz": lambda: clients["orjson"].get("/healthz"),
                "orjson": lambda: clients["orjson"].post("/api/trace", json=body),
                "json": lambda: clients["json"].post("/api/trace", json=body),
            },
            repeat * 10,
        )
        print(f"{name:<26}{t['healthz']:9.3f}{t['orjson']:9.3f}{t['json']:9.3f}"
              f"{t['orjson'] / t['healthz']:9.1f}x{t['json'] / t['orjson']:11.2f}x")
    document = json.loads(clients["orjson"].post("/api/trace", json=REQUESTS["256 x 64, strides=1"]).data)
    t = interleaved(
        {
            "orjson": lambda: orjson.dumps(document),
            "json": lambda: json.dumps(document, allow_nan=False, separators=(",", ":")),
        },
        repeat * 10,
    )
    print(f"encoder alone, 256 x 64 strides=1: orjson {t['orjson']:.2f} ms, json {t['json']:.2f} ms "
          f"({t['json'] / t['orjson']:.1f}x)  (targets: classic 1 ms, 256 x 64 8 ms)")


def wire_bytes(repeat: int) -> None:
    import zstandard

    client = create_app(TestConfig).test_client()
    print("bytes: POST /api/trace answer on the wire, as served to Chromium (zstd) and Safari (gzip), "
          "with each codec's time; KB = 1000 bytes; target 60 KB for 256 x 64")
    codecs: dict[str, Callable[[bytes], bytes]] = {
        "zstd-3": lambda b: zstandard.compress(b, 3),
        "gzip-4": lambda b: gzip.compress(b, 4, mtime=0),
        "gzip-6": lambda b: gzip.compress(b, 6, mtime=0),
        "gzip-1": lambda b: gzip.compress(b, 1, mtime=0),
    }
    try:
        import brotli

        codecs["brotli-4"] = lambda b: brotli.compress(b, quality=4)
        codecs["brotli-5"] = lambda b: brotli.compress(b, quality=5)
    except ImportError:
        pass
    for name, body in REQUESTS.items():
        plain = client.post("/api/trace", json=body).data
        served = {
            accept: client.post("/api/trace", json=body, headers={"Accept-Encoding": accept})
            for accept in ("gzip, deflate, br, zstd", "gzip, deflate, br")
        }
        assert [r.headers.get("Content-Encoding") for r in served.values()] == ["zstd", "gzip"]
        assert zstandard.decompress(served["gzip, deflate, br, zstd"].data) == plain
        assert gzip.decompress(served["gzip, deflate, br"].data) == plain
        spent = interleaved({label: (lambda c=codec: c(plain)) for label, codec in codecs.items()}, repeat * 4)
        sizes = ", ".join(f"{label} {len(codec(plain)) / 1000:.1f} KB ({spent[label]:.2f} ms)" for label, codec in codecs.items())
        print(f"{name:<26} plain {len(plain) / 1000:6.1f} KB: {sizes}")


VISIT = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource");
  return {
    bytes: nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
    requests: 1 + resources.length,
    drawn: window.__firstDraw,
  };
}"""
# Before any page script: note when body[data-renders] first appears (both plots drawn).
FIRST_DRAW = """new MutationObserver((_, observer) => {
  if (document.body && document.body.dataset.renders) {
    window.__firstDraw = performance.now();
    observer.disconnect();
  }
}).observe(document, {attributes: true, subtree: true, attributeFilter: ["data-renders"]});"""


def browser(repeat: int) -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.server import CHROMIUM_ARGS, chromium_path, running_server
    from webapp.vendor import full_plotly_js_path

    if not chromium_path():
        print("browser: chromium is not installed (apt-get install chromium)")
        return
    full = full_plotly_js_path().read_bytes()
    print(f"browser: first and repeat visits in headless Chromium, median of {repeat} "
          "(targets: first plot 1 s, 1.6 MB; repeat 50 KB)")
    with running_server() as url, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)

        def visit(swap_full: bool) -> tuple[dict, dict]:
            context = chromium.new_context(viewport={"width": 1366, "height": 768})
            context.add_init_script(FIRST_DRAW)
            if swap_full:
                # The baseline: the full bundle in its place (Playwright hands
                # it over decoded, so the bytes count is not comparable).
                context.route(
                    "**/vendor/plotly-*.min.js",
                    lambda route: route.fulfill(
                        body=full,
                        headers={"Content-Type": "text/javascript; charset=utf-8",
                                 "Cache-Control": "public, max-age=31536000, immutable"},
                    ),
                )
            page = context.new_page()
            page.goto(url)
            page.wait_for_function("() => window.__firstDraw")
            first = page.evaluate(VISIT)
            page.goto(url)  # the same browser, its cache warm
            page.wait_for_function("() => window.__firstDraw")
            again = page.evaluate(VISIT)
            context.close()
            return first, again

        rows: dict[str, list[tuple[dict, dict]]] = {"cartesian bundle (served)": [], "full bundle (before)": []}
        for _ in range(repeat):
            rows["cartesian bundle (served)"].append(visit(False))
            rows["full bundle (before)"].append(visit(True))
        for name, visits in rows.items():
            drawn = statistics.median(first["drawn"] for first, _ in visits)
            first_bytes = statistics.median(first["bytes"] for first, _ in visits)
            again_bytes = statistics.median(again["bytes"] for _, again in visits)
            again_drawn = statistics.median(again["drawn"] for _, again in visits)
            note = " (route-fulfilled: bytes not counted)" if "before" in name else ""
            print(f"{name:<27} first visit: plot drawn at {drawn:6.0f} ms, {first_bytes / 1e6:.3f} MB{note}; "
                  f"repeat: {again_drawn:5.0f} ms, {again_bytes / 1e3:.1f} KB")
        chromium.close()


def cost(repeat: int) -> None:
    from bench import trace_cost

    trace_cost.main(["--repeat", str(repeat * 10)])


def visit(repeat: int) -> None:
    from bench import first_visit

    first_visit.main(["--rounds", str(min(repeat, 9))])


def capacity(repeat: int) -> None:
    import subprocess

    # Its own process: its servers and students, and its own command line.
    subprocess.run([sys.executable, str(ROOT / "bench" / "capacity.py"), "--seconds", "15",
                    "--steps", "100", "200", "300", "400", "500", "600", "800", "1000"], check=False)


SECTIONS = {"engine": engine, "api": api, "bytes": wire_bytes, "browser": browser, "cost": cost, "visit": visit,
            "capacity": capacity}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sections", nargs="*", help=f"any of {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--repeat", type=int, default=11, help="rounds per figure (api: 10x this)")
    args = parser.parse_args(argv)
    for name in args.sections:
        if name not in SECTIONS:
            parser.error(f"unknown section {name!r}; choose from {', '.join(SECTIONS)}")
    print(f"machine: {machine()}")
    for name in args.sections or SECTIONS:
        print()
        SECTIONS[name](args.repeat)
    print()
    print(f"machine at the end: {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
