"""How fast is the engine, and the whole request path, against a baseline?

Prints, for a few input sizes, the median time of:
- ``max_pooling1d`` (vectorised: one strided view per window offset) against a
  baseline measured in the same run: the obvious Python loop over windows;
- the full ``POST /api/trace`` request through Flask's test client (parse,
  validate, trace both layers, serialise) against ``GET /healthz`` through
  the same client, which is the floor any request pays.

    python bench/engine.py
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from pooling import max_pooling1d  # noqa: E402
from webapp.config import TestConfig  # noqa: E402


def loop_max_pooling1d(x: np.ndarray, pool_size: int, strides: int) -> np.ndarray:
    """Baseline: valid max pooling with a Python loop over windows."""
    steps = x.shape[1]
    starts = range(0, steps - pool_size + 1, strides)
    return np.stack([x[:, s : s + pool_size].max(axis=1) for s in starts], axis=1)


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    rng = np.random.default_rng(0)
    print("max_pooling1d(pool_size=2, strides=1) vs a Python loop over windows (median ms)")
    print(f"{'input (batch, steps, features)':<32}{'loop':>10}{'ours':>10}{'speed-up':>10}")
    for shape in [(1, 4, 3), (1, 50, 8), (1, 256, 64), (32, 256, 64)]:
        x = rng.normal(size=shape).astype(np.float32)
        np.testing.assert_array_equal(loop_max_pooling1d(x, 2, 1), max_pooling1d(x, 2, 1))
        base = median_ms(lambda: loop_max_pooling1d(x, 2, 1), 200)
        ours = median_ms(lambda: max_pooling1d(x, 2, 1), 200)
        print(f"{str(shape):<32}{base:10.3f}{ours:10.3f}{base / ours:9.1f}x")

    client = create_app(TestConfig).test_client()
    words = " ".join(f"word{i}" for i in range(256))
    bodies = {
        "classic example": {"preset": "classic", "pool_size": 2, "strides": 1},
        "50-word sentence": {"sentence": " ".join(words.split()[:50]), "pool_size": 3, "padding": "same"},
        "256 words x 64 features": {"sentence": words, "features": 64, "pool_size": 2, "strides": 1},
    }
    floor = median_ms(lambda: client.get("/healthz"), 300)
    print()
    print(f"POST /api/trace through the Flask test client (median ms; GET /healthz = {floor:.3f} ms)")
    print(f"{'request':<32}{'ms':>10}{'x healthz':>10}")
    for name, body in bodies.items():
        assert client.post("/api/trace", json=body).status_code == 200
        ms = median_ms(lambda: client.post("/api/trace", json=body), 100)
        print(f"{name:<32}{ms:10.3f}{ms / floor:9.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
