"""Scale-out on one machine: nginx round-robins over two gunicorn instances.

Starts two copies of the real server (the Dockerfile's CMD) on free loopback
ports and Debian's nginx in front of them with the deployment config
(deploy/nginx.conf, its upstream pointed at the two instances), then:

1. checks that the same view state gives byte-identical answers from either
   instance (the server keeps no state, so a shared link opens the same
   wherever the balancer sends it);
2. runs the classroom load of bench/load.py through nginx and prints its
   figures, and how nginx spread the requests over the instances.

    python bench/scaleout.py --students 60 --seconds 60

Needs `nginx` on PATH (apt-get install nginx). Loopback only.
"""
from __future__ import annotations

import argparse
import collections
import contextlib
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import Client, report, run  # noqa: E402
from bench.server import ROOT, free_port, running_server, server_rss  # noqa: E402

SHARED_VIEW = {"sentence": "the boy will live", "pool_size": 3, "strides": 1, "padding": "same", "layer": "max"}


def fetch(url: str, body: dict | None = None) -> bytes:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def rate_limited_answer(proxy: str) -> dict | None:
    """Burst from a fresh address until nginx says 429; return its parsed body."""
    client = Client(proxy, "127.0.0.3")
    try:
        for _ in range(200):
            client.connection.request("POST", "/api/trace", json.dumps(SHARED_VIEW), {"Content-Type": "application/json"})
            response = client.connection.getresponse()
            body = response.read()
            if response.status == 429:
                return json.loads(body)
    finally:
        client.close()
    return None


def local_nginx_conf(upstreams: list[str], port: int, prefix: Path) -> str:
    """deploy/nginx.conf with its upstream and paths moved onto loopback."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = "\n".join(f"        server {u};" for u in upstreams)
    conf = conf.replace("        server app:8000;", servers)
    conf = conf.replace("listen 80;", f"listen 127.0.0.1:{port};")
    conf = conf.replace(
        "http {",
        "http {\n"
        "    log_format upstream '$upstream_addr $status';\n"
        f"    access_log {prefix}/access.log upstream;\n",
    )
    return f"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log warn;\n" + conf


@contextlib.contextmanager
def running_nginx(upstreams: list[str]):
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp)
        (prefix / "nginx.conf").write_text(local_nginx_conf(upstreams, port, prefix))
        process = subprocess.Popen(
            ["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise RuntimeError("nginx did not start; see " + str(prefix / "error.log"))
            yield base, prefix
        finally:
            process.terminate()
            process.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers per instance")
    parser.add_argument("--abuser-connections", type=int, default=4)
    args = parser.parse_args()
    if not 0 < args.seconds <= 600:
        parser.error("--seconds must be in (0, 600]")

    with running_server(args.workers) as (a, pid_a), running_server(args.workers) as (b, pid_b):
        answers = [fetch(u + "/api/trace", SHARED_VIEW) for u in (a, b)]
        pages = [fetch(u + "/") for u in (a, b)]
        print(f"instances: {a} and {b}")
        print(f"same view state, same answer from either instance: {answers[0] == answers[1]} "
              f"({len(answers[0])} bytes); same page: {pages[0] == pages[1]}")
        upstreams = [u.removeprefix("http://") for u in (a, b)]
        with running_nginx(upstreams) as (proxy, prefix):
            rss_start = server_rss(pid_a) + server_rss(pid_b)
            calm, rough = run(proxy, args.students, args.seconds, args.abuser_connections)
            rss_end = server_rss(pid_a) + server_rss(pid_b)
            limited = rate_limited_answer(proxy)
            time.sleep(0.5)  # let nginx flush its log
            spread = collections.Counter(
                line.split()[0] for line in (prefix / "access.log").read_text().splitlines() if line
            )
            # What nginx said went wrong, without timestamps, most frequent first.
            problems = collections.Counter(
                line.split(": ", 1)[-1].split(", client")[0].split(" while ")[0]
                for line in (prefix / "error.log").read_text().splitlines()
                if ("[error]" in line or "[crit]" in line or "[alert]" in line)
                and "limiting requests" not in line
            )
        print(f"{args.students} students for {args.seconds:.0f} s through nginx at {proxy}")
        report("students", calm, args.seconds)
        if args.abuser_connections:
            report("abuser", rough, args.seconds)
        print("requests per upstream (nginx $upstream_addr):",
              ", ".join(f"{k}: {v}" for k, v in sorted(spread.items())))
        print(f"a rate-limited caller gets the API's JSON error shape: {limited}")
        for message, count in problems.most_common(5):
            print(f"nginx error x{count}: {message}")
        print(f"both instances' RSS: start {rss_start / 2**20:.1f} MiB, end {rss_end / 2**20:.1f} MiB, "
              f"growth {(rss_end - rss_start) / rss_start * 100:+.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
