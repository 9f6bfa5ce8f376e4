"""The Dockerfile's server stays up for slow clients and stops without dropping work.

Browser-free: these start the Dockerfile's own command (as the end-to-end
tests do) and talk to it over raw sockets. The figures behind them are in
bench/resilience.py and docs/deploy.md; these are liveness checks, not benchmarks.
"""
from __future__ import annotations

import http.client
import json
import signal
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest

from tests.e2e.server import server_process

# No time bound: an honest request must be answered while others trickle
# (an order of events); everything else only waits.
HONEST = {"preset": "classic", "pool_size": 2, "strides": 1}
TRICKLED_HEADERS = (
    b"POST /api/trace HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"X-Slow: " + b"a" * 1000
)


def address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname, parts.port


def trickle(sockets: list[socket.socket], stop: threading.Event) -> None:
    """Send each connection's headers one byte at a time, four bytes a second."""
    for sent in range(len(TRICKLED_HEADERS)):
        if stop.wait(0.25):
            return
        for sock in sockets:
            try:
                sock.send(TRICKLED_HEADERS[sent : sent + 1])
            except OSError:
                pass  # the server may drop a trickler; it must not drop the others


def honest_request(url: str) -> tuple[int, dict]:
    host, port = address(url)
    connection = http.client.HTTPConnection(host, port, timeout=5)
    try:
        connection.request("POST", "/api/trace", json.dumps(HONEST), {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def still_open(sock: socket.socket) -> bool:
    """Whether the server still holds this connection (nothing to read, no end seen)."""
    sock.setblocking(False)
    try:
        return sock.recv(1) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.setblocking(True)


def test_honest_requests_are_answered_while_20_connections_trickle_headers(monkeypatch):
    # The tricklers may take a minute over their headers here, so that "answered while they
    # trickle" is an order of events, not a race against the 5 s default.
    monkeypatch.setenv("KEEPALIVE", "60")
    # One worker: if one event loop keeps up, the two Docker runs keep up too.
    with server_process(workers=1) as (url, _):
        tricklers = [socket.create_connection(address(url), timeout=5) for _ in range(20)]
        stop = threading.Event()
        thread = threading.Thread(target=trickle, args=(tricklers, stop))
        try:
            for sock in tricklers:
                sock.send(TRICKLED_HEADERS[:1])
            thread.start()
            for _ in range(5):
                status, body = honest_request(url)
                assert status == 200
                assert body["tokens"] == ["the", "boy", "will", "live"]
            # Answered while every trickler is still mid-request: none of them had to go first.
            assert thread.is_alive()
            assert all(still_open(sock) for sock in tricklers)
        finally:
            stop.set()
            thread.join()
            for sock in tricklers:
                sock.close()


def wait_until_refused(url: str, patience: float = 120) -> bool:
    """True once no worker accepts new connections any more (every one has seen SIGTERM).

    ``patience`` only caps the wait: a busy machine may take many seconds to
    deliver the signal to every worker."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(address(url), timeout=1):
                pass
        except ConnectionRefusedError:
            return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def test_sigterm_lets_a_request_in_flight_finish(monkeypatch):
    # The body's second half waits for the shutdown to begin, however long that takes.
    monkeypatch.setenv("BODY_IDLE_SECONDS", "60")
    monkeypatch.setenv("BODY_GRACE_SECONDS", "60")
    with server_process(workers=2) as (url, process):
        body = json.dumps(HONEST).encode()
        head = (
            b"POST /api/trace HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)
        )
        with socket.create_connection(address(url), timeout=15) as sock:
            # A first request answered on this connection: a worker has accepted it.
            sock.sendall(head + body)
            first = http.client.HTTPResponse(sock)
            first.begin()
            first.read()
            assert first.status == 200
            # Headers and half the body: a request the server has started reading.
            sock.sendall(head + body[: len(body) // 2])
            process.send_signal(signal.SIGTERM)
            assert wait_until_refused(url), "the server still accepts connections after SIGTERM"
            assert process.poll() is None, "the server exited with a request in flight"
            sock.sendall(body[len(body) // 2 :])
            response = http.client.HTTPResponse(sock)
            response.begin()
            answer = json.loads(response.read())
        assert response.status == 200
        assert answer["tokens"] == ["the", "boy", "will", "live"]
        assert process.wait(timeout=120) == 0  # a cap on waiting only


@pytest.mark.parametrize("variable, value", [("WORKER_CONNECTIONS", "many"), ("KEEPALIVE", "0")])
def test_a_bad_setting_stops_the_server_with_its_name(variable, value, monkeypatch):
    monkeypatch.setenv(variable, value)
    with pytest.raises(RuntimeError, match=variable):
        # No short cap: the server exits with the error as soon as gunicorn reads the
        # setting, however slowly a busy machine imports it.
        with server_process(workers=1):
            pass
