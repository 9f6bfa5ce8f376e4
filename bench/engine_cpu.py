"""The engine against torch in CPU time, for a shared machine where wall-clock medians mean little.

    python bench/engine_cpu.py               # 7 rounds

bench/perf.py's engine table (float32 (32, 2048, 256), the same
configurations), timed with ``time.process_time`` (the CPU time of every
thread of this process) with torch on one thread: the work each side does,
whatever else the machine runs. Ours cuts a large batch into one block per
core (same CPU time, less wall time on an idle machine); torch's own
threads do the same. Prints the fastest round of each and the ratios.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.perf import CONFIGS, SHAPE  # noqa: E402
from pooling import average_pooling1d, max_pooling1d, resolve_geometry  # noqa: E402


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(1)
    x = np.random.default_rng(0).normal(size=SHAPE).astype(np.float32)
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 2, 1)))
    print(f"engine in CPU time: float32 {SHAPE}, torch {torch.__version__} on 1 thread, fastest of {args.rounds}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'layer':<8}{'pool':>5}{'str':>4} {'padding':<7}{'copy':>7}{'torch':>8}{'ours':>8}{'/torch':>8}{'/copy':>7}")
    worst = 0.0
    for kind, ours_fn, torch_fn in (("max", max_pooling1d, F.max_pool1d), ("average", average_pooling1d, F.avg_pool1d)):
        for pool_size, strides in CONFIGS:
            for padding in ("valid", "same"):
                pad = resolve_geometry(SHAPE[1], pool_size, strides, padding).pad_left
                extra = {"padding": pad} if kind == "max" else {"padding": pad, "count_include_pad": False}
                fns = {
                    "copy": lambda: np.copy(x),
                    "torch": lambda: torch_fn(xt, pool_size, strides, **extra),
                    "ours": lambda: ours_fn(x, pool_size, strides, padding),
                }
                best = {name: float("inf") for name in fns}
                for _ in range(args.rounds):
                    for name, fn in fns.items():
                        start = time.process_time()
                        fn()
                        best[name] = min(best[name], (time.process_time() - start) * 1000)
                ratio = best["ours"] / best["torch"]
                worst = max(worst, ratio)
                print(f"{kind:<8}{pool_size:>5}{strides:>4} {padding:<7}{best['copy']:7.1f}{best['torch']:8.1f}"
                      f"{best['ours']:8.1f}{ratio:8.2f}{best['ours'] / best['copy']:7.2f}")
    print(f"worst: {worst:.2f}x torch in CPU time (target 1.25x); load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
