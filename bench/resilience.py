"""The classroom server against slow and hostile clients, a dying worker and a stop.

Each scenario starts the real server (the Dockerfile's command, 2 workers,
settings from gunicorn.conf.py and the environment) on a free loopback port,
runs the 60 students of bench/load.py (each editing once a second on a kept
connection from its own loopback address) and prints its figures:

    slow-headers  200 connections sending a request's headers a byte a second
    slow-bodies   200 connections announcing a 1 MB body and sending it a byte a second
    idle          1,000 connections that open and send nothing
    kill-worker   kill -9 of one worker a third of the way through
    sigterm       SIGTERM to the master (what `docker stop` sends) halfway through,
                  with a request whose body is still arriving and the largest
                  valid request in flight
    worst-case    every student sends the largest valid request (256 words x 64
                  features, pool_size 1, strides 1, average) once a second;
                  no worker may time out, memory must stay under --memory-cap

    python bench/resilience.py slow-headers
    python bench/resilience.py all --seconds 30
    WORKER_CLASS=sync python bench/resilience.py slow-headers --seconds 20

Attackers reconnect when the server closes them, so the number of open
connections stays at the target for the whole run. While they run, a prober
on its own address opens a fresh connection every half second and sends one
honest POST /api/trace: a new student arriving, who must be answered within
1 s. Loopback only; every loop is bounded by --seconds and by its count.
"""
from __future__ import annotations

import argparse
import errno
import json
import multiprocessing
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import Client, Tally, report, run  # noqa: E402
from tests.e2e.server import server_process  # noqa: E402

HONEST = {"sentence": "the boy will live", "pool_size": 2, "strides": 1}
SLOW_HEADERS = (
    b"POST /api/trace HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"X-Slow: " + b"a" * 4000
)
SLOW_BODY_LENGTH = 1_000_000
SLOW_BODY_HEAD = (
    b"POST /api/trace HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Content-Length: %d\r\n\r\n" % SLOW_BODY_LENGTH
)


def largest_request(rng: random.Random) -> dict:
    """A request at every limit: 256 words x 64 features, pool_size 1, strides 1, average."""
    words = " ".join(f"w{rng.randrange(10**6)}" for _ in range(256))
    return {"sentence": words, "features": 64, "seed": rng.randrange(2**31),
            "pool_size": 1, "strides": 1, "layer": "average"}


# --- attackers ---------------------------------------------------------------


@dataclass
class Attacker:
    """One hostile connection: sends ``burst`` bytes at once, then one byte a tick."""

    address: tuple[str, int]
    source: str
    payload: bytes
    burst: int
    sock: socket.socket | None = None
    sent: int = 0

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)
        self.sock.bind((self.source, 0))
        self.sent = 0
        self.sock.connect_ex(self.address)

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


@dataclass
class AttackStats:
    kind: str
    target: int
    opened: int = 0
    closed_by_server: int = 0  # EOF or reset: the server dropped it
    answered: int = 0  # the server sent bytes (an error page or a timeout answer)
    bytes_sent: int = 0
    open_samples: list[int] = field(default_factory=list)

    def line(self) -> str:
        samples = self.open_samples or [0]
        return (
            f"{self.kind}: {self.target} wanted; open min {min(samples)} / max {max(samples)} "
            f"(sampled each second); connections opened {self.opened}, dropped by the server "
            f"{self.closed_by_server}, answered by it {self.answered}; bytes sent {self.bytes_sent}"
        )


def attack(kind: str, count: int, base: str, seconds: float, ready, results) -> None:
    """Keep ``count`` connections of ``kind`` open for ``seconds``, a byte a second each.

    Runs in a process of its own, so that looping over a thousand sockets does
    not hold the GIL the students' threads need: their latency is the server's.
    ``ready`` is set once every connection is opening; the AttackStats go to ``results``.
    """
    deadline = time.perf_counter() + seconds
    stats = AttackStats(kind, count)
    url = urlsplit(base)
    address = (url.hostname, url.port)
    payload, burst = {
        "slow-headers": (SLOW_HEADERS, 0),
        "slow-bodies": (SLOW_BODY_HEAD + b" " * 4000, len(SLOW_BODY_HEAD)),
        "idle": (b"", 0),
    }[kind]
    # Addresses apart from the students' (127.0.x.y) and the prober's.
    attackers = [
        Attacker(address, f"127.1.{i // 250}.{1 + i % 250}", payload, burst) for i in range(count)
    ]
    for attacker in attackers:
        attacker.connect()
        stats.opened += 1
    ready.set()
    while time.perf_counter() < deadline:
        tick = time.perf_counter()
        open_now = 0
        for attacker in attackers:
            sock = attacker.sock
            try:
                data = sock.recv(256, socket.MSG_DONTWAIT)
            except BlockingIOError:
                data = None  # still open, nothing said
            except OSError as exc:
                if exc.errno == errno.ENOTCONN:  # connect still in progress
                    open_now += 1
                    continue
                data = b""
            if data is not None:
                if data:
                    stats.answered += 1
                else:
                    stats.closed_by_server += 1
                attacker.close()
                attacker.connect()
                stats.opened += 1
            open_now += 1
            if data is not None:
                continue
            if attacker.sent < len(attacker.payload):
                end = attacker.burst if attacker.sent < attacker.burst else attacker.sent + 1
                try:
                    sent = sock.send(attacker.payload[attacker.sent:end], socket.MSG_DONTWAIT)
                except BlockingIOError:
                    continue
                except OSError:
                    continue  # seen as closed on the next tick
                attacker.sent += sent
                stats.bytes_sent += sent
        stats.open_samples.append(open_now)
        time.sleep(max(0.0, 1.0 - (time.perf_counter() - tick)))
    for attacker in attackers:
        attacker.close()
    results.put(stats)


