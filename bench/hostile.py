"""One student's /api/trace while others loop the costliest valid requests; memory after odd static spellings.

    python bench/hostile.py heavy                  # 10 looping clients, 30 s
    python bench/hostile.py heavy --clients 2 --seconds 20
    python bench/hostile.py spellings              # 1,000 odd spellings of static paths
    python bench/hostile.py all

Each scenario starts the Dockerfile's command (2 workers, gunicorn.conf.py)
on a free loopback port, as the tests do.

heavy      ``--clients`` processes, each on its own loopback address, loop the
           costliest valid requests back to back (the HTML, JSON, Keras and
           CSV exports, the gradient and the trace of 256 words x 64 own
           numbers at ``pool_size=256``, ``strides=1``, ``padding="same"``,
           the CSV at the largest shape its budget accepts), taking every 503
           and retrying at once. Meanwhile one student on another address
           sends the classic ``/api/trace`` (a new sentence each time) on a
           kept-alive connection, five times a second. First a quiet phase
           with the student alone: the baseline of the same run. Prints the
           student's p50/p95/max and errors in both phases, and what the
           looping clients got (200s, 503s, other).
spellings  worker memory (RSS), then 1,000 GETs of one file under odd
           spellings (``a/../``, ``./``, ``%2e``, ``//``, each different),
           then worker memory again.

Loopback only; every loop is bounded by ``--seconds`` and by a count.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.e2e.server import server_process  # noqa: E402

ROWS = [[((i * 7 + j * 13) % 97) / 97 - 0.5 for j in range(64)] for i in range(256)]
WORST = {"embeddings": ROWS, "pool_size": 256, "strides": 1, "padding": "same"}
COSTLIEST = [
    ("/api/export/html", WORST),
    ("/api/export/json", WORST),
    ("/api/export/keras", WORST),
    ("/api/export/csv", {**WORST, "pool_size": 8}),  # the largest CSV its budget accepts
    ("/api/gradient", WORST),
    ("/api/trace", WORST),
]
BROWSER = {"Content-Type": "application/json", "Accept-Encoding": "gzip, deflate, br, zstd"}
MAX_LOOPS = 100_000


def connection(base: str, source: str, timeout: float = 30) -> http.client.HTTPConnection:
    url = urlsplit(base)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=timeout, source_address=(source, 0))


def post(conn: http.client.HTTPConnection, path: str, body: bytes) -> int:
    try:
        conn.request("POST", path, body, BROWSER)
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        conn.close()
        return 0


def looper(base: str, index: int, deadline: float, results) -> None:
    """Loop the costliest requests until ``deadline``; put a count of statuses."""
    conn = connection(base, f"127.0.5.{index + 1}")
    bodies = [(path, json.dumps(body).encode()) for path, body in COSTLIEST]
    counts: dict[int, int] = {}
    for n in range(MAX_LOOPS):
        if time.time() >= deadline:
            break
        path, body = bodies[(n + index) % len(bodies)]
        status = post(conn, path, body)
        counts[status] = counts.get(status, 0) + 1
    conn.close()
    results.put(counts)


def student(base: str, seconds: float) -> tuple[list[float], int]:
    """The classic trace five times a second for ``seconds``: latencies (s) and errors."""
    conn = connection(base, "127.0.0.7", timeout=10)
    latencies, errors = [], 0
    end = time.perf_counter() + seconds
    for n in range(int(seconds * 5) + 1):
        if time.perf_counter() >= end:
            break
        words = ["the", "boy", "will", "live", "long", "and", "well"][: 4 + n % 4]
        body = json.dumps({"sentence": " ".join(words), "pool_size": 2, "strides": 1}).encode()
        start = time.perf_counter()
        status = post(conn, "/api/trace", body)
        took = time.perf_counter() - start
        if status == 200:
            latencies.append(took)
        else:
            errors += 1
        time.sleep(max(0.0, 0.2 - took))
    conn.close()
    return latencies, errors


def figures(latencies: list[float], errors: int) -> str:
    if not latencies:
        return f"no answers, {errors} errors"
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (
        f"{len(latencies)} answers, {errors} errors; p50 {statistics.median(ordered) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms"
    )


def workers_rss(master: int) -> int:
    return sum(p.memory_info().rss for p in psutil.Process(master).children(recursive=True))


def heavy(args: argparse.Namespace) -> None:
    with server_process(workers=2) as (base, process):
        for path, body in COSTLIEST:  # warm both workers' caches
            for _ in range(2):
                post(connection(base, "127.0.0.9"), path, json.dumps(body).encode())
        quiet, quiet_errors = student(base, args.seconds / 3)
        print(f"student alone:                   {figures(quiet, quiet_errors)}")
        results = multiprocessing.Queue()
        deadline = time.time() + args.seconds
        loopers = [
            multiprocessing.Process(target=looper, args=(base, i, deadline, results)) for i in range(args.clients)
        ]
        for p in loopers:
            p.start()
        busy, busy_errors = student(base, args.seconds - 1)
        counts: dict[int, int] = {}
        for _ in loopers:
            for status, n in results.get(timeout=args.seconds + 60).items():
                counts[status] = counts.get(status, 0) + n
        for p in loopers:
            p.join()
        print(f"student beside {args.clients} looping clients: {figures(busy, busy_errors)}")
        print(f"looping clients got: {dict(sorted(counts.items()))} (0 = connection error)")
        print(f"server memory (workers): {workers_rss(process.pid) / 2**20:.0f} MiB")


SPELLINGS = [
    "/static/a{n}/../vendor/plotly-cartesian.min.js",
    "/static/.{slashes}vendor/plotly-cartesian.min.js",
    "/static/%2e/{n}/%2e%2e/vendor/plotly-cartesian.min.js",
    "/static//{n}//vendor/plotly-cartesian.min.js",
    "/static/v/{n:012x}/./vendor/plotly-cartesian.min.js",
]


def spellings(args: argparse.Namespace) -> None:
    with server_process(workers=2) as (base, process):
        url = urlsplit(base)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        conn.request("GET", "/static/vendor/plotly-cartesian.min.js")
        conn.getresponse().read()
        before = workers_rss(process.pid)
        statuses: dict[int, int] = {}
        for n in range(args.count):
            template = SPELLINGS[n % len(SPELLINGS)]
            path = template.format(n=n, slashes="/." * (n % 50 + 1) + "/")
            try:
                conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
                response = conn.getresponse()
                response.read()
                statuses[response.status] = statuses.get(response.status, 0) + 1
            except (OSError, http.client.HTTPException):
                conn.close()
                statuses[0] = statuses.get(0, 0) + 1
        after = workers_rss(process.pid)
        print(f"{args.count} odd spellings: statuses {dict(sorted(statuses.items()))}")
        print(f"workers' memory: {before / 2**20:.1f} MiB before, {after / 2**20:.1f} MiB after "
              f"({(after - before) / 2**20:+.1f} MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenario", choices=["heavy", "spellings", "all"])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs")
    if args.scenario in ("spellings", "all"):
        spellings(args)
    if args.scenario in ("heavy", "all"):
        heavy(args)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
