"""Where the time of one ``POST /api/trace`` goes, each part as a ratio to ``GET /healthz`` in the same run.

    python bench/trace_cost.py                 # classic, 256 x 64 at strides 1, 2, 3
    python bench/trace_cost.py --repeat 50     # fewer rounds

In process, through Flask's test client, as bench/perf.py's ``api``
section. For each request it prints, as median ms and as a multiple of a
``GET /healthz`` timed in the same interleaved loop:

- ``request``: the whole ``POST /api/trace`` with the answer cache off
  (every answer built from scratch), uncompressed; ``+zstd``: the same as
  Chromium asks for it (``Accept-Encoding: gzip, deflate, br, zstd``); and
  ``cached``: that again with the cache on (every student of a class
  opening the same lesson: webapp/cache.py);
- its parts, timed alone: ``validate`` (pydantic), ``source`` (words and
  embeddings), ``engine`` (both layers and the winners), ``build`` (the
  answer as the view builds it: the windows, and the float32 arrays that
  orjson writes itself, webapp.encoding.json_array), ``encode`` (orjson,
  with the app's options);
- ``zstd`` and ``gzip``: compressing that answer at the served levels, and
  its bytes plain, with zstd and with gzip (KB = 1000 bytes).

The parts do not add up to the request exactly: the request also pays for
Flask's routing, reading the body, the response object; ``healthz`` is that
floor.
"""
from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import orjson
import zstandard

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from pooling import trace_global, trace_pooling  # noqa: E402
from webapp import service  # noqa: E402
from webapp.config import TestConfig  # noqa: E402
from webapp.encoding import GZIP_LEVEL, JSON_OPTIONS, ZSTD_LEVEL, json_array  # noqa: E402
from webapp.schemas import TraceRequest  # noqa: E402

BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}
WORDS = " ".join(f"word{i}" for i in range(256))
REQUESTS = {
    "classic": {"preset": "classic", "pool_size": 2, "strides": 1},
    "256x64 pool 3 strides 1": {"sentence": WORDS, "features": 64, "pool_size": 3, "strides": 1},
    "256x64 pool 3 strides 2": {"sentence": WORDS, "features": 64, "pool_size": 3, "strides": 2},
    "256x64 pool 3 strides 3": {"sentence": WORDS, "features": 64, "pool_size": 3, "strides": 3},
    "256x64 average, strides 1": {"sentence": WORDS, "features": 64, "pool_size": 3, "strides": 1, "layer": "average"},
}


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def rounds(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    """Ms of each function in every round, the functions taking turns."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - start) * 1000)
    return times


def parts(body: dict) -> dict[str, Callable[[], object]]:
    """The request's stages, each callable alone on the same input."""
    req = TraceRequest.model_validate(body)
    tokens, x = service.source(req)

    def engine() -> object:
        return (
            trace_pooling(x, req.layer, req.pool_size, req.strides, req.padding),
            trace_global(x, kind=req.layer),
        )

    pooling, global_ = engine()
    answer = service.build_trace(req, json_array)
    encoded = orjson.dumps(answer, option=JSON_OPTIONS)
    return {
        "validate": lambda: TraceRequest.model_validate(body),
        "source": lambda: service.source(req),
        "engine": engine,
        "build": lambda: (json_array(x), pooling.to_dict(json_array), global_.to_dict(json_array)),
        "encode": lambda: orjson.dumps(answer, option=JSON_OPTIONS),
        "zstd": lambda: zstandard.compress(encoded, ZSTD_LEVEL),
        "gzip": lambda: gzip.compress(encoded, compresslevel=GZIP_LEVEL, mtime=0),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="rounds per figure")
    args = parser.parse_args(argv)
    if not 0 < args.repeat <= 10_000:
        parser.error("--repeat must be from 1 to 10000")
    print(f"trace cost: in process, median of {args.repeat} interleaved rounds; {load()}")
    uncached = create_app(_config(0))
    cached = create_app(_config(None))
    fresh, warm = uncached.test_client(), cached.test_client()
    names = ["request", "+zstd", "cached", "validate", "source", "engine", "build", "encode", "zstd", "gzip"]
    header = f"{'':<26}{'healthz':>8}" + "".join(f"{name:>9}" for name in names) + f"{'KB':>7}{'zstd':>6}{'gzip':>6}"
    tables: dict[str, list[str]] = {"median": [header], "fastest round": [header]}
    for label, body in REQUESTS.items():
        plain = fresh.post("/api/trace", json=body)
        assert plain.status_code == 200, plain.data[:200]
        assert warm.post("/api/trace", json=body).data == plain.data
        assert warm.post("/api/trace", json=body, headers=BROWSER).headers["Content-Encoding"] == "zstd"
        fns = {
            "healthz": lambda: fresh.get("/healthz"),
            "request": lambda: fresh.post("/api/trace", json=body),
            "+zstd": lambda: fresh.post("/api/trace", json=body, headers=BROWSER),
            "cached": lambda: warm.post("/api/trace", json=body, headers=BROWSER),
            **parts(body),
        }
        times = rounds(fns, args.repeat)
        data = plain.data
        sizes = (len(data), len(zstandard.compress(data, ZSTD_LEVEL)), len(gzip.compress(data, GZIP_LEVEL, mtime=0)))
        for table, pick in (("median", statistics.median), ("fastest round", min)):
            t = {name: pick(values) for name, values in times.items()}
            floor = t["healthz"]
            tables[table].append(
                f"{label:<26}{floor:7.3f}m" + "".join(f"{t[name] / floor:8.1f}x" for name in names)
                + "".join(f"{size / 1000:6.1f} " for size in sizes)
            )
    for table, lines in tables.items():
        print(f"{table} (on a shared machine the fastest round is the closest to a quiet one):" if table != "median" else "median:")
        print("\n".join(lines))
    print("(healthz in ms; every other column is a multiple of it; KB: the answer plain, with zstd-3, with gzip-4)")
    print(f"at the end: {load()}")
    return 0


def _config(entries: int | None) -> dict:
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    if entries is not None:
        config["TRACE_CACHE_ENTRIES"] = entries
    return config


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
