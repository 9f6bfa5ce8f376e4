"""Capacity: how many students one server keeps under p99 100 ms (issue 10, item 5).

Starts the server with the Dockerfile's own command (2 workers, as the image
runs on a 2-core machine), then steps the number of simulated students (each
editing once a second with realistic sentences, as bench/load.py's students
do, each on its own loopback address) and prints, for every step, requests
per second, errors, p50 and p99. The knee is the last step with p99 under
100 ms and no error. The students run in this process on the same machine
as the server, so their own CPU is part of what the server competes with:
on a separate client machine the server would do at least as well.

    python bench/capacity.py                         # 100, 200, ... students, 30 s a step
    python bench/capacity.py --steps 300 600 900 --seconds 20

So that the figure means the same on any machine, the same command first
serves a bare Flask app (bench/bare.py: one route, GET /healthz) with the
same workers and hammers it with closed-loop clients for --seconds: its
requests per second are the floor, and the knee is printed as students per
bare request per second. Loopback only; every step is bounded by
--seconds, and the run stops two steps past the knee.
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import run  # noqa: E402
from bench.server import running_server, server_rss  # noqa: E402
from tests.e2e.server import server_process  # noqa: E402


@contextlib.contextmanager
def bare_server(workers: int) -> Iterator[str]:
    """bench/bare.py under the Dockerfile's gunicorn command and settings, on a free loopback port."""
    with server_process(workers=workers, app="bench.bare:create_app()") as (url, _):
        yield url


def healthz_rate(url: str, seconds: float, connections: int = 16) -> float:
    """Requests per second of GET /healthz from ``connections`` closed-loop keep-alive clients."""
    host, port = url.removeprefix("http://").split(":")
    counts = [0] * connections
    deadline = time.perf_counter() + seconds

    def hammer(i: int) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        while time.perf_counter() < deadline:
            try:
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    counts[i] += 1
            except (OSError, http.client.HTTPException):
                connection.close()
        connection.close()

    threads = [threading.Thread(target=hammer, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds

DEFAULT_STEPS = [100, 200, 300, 400, 500, 600, 700, 800, 1000, 1200]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, nargs="+", default=DEFAULT_STEPS, help="numbers of students to try")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each step")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not 0 < args.seconds <= 300:
        parser.error("--seconds must be in (0, 300]")
    print(f"load average before: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} cores")
    with bare_server(args.workers) as bare:
        floor = healthz_rate(bare, args.seconds)
    print(f"bare Flask GET /healthz, {args.workers} workers: {floor:.0f} requests/s (load average {os.getloadavg()[0]:.1f})")
    print(f"{'students':>9}{'req/s':>9}{'errors':>8}{'p50 ms':>9}{'p99 ms':>9}  p99 < 100 ms, no errors")
    knee = None
    past = 0
    with running_server(workers=args.workers) as (base, pid):
        for students in args.steps:
            calm, _ = run(base, students, args.seconds, 0)
            ok = calm.errors == 0 and calm.percentile(99) < 100
            print(
                f"{students:>9}{calm.requests / args.seconds:>9.1f}{calm.errors:>8}"
                f"{calm.percentile(50):>9.1f}{calm.percentile(99):>9.1f}  {'yes' if ok else 'NO'}",
                flush=True,
            )
            if ok and past == 0:
                knee = students
            elif not ok:
                past += 1
                if past >= 2:
                    break
        rss = server_rss(pid)
    print(f"server RSS at the end (master + workers): {rss / 2**20:.1f} MiB")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print(f"knee: {knee if knee else 'below the first step'} students with p99 under 100 ms and no error")
    if knee:
        print(f"capacity: {knee / floor:.2f} students per bare /healthz request per second "
              f"({knee} students / {floor:.0f} requests/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