def probe(base: str, deadline: float, latencies: list[float | None], start_at: float) -> None:
    """A new visitor every half second: fresh connection, one honest request, 5 s patience."""
    time.sleep(max(0.0, start_at - time.perf_counter()))
    for _ in range(10_000):
        if time.perf_counter() >= deadline - 0.5:
            break
        tally = Tally()
        client = Client(base, "127.0.0.3")
        client.connection.timeout = 5
        client.post(HONEST, tally)
        client.close()
        ok = tally.statuses.get(200) == 1
        latencies.append(tally.latencies[0] if ok else None)
        time.sleep(0.5)


def probe_line(latencies: list[float | None]) -> str:
    answered = [x for x in latencies if x is not None]
    within = sum(1 for x in answered if x < 1.0)
    worst = f"{max(answered) * 1000:.1f} ms" if answered else "-"
    return (
        f"new visitors (fresh connection, POST /api/trace): {len(latencies)} sent, "
        f"{len(answered)} answered, {within} within 1 s, slowest {worst}"
    )


# --- the server --------------------------------------------------------------


def worker_pids(master: int) -> list[int]:
    return sorted(p.pid for p in psutil.Process(master).children())


def server_rss(master: int) -> int:
    process = psutil.Process(master)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])


class MemoryWatch(threading.Thread):
    """Samples the server's resident memory (master and workers) every half second."""

    def __init__(self, master: int, deadline: float) -> None:
        super().__init__(daemon=True)
        self.master, self.deadline, self.samples = master, deadline, []

    def run(self) -> None:
        for _ in range(10_000):
            if time.perf_counter() >= self.deadline:
                break
            try:
                self.samples.append(server_rss(self.master))
            except psutil.Error:
                break
            time.sleep(0.5)


def warm_up(base: str) -> None:
    client = Client(base, "127.0.0.1")
    for _ in range(20):
        client.post(HONEST, Tally())
    client.post(largest_request(random.Random(0)), Tally())
    client.close()


def settings_line(workers: int) -> str:
    names = ["WORKER_CLASS", "WORKER_CONNECTIONS", "KEEPALIVE", "WORKER_TIMEOUT",
             "GRACEFUL_TIMEOUT", "GUNICORN_CMD_ARGS"]
    given = ", ".join(f"{n}={os.environ[n]}" for n in names if n in os.environ)
    return f"server: the Dockerfile's command, {workers} workers, gunicorn.conf.py" + (
        f" with {given}" if given else " defaults"
    )


# --- scenarios ---------------------------------------------------------------


def with_attackers(kind: str, count: int, args: argparse.Namespace) -> bool:
    with server_process(workers=args.workers) as (base, process):
        warm_up(base)
        rss_start = server_rss(process.pid)
        ready, results = multiprocessing.Event(), multiprocessing.Queue()
        attacker = multiprocessing.Process(target=attack, args=(kind, count, base, args.seconds + 3, ready, results))
        attacker.start()
        ready.wait(30)
        # Let the attackers settle in before the students start.
        time.sleep(2)
        latencies: list[float | None] = []
        prober = threading.Thread(target=probe, args=(base, time.perf_counter() + args.seconds, latencies, 0))
        prober.start()
        memory = MemoryWatch(process.pid, time.perf_counter() + args.seconds)
        memory.start()
        calm, _ = run(base, args.students, args.seconds, 0)
        prober.join()
        stats = results.get(timeout=30)
        attacker.join(timeout=30)
        rss_end = server_rss(process.pid)
    print(f"== {kind}: {count} connections, {args.students} students for {args.seconds:.0f} s")
    report("students", calm, args.seconds)
    print(stats.line())
    print(probe_line(latencies))
    print(f"server RSS: start {rss_start / 2**20:.1f} MiB, peak {max(memory.samples, default=0) / 2**20:.1f} MiB, "
          f"end {rss_end / 2**20:.1f} MiB")
    ok = calm.errors == 0 and calm.percentile(99) < 100 and all(x is not None and x < 1 for x in latencies)
    print(f"target (0 student errors, p99 < 100 ms, every new visitor within 1 s): {'met' if ok else 'NOT MET'}")
    return ok


