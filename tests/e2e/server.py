"""Start the real server exactly as Docker does, for browser tests and tools.

The command comes from the Dockerfile's ``CMD``, so the end-to-end tests,
``tools/screenshot.py`` and Docker cannot drift apart. Only the address
changes: ``HOST`` and ``PORT`` go through the environment (gunicorn.conf.py
reads them), and a ``-b/--bind`` in the CMD is replaced by a free local port.
"""
from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "CHROMIUM_ARGS",
    "REPO",
    "chromium_path",
    "free_port",
    "running_server",
    "server_command",
    "server_process",
]

REPO = Path(__file__).resolve().parents[2]
# What the Dockerfile must run; used only while the Dockerfile has no CMD yet.
DEFAULT_COMMAND = "gunicorn 'app:create_app()'"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_BIND_OPTIONS = ("-b", "--bind")


def _dockerfile_cmd(dockerfile: Path) -> list[str] | None:
    """The last CMD of a Dockerfile as argv, in exec (JSON) or shell form."""
    if not dockerfile.is_file():
        return None
    command = None
    # Join continuation lines first, as Docker does.
    text = dockerfile.read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.upper().startswith("CMD "):
            body = stripped[4:].strip()
            command = json.loads(body) if body.startswith("[") else shlex.split(body)
    return command


def server_command(dockerfile: Path = REPO / "Dockerfile") -> list[str]:
    """The Dockerfile's gunicorn command, run with this Python, without its bind.

    >>> server_command(Path("/nonexistent"))[1:]
    ['-m', 'gunicorn', 'app:create_app()']
    """
    argv = _dockerfile_cmd(dockerfile) or shlex.split(DEFAULT_COMMAND)
    if argv and argv[0] == "exec":
        argv = argv[1:]
    if not argv or Path(argv[0]).name != "gunicorn":
        raise RuntimeError(f"expected the Dockerfile's CMD to start gunicorn, got {argv!r}")
    args: list[str] = []
    rest = iter(argv[1:])
    for arg in rest:
        if arg in _BIND_OPTIONS:
            next(rest, None)
        elif not arg.startswith("--bind="):
            args.append(arg)
    # `python -m gunicorn`: the interpreter running the tests, whatever PATH says.
    return [sys.executable, "-m", "gunicorn", *args]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    # Only a cap on waiting: on a busy 2-core machine importing NumPy and Flask
    # in each worker took over 30 s; a quiet one answers in about two.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"no answer from {url}/healthz after {timeout} s:\n{log.read_text()[-4000:]}")


@contextmanager
def server_process(
    host: str = "127.0.0.1", workers: int = 1, timeout: float = 180, app: str | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run the server on a free port from the repository root; yield (base URL, gunicorn master).

    ``app`` serves another WSGI app (``"module:factory()"``) with the same
    command and settings, as bench/capacity.py does for its bare baseline.
    """
    port = free_port(host)
    env = {**os.environ, "HOST": host, "PORT": str(port), "WEB_CONCURRENCY": str(workers)}
    argv = server_command()
    if app is not None:
        argv = [app if arg == "app:create_app()" else arg for arg in argv]
    with tempfile.TemporaryDirectory(prefix="pooling-e2e-") as tmp:
        log = Path(tmp) / "server.log"
        with log.open("wb") as out:
            process = subprocess.Popen(argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
            url = f"http://{host}:{port}"
            try:
                _wait_healthy(url, process, log, timeout)
                yield url, process
            finally:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@contextmanager
def running_server(host: str = "127.0.0.1", workers: int = 1, timeout: float = 180) -> Iterator[str]:
    """Run the server on a free port from the repository root; yield its base URL."""
    with server_process(host, workers, timeout) as (url, _):
        yield url


def chromium_path() -> str | None:
    """Debian's chromium (Playwright's own browser download is never used)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")
