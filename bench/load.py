"""A classroom under load: simulated students editing sentences, plus one abuser.

Starts the real server (`gunicorn 'app:create_app()'`, 2 workers) on a free
loopback port, unless --url points at one already running (e.g. nginx in
front of several; see bench/scaleout.py). Each student edits once a second
(typing a sentence word by word, now and then changing the layer, pool size,
strides or padding) and waits for the redraw data; the abuser, on its own
loopback address, fires requests as fast as it can. Prints requests, errors,
p50/p99 latency for the students (and the abuser), and the server's memory
at the start and the end.

    python bench/load.py                      # 60 students, 60 s, with an abuser
    python bench/load.py --students 30 --seconds 20 --no-abuser

Loopback only; every loop is bounded by --seconds. One thread per student with
the standard library's http.client: light enough that the figures are the
server's, not the load generator's.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import running_server, server_rss  # noqa: E402

SENTENCES = [
    "the boy will live",
    "max pooling keeps the strongest signal in every window",
    "global max pooling collapses the whole sentence into one vector",
    "the cat sat on the mat and looked at the dog",
    "I really did not like this movie at all",
    "what a wonderful day to learn about convolutional networks",
    "stride and pool size decide how many windows there are",
    "padding same keeps the output as long as the input",
    "every feature picks its own winner",
    "students type faster than the teacher expected",
]


def edits(rng: random.Random):
    """An endless stream of request bodies, as one student would send them."""
    while True:
        words = rng.choice(SENTENCES).split()
        layer = rng.choice(["max", "max", "average"])
        for n in range(1, len(words) + 1):
            padding = rng.choice(["valid", "same"])
            pool_size = rng.randint(1, 4)
            if padding == "valid":
                pool_size = min(pool_size, n)
            yield {
                "sentence": " ".join(words[:n]),
                "layer": layer,
                "pool_size": pool_size,
                "strides": rng.choice([None, 1, 2]),
                "padding": padding,
                "features": rng.choice([3, 4, 4, 8]),
            }


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    failures: int = 0  # connection errors and time-outs
    resends: int = 0  # requests sent again after a kept-alive connection died (see Client)
    # (started, finished, status or None for a failure), perf_counter seconds:
    # bench/resilience.py splits requests at the moment it kills or stops the server.
    events: list[tuple[float, float, int | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int, seconds: float, started: float | None = None) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.latencies.append(seconds)
            if started is not None:
                self.events.append((started, started + seconds, status))

    def resend(self) -> None:
        with self.lock:
            self.resends += 1

    def fail(self, started: float | None = None) -> None:
        with self.lock:
            self.failures += 1
            if started is not None:
                self.events.append((started, time.perf_counter(), None))

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.failures

    @property
    def errors(self) -> int:
        """Failures and error statuses; a 429 from a rate limit is not an error."""
        bad = sum(n for status, n in self.statuses.items() if status >= 400 and status != 429)
        return bad + self.failures

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] * 1000


class Client:
    """One browser: a connection from its own address, kept open while the server allows.

    The connection is reused, as a browser's is (gunicorn's gevent workers and
    nginx keep it alive); when the server has closed it, http.client opens a
    new one for the next request.
    """

    def __init__(self, base: str, source: str) -> None:
        url = urlsplit(base)
        self.connection = http.client.HTTPConnection(
            url.hostname, url.port, timeout=10, source_address=(source, 0)
        )

    def post(self, body: dict, tally: Tally) -> None:
        payload = json.dumps(body).encode()
        start = time.perf_counter()
        for attempt in range(2):
            reused = self.connection.sock is not None
            response = None
            try:
                self.connection.request("POST", "/api/trace", payload, {"Content-Type": "application/json"})
                response = self.connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                self.connection.close()
                if reused and response is None and attempt == 0:
                    # A browser sends a request again, once, on a new connection when
                    # the kept-alive one it reused dies before any answer (Chromium's
                    # HttpNetworkTransaction::ShouldResendRequest, for any method):
                    # a worker killed or restarted under a student costs no error.
                    tally.resend()
                    continue
                tally.fail(start)
                return
            tally.add(response.status, time.perf_counter() - start, start)
            return

    def close(self) -> None:
        self.connection.close()


def student(index: int, base: str, deadline: float, tally: Tally) -> None:
    rng = random.Random(index)
    bodies = edits(rng)
    # Each student on a loopback address of its own, as each laptop in a
    # classroom has its own IP: a per-client rate limit sees them apart.
    client = Client(base, f"127.0.{1 + index // 250}.{1 + index % 250}")
    # Students do not all press a key at the same instant.
    time.sleep(rng.random())
    while time.perf_counter() < deadline:
        tick = time.perf_counter()
        client.post(next(bodies), tally)
        time.sleep(max(0.0, 1.0 - (time.perf_counter() - tick)))
    client.close()


def abuser(base: str, deadline: float, tally: Tally) -> None:
    # A loopback address no student uses, so a per-client limit can tell it apart.
    bodies = edits(random.Random(-1))
    client = Client(base, "127.0.0.2")
    while time.perf_counter() < deadline:
        client.post(next(bodies), tally)
    client.close()


def abusers(base: str, seconds: float, connections: int, results) -> None:
    """The abuser's connections, in a process of its own: ``(latencies, statuses, failures)`` to ``results``.

    Apart from the students' process so that its busy threads do not hold
    the GIL the students need: their latency is then the server's, also on a
    busy machine.
    """
    deadline = time.perf_counter() + seconds
    tally = Tally()
    threads = [threading.Thread(target=abuser, args=(base, deadline, tally)) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((tally.latencies, tally.statuses, tally.failures))


def run(base: str, students: int, seconds: float, abuse: int) -> tuple[Tally, Tally]:
    """Students (one thread each) and ``abuse`` abuser connections, for ``seconds``."""
    deadline = time.perf_counter() + seconds
    calm, rough = Tally(), Tally()
    results = multiprocessing.Queue()
    rough_process = multiprocessing.Process(target=abusers, args=(base, seconds, abuse, results))
    if abuse:
        rough_process.start()
    threads = [threading.Thread(target=student, args=(i, base, deadline, calm)) for i in range(students)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if abuse:
        rough.latencies, rough.statuses, rough.failures = results.get(timeout=60)
        rough_process.join(timeout=30)
    return calm, rough


def report(name: str, tally: Tally, seconds: float) -> None:
    statuses = ", ".join(f"{s}: {n}" for s, n in sorted(tally.statuses.items()))
    print(
        f"{name:<9} requests {tally.requests:>6}  ({tally.requests / seconds:6.1f}/s)  "
        f"errors {tally.errors:>4}  p50 {tally.percentile(50):6.1f} ms  "
        f"p99 {tally.percentile(99):6.1f} ms  statuses {{{statuses}}}"
        + (f"  resent on a new connection {tally.resends}" if tally.resends else "")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an already running server (default: start gunicorn here)")
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--abuser-connections", type=int, default=4, help="0 for no abuser")
    parser.add_argument("--no-abuser", action="store_const", const=0, dest="abuser_connections")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not 0 < args.seconds <= 600:
        parser.error("--seconds must be in (0, 600]")

    def go(base: str, pid: int | None) -> None:
        rss_start = server_rss(pid) if pid else None
        calm, rough = run(base, args.students, args.seconds, args.abuser_connections)
        rss_end = server_rss(pid) if pid else None
        print(f"{args.students} students editing once a second for {args.seconds:.0f} s against {base}")
        report("students", calm, args.seconds)
        if args.abuser_connections:
            report("abuser", rough, args.seconds)
        if rss_start:
            growth = (rss_end - rss_start) / rss_start * 100
            print(
                f"server RSS (master + workers): start {rss_start / 2**20:.1f} MiB, "
                f"end {rss_end / 2**20:.1f} MiB, growth {growth:+.1f}%"
            )
        print(f"students p99 < 100 ms: {'yes' if calm.percentile(99) < 100 else 'NO'}; "
              f"student errors: {calm.errors}")

    if args.url:
        go(args.url, None)
    else:
        with running_server(workers=args.workers) as (base, pid):
            # Warm up the workers so the start-of-run memory is a fair baseline.
            warm, client = edits(random.Random(0)), Client(base, "127.0.0.1")
            for _ in range(50):
                client.post(next(warm), Tally())
            client.close()
            go(base, pid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