def kill_worker(args: argparse.Namespace) -> bool:
    with server_process(workers=args.workers) as (base, process):
        warm_up(base)
        before = worker_pids(process.pid)
        result: dict = {}
        loader = threading.Thread(target=lambda: result.update(
            calm=run(base, args.students, args.seconds, 0)[0]))
        loader.start()
        time.sleep(args.seconds / 3)
        victim = before[0]
        killed_at = time.perf_counter()
        os.kill(victim, signal.SIGKILL)
        loader.join()
        after = worker_pids(process.pid)
    calm: Tally = result["calm"]
    failures = [end - killed_at for _, end, status in calm.events if status is None or status >= 500]
    print(f"== kill -9 of worker {victim} at {args.seconds / 3:.0f} s, {args.students} students for {args.seconds:.0f} s")
    report("students", calm, args.seconds)
    late = [t for t in failures if t > 2]
    share = len(failures) / max(1, calm.requests) * 100
    print(f"failed requests: {len(failures)} ({share:.2f}%), "
          f"at {', '.join(f'{t:+.2f}' for t in sorted(failures)[:8]) or '-'}{' ...' if len(failures) > 8 else ''} s "
          f"from the kill; after 2 s: {len(late)}")
    print(f"workers before {before}, after {after} (the master replaced the dead one)")
    ok = share <= 1 and not late and len(after) == len(before)
    print(f"target (at most 1% failed, none after 2 s): {'met' if ok else 'NOT MET'}")
    return ok


