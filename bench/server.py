"""The real server for benchmarks, started exactly as the browser tests start it."""
from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.server import free_port, server_process  # noqa: E402

__all__ = ["ROOT", "free_port", "running_server", "server_rss"]


@contextlib.contextmanager
def running_server(workers: int = 2) -> Iterator[tuple[str, int]]:
    """The Dockerfile's command on a free loopback port; yield (base URL, master pid)."""
    with server_process(workers=workers) as (url, process):
        yield url, process.pid


def server_rss(pid: int) -> int:
    """Resident memory of a gunicorn master and its workers, in bytes."""
    master = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [master, *master.children(recursive=True)])
