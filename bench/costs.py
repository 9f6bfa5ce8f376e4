"""What each route costs at its largest accepted request: CPU, bytes on the wire, peak memory.

    python bench/costs.py                 # every route, 5 repetitions each
    python bench/costs.py --repeat 11     # steadier medians

In-process (Flask's test client, the app as ``create_app()`` builds it), so
the figures are the app's own work: parsing, validation, the engine,
serialising and compressing, not the network. For each route, the largest
request it accepts (256 words x 64 own numbers, ``pool_size=256``,
``strides=1``, ``padding="same"``, the shape with the most windows times
rows), sent as a browser sends it (``Accept-Encoding: gzip, deflate, br,
zstd``), and the same request's rejected twins (88k unknown keys, deeply
nested rows) that must cost little. CPU is ``time.process_time`` (median
of the repetitions), bytes are the answer's body as sent, peak is
``tracemalloc``'s peak over one request. Each figure is also printed as a
ratio to the baseline measured in the same run: the classic ``/api/trace``
256x64 trace with ``pool_size=2`` (the README's "about 20 ms" request), so a
busy machine slows both and the ratio holds.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402

ROWS = [[((i * 7 + j * 13) % 97) / 97 - 0.5 for j in range(64)] for i in range(256)]
SENTENCE = " ".join(f"w{i}" for i in range(256))
WORST = {"embeddings": ROWS, "pool_size": 256, "strides": 1, "padding": "same"}
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}

# (label, method, path, body); the first is the baseline.
CASES: list[tuple[str, str, str, object]] = [
    ("trace 256x64 pool 2 (baseline)", "POST", "/api/trace", {"embeddings": ROWS, "pool_size": 2}),
    ("trace classic", "POST", "/api/trace", {"preset": "classic", "pool_size": 2, "strides": 1}),
    ("trace worst, max", "POST", "/api/trace", WORST),
    ("trace worst, average", "POST", "/api/trace", {**WORST, "layer": "average"}),
    ("trace 256 words x 64 toy", "POST", "/api/trace",
     {"sentence": SENTENCE, "features": 64, "pool_size": 256, "strides": 1, "padding": "same"}),
    *[(f"export {fmt} worst", "POST", f"/api/export/{fmt}", WORST) for fmt in ("csv", "json", "html", "keras", "pytorch")],
    ("export html classic", "POST", "/api/export/html", {"preset": "classic"}),
    ("gradient worst, max", "POST", "/api/gradient", WORST),
    ("gradient worst, average", "POST", "/api/gradient", {**WORST, "layer": "average"}),
    ("batch 16 lines x 16 words, 64 features", "POST", "/api/batch",
     {"sentence": "\n".join(" ".join(f"w{i}" for i in range(16)) for _ in range(16)), "features": 64}),
    ("textcnn worst, 8 filters", "POST", "/api/textcnn", {**WORST, "filters": 8}),
    ("model 256 x 64", "POST", "/api/model", {"steps": 256, "features": 64}),
    ("rejected: 88k unknown keys", "POST", "/api/trace", None),
    ("rejected: 500 rows nested 900 deep", "POST", "/api/trace", None),
    ("rejected: 7,000 rows nested 60 deep", "POST", "/api/trace", None),
    ("rejected: 2,000 rows of 64 numbers", "POST", "/api/trace", {"embeddings": [[0.5] * 64] * 2000}),
    ("rejected: a sentence of 900,000 characters", "POST", "/api/trace", {"sentence": "a" * 900_000}),
    ("GET /", "GET", "/", None),
    ("GET /api/presets", "GET", "/api/presets", None),
    ("GET /api/openapi.json", "GET", "/api/openapi.json", None),
    ("GET plotly.js", "GET", "/static/vendor/plotly-cartesian.min.js", None),
]
# Rejected bodies just under the 1 MiB limit, built as bytes.
RAW = {
    "rejected: 88k unknown keys": json.dumps({f"k{i}": 0 for i in range(88_000)}, separators=(",", ":")).encode(),
    "rejected: 500 rows nested 900 deep": b'{"embeddings": [' + b",".join([b"[" * 900 + b"]" * 900] * 500) + b"]}",
    "rejected: 7,000 rows nested 60 deep": b'{"embeddings": [' + b",".join([b"[" * 60 + b"]" * 60] * 7000) + b"]}",
}


def body_of(label: str, body: object) -> bytes | None:
    if label in RAW:
        return RAW[label]
    return None if body is None else json.dumps(body).encode()


def run(client, method: str, path: str, data: bytes | None):
    headers = dict(BROWSER)
    if data is not None:
        headers["Content-Type"] = "application/json"
    return client.open(path, method=method, data=data, headers=headers)


def measure(client, method: str, path: str, data: bytes | None, repeat: int) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        response = run(client, method, path, data)
        response.get_data()
        times.append(time.process_time() - start)
    tracemalloc.start()
    response = run(client, method, path, data)
    sent = len(response.get_data())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "status": response.status_code,
        "cpu_ms": statistics.median(times) * 1000,
        "bytes": sent,
        "encoding": response.headers.get("Content-Encoding", "-"),
        "peak_mib": peak / 2**20,
        "request_bytes": 0 if data is None else len(data),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    client = create_app().test_client()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs")
    rows = []
    for label, method, path, body in CASES:
        rows.append((label, method, path, measure(client, method, path, body_of(label, body), args.repeat)))
    base = rows[0][3]
    print(f"| request | status | request bytes | CPU ms | x baseline | bytes sent | enc | peak MiB |")
    print("|---|---|---|---|---|---|---|---|")
    for label, method, path, m in rows:
        print(
            f"| {label} (`{method} {path}`) | {m['status']} | {m['request_bytes']:,} | {m['cpu_ms']:.1f} | "
            f"{m['cpu_ms'] / base['cpu_ms']:.1f} | {m['bytes']:,} | {m['encoding']} | {m['peak_mib']:.1f} |"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