def slow_request_in_flight(base: str, sigterm_at: float, out: dict) -> None:
    """A request whose body is still arriving when SIGTERM comes: half before, half 1 s after."""
    url = urlsplit(base)
    body = json.dumps(HONEST).encode()
    head = (b"POST /api/trace HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body))
    time.sleep(max(0.0, sigterm_at - 1 - time.perf_counter()))
    with socket.create_connection((url.hostname, url.port), timeout=15, source_address=("127.0.0.4", 0)) as sock:
        sock.sendall(head + body[: len(body) // 2])
        time.sleep(max(0.0, sigterm_at + 1 - time.perf_counter()))
        sock.sendall(body[len(body) // 2:])
        answer = b""
        for _ in range(1000):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    out["slow"] = answer.split(b"\r\n", 1)[0].decode(errors="replace")


def largest_in_flight(base: str, sigterm_at: float, out: dict) -> None:
    """The largest valid request, sent a moment before SIGTERM."""
    time.sleep(max(0.0, sigterm_at - 0.005 - time.perf_counter()))
    tally = Tally()
    client = Client(base, "127.0.0.5")
    client.post(largest_request(random.Random(1)), tally)
    client.close()
    out["largest"] = (tally.events[0][0] - sigterm_at, tally.events[0][1] - sigterm_at, tally.events[0][2])


def sigterm(args: argparse.Namespace) -> bool:
    with server_process(workers=args.workers) as (base, process):
        warm_up(base)
        result: dict = {}
        loader = threading.Thread(target=lambda: result.update(
            calm=run(base, args.students, args.seconds, 0)[0]))
        loader.start()
        sigterm_at = time.perf_counter() + args.seconds / 2
        extra = [threading.Thread(target=slow_request_in_flight, args=(base, sigterm_at, result)),
                 threading.Thread(target=largest_in_flight, args=(base, sigterm_at, result))]
        for thread in extra:
            thread.start()
        time.sleep(max(0.0, sigterm_at - time.perf_counter()))
        process.send_signal(signal.SIGTERM)
        sent = time.perf_counter()
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            code = None
        exited = time.perf_counter() - sent
        for thread in extra:
            thread.join()
        loader.join()
    calm: Tally = result["calm"]
    in_flight = [(start, end, status) for start, end, status in calm.events if start < sent < end]
    completed = sum(1 for *_, status in in_flight if status == 200)
    after = [status for start, _, status in calm.events if start >= sent]
    print(f"== SIGTERM at {args.seconds / 2:.0f} s of {args.students} students for {args.seconds:.0f} s")
    print(f"the server exited with {code} after {exited:.2f} s")
    print(f"student requests in flight at SIGTERM: {len(in_flight)}, completed with 200: {completed}")
    print(f"student requests started before SIGTERM: "
          f"{sum(1 for s, _, st in calm.events if s < sent and st == 200)} answered 200, "
          f"{sum(1 for s, _, st in calm.events if s < sent and st != 200)} not")
    print(f"student requests started after SIGTERM: {len(after)}, answered 200: {after.count(200)}, "
          f"refused or cut: {after.count(None)} (the server is stopping)")
    print(f"request with its body half sent 1 s before SIGTERM and the rest 1 s after: {result.get('slow')!r}")
    start, end, status = result.get("largest", (0, 0, None))
    print(f"largest valid request sent {start * 1000:+.1f} ms from SIGTERM: status {status}, "
          f"answered {end * 1000:+.1f} ms from SIGTERM")
    ok = (code == 0 and exited < 10 and completed == len(in_flight)
          and result.get("slow", "").startswith("HTTP/1.1 200") and status == 200)
    print(f"target (in-flight requests complete, exit within 10 s): {'met' if ok else 'NOT MET'}")
    return ok


def worst_case(args: argparse.Namespace) -> bool:
    def student(index: int, base: str, deadline: float, tally: Tally) -> None:
        rng = random.Random(index)
        client = Client(base, f"127.0.{1 + index // 250}.{1 + index % 250}")
        time.sleep(rng.random())
        for _ in range(10_000):
            if time.perf_counter() >= deadline:
                break
            tick = time.perf_counter()
            client.post(largest_request(rng), tally)
            time.sleep(max(0.0, 1.0 - (time.perf_counter() - tick)))
        client.close()

    with server_process(workers=args.workers) as (base, process):
        warm_up(base)
        before = worker_pids(process.pid)
        rss_start = server_rss(process.pid)
        deadline = time.perf_counter() + args.seconds
        memory = MemoryWatch(process.pid, deadline)
        memory.start()
        tally = Tally()
        threads = [threading.Thread(target=student, args=(i, base, deadline, tally)) for i in range(args.students)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        memory.join()
        after = worker_pids(process.pid)
        cpu = sum(p.cpu_times().user + p.cpu_times().system for p in psutil.Process(process.pid).children())
    peak = max(memory.samples, default=0)
    cap = args.memory_cap * 2**20
    print(f"== worst case: {args.students} students each sending 256 words x 64 features, pool_size 1, "
          f"strides 1, average, once a second for {args.seconds:.0f} s")
    report("students", tally, args.seconds)
    print(f"server RSS: start {rss_start / 2**20:.1f} MiB, peak {peak / 2**20:.1f} MiB "
          f"(cap {args.memory_cap} MiB); worker CPU {cpu:.1f} s")
    print(f"workers before {before}, after {after}: "
          f"{'none restarted (no worker timeout)' if before == after else 'A WORKER WAS REPLACED'}")
    ok = before == after and peak < cap and tally.errors == 0
    print(f"target (no worker timeout, memory under {args.memory_cap} MiB, 0 errors): {'met' if ok else 'NOT MET'}")
    return ok


def main() -> int:
    scenarios = ["slow-headers", "slow-bodies", "idle", "kill-worker", "sigterm", "worst-case"]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", choices=[*scenarios, "all"])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--attackers", type=int, help="slow connections (default 200; 1,000 for idle)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-cap", type=int, default=256, help="MiB, master and workers (worst-case)")
    parser.add_argument("--quiet-below", type=float, help="wait before each scenario for a 1-minute load average below this")
    parser.add_argument("--quiet-wait", type=float, default=300, help="seconds to wait for --quiet-below at most")
    args = parser.parse_args()
    if not 0 < args.seconds <= 300:
        parser.error("--seconds must be in (0, 300]")
    if not 0 <= args.students <= 500 or not 0 <= (args.attackers or 0) <= 5000:
        parser.error("at most 500 students and 5,000 attackers")
    print(f"{settings_line(args.workers)}; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    results = {}
    for name in scenarios if args.scenario == "all" else [args.scenario]:
        if args.quiet_below:
            # On a shared machine, wait (at most --quiet-wait s) for others' work to calm down.
            for _ in range(int(args.quiet_wait // 10)):
                if os.getloadavg()[0] < args.quiet_below:
                    break
                time.sleep(10)
        # The machine may be shared: each scenario's figures come with the load it ran under.
        print(f"-- {time.strftime('%H:%M:%S')}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if name in ("slow-headers", "slow-bodies", "idle"):
            count = args.attackers or (1000 if name == "idle" else 200)
            results[name] = with_attackers(name, count, args)
        else:
            results[name] = {"kill-worker": kill_worker, "sigterm": sigterm, "worst-case": worst_case}[name](args)
        sys.stdout.flush()
    if len(results) > 1:
        print("summary: " + ", ".join(f"{k} {'met' if v else 'NOT MET'}" for k, v in results.items()))
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
