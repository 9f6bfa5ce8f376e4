"""Bodies and errors on the real server: 408 for a stalled body, 413 for a chunked one over the limit,
503 past the memory for bodies in progress, the write timeout, and JSON for gunicorn's own errors.

These start the Dockerfile's command (tests/e2e/server.py) and speak raw HTTP over
sockets. Nothing here depends on how fast the machine is: each test waits for the
server's answer or for the connection to end, never for a length of time.
"""
from __future__ import annotations

import json
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.server import server_process
from webapp.schemas import LIMITS

MAX_BODY = LIMITS["max_body_bytes"]
# Far longer than any honest wait here, so a test that hangs fails instead of hanging forever.
PATIENCE = 120


def address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname, parts.port


def connect(url: str) -> socket.socket:
    return socket.create_connection(address(url), timeout=PATIENCE)


def read_answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Read one HTTP answer with a Content-Length: status, headers (lower-case names), body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"the connection ended before an answer: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    headers = {name.lower(): value for name, value in headers.items()}
    length = int(headers["content-length"])
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, "the connection ended inside the body"
        body += chunk
    return int(lines[0].split()[1]), headers, body[:length]


def ended(sock: socket.socket) -> bool:
    """Whether the server has closed the connection (read to the end)."""
    try:
        while sock.recv(65536):
            pass
    except (ConnectionResetError, BrokenPipeError):
        pass
    return True


def json_error(status: int, headers: dict[str, str], body: bytes, expected_status: int, field: str) -> dict:
    assert status == expected_status, body
    assert headers["content-type"] == "application/json"
    payload = json.loads(body)
    assert set(payload) == {"error", "field"} and payload["field"] == field, payload
    return payload


def post_head(length: int | None = None, path: str = "/api/trace") -> bytes:
    framing = "Transfer-Encoding: chunked" if length is None else f"Content-Length: {length}"
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{framing}\r\n\r\n"
    ).encode()


def chunked(data: bytes, size: int = 65536) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(data[i : i + size]), data[i : i + size]) for i in range(0, len(data), size)]
    return b"".join(parts) + b"0\r\n\r\n"


@pytest.fixture(scope="module")
def url():
    with server_process(workers=1) as (base, _):
        yield base


def test_a_stalled_body_is_closed_with_a_json_408(url):
    with connect(url) as sock:
        sock.sendall(post_head(1000) + b'{"preset": "cla')
        payload = json_error(*read_answer(sock), 408, "body")
        assert "in time" in payload["error"]
        assert ended(sock)


def test_a_stalled_chunked_body_is_closed_with_a_json_408(url):
    with connect(url) as sock:
        sock.sendall(post_head() + b"10\r\n{\"preset\": \"clas")
        json_error(*read_answer(sock), 408, "body")
        assert ended(sock)


def test_a_chunked_body_over_the_limit_is_413_not_cut_and_served(url):
    # Its first megabyte is a valid request followed by spaces: cut there, it would be served.
    data = b'{"preset": "classic"}' + b" " * (MAX_BODY + 100)
    with connect(url) as sock:
        sock.sendall(post_head() + chunked(data))
        payload = json_error(*read_answer(sock), 413, "body")
        assert f"{MAX_BODY:,} bytes" in payload["error"]


def test_a_chunked_body_within_the_limit_is_served(url):
    data = b'{"preset": "classic", "pool_size": 2, "strides": 1}' + b" " * 200_000
    with connect(url) as sock:
        sock.sendall(post_head() + chunked(data))
        status, _, body = read_answer(sock)
        assert status == 200
        assert json.loads(body)["tokens"] == ["the", "boy", "will", "live"]


def test_a_declared_length_over_the_limit_is_413_before_the_body_is_sent(url):
    with connect(url) as sock:
        sock.sendall(post_head(MAX_BODY + 1))
        json_error(*read_answer(sock), 413, "body")
        assert ended(sock)


def test_a_body_shorter_than_its_length_is_a_json_400(url):
    with connect(url) as sock:
        sock.sendall(post_head(100) + b'{"preset": "classic"}')
        sock.shutdown(socket.SHUT_WR)
        json_error(*read_answer(sock), 400, "body")


@pytest.mark.parametrize(
    ("request_bytes", "status", "field"),
    [
        (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "path"),
        (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 200 + b"\r\n", 431, "headers"),
        (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", 431, "headers"),
        (b"GARBAGE\xff\xfe\r\n\r\n", 400, "request"),
        (b"GET / HTTP/1.1\r\nHost: x\r\nX-Bad\xff: 1\r\n\r\n", 400, "headers"),
        (b"POST /api/trace HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "request"),
    ],
)
def test_the_servers_own_errors_are_json_naming_the_field(url, request_bytes, status, field):
    with connect(url) as sock:
        sock.sendall(request_bytes)
        json_error(*read_answer(sock), status, field)


@pytest.mark.parametrize(("method", "path"), [("GET", "/static//js/main.js"), ("POST", "/api//trace")])
def test_doubled_slashes_are_a_json_404_with_no_location(url, method, path):
    with connect(url) as sock:
        body = b'{"preset": "classic"}'
        sock.sendall(
            f"{method} {path} HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode() + body
        )
        status, headers, answer = read_answer(sock)
        json_error(status, headers, answer, 404, "path")
        assert "location" not in headers


# A second server, with a small memory for bodies in progress and a short write timeout.
SMALL_MEMORY = 96 * 1024


@pytest.fixture(scope="module")
def tight_url():
    patch = pytest.MonkeyPatch()
    # A long idle limit: the bodies below stall on purpose and must not time out first.
    patch.setenv("BODY_MEMORY", str(SMALL_MEMORY))
    patch.setenv("BODY_IDLE_SECONDS", str(PATIENCE))
    patch.setenv("WRITE_TIMEOUT", "1")
    # A body of 1,000 bytes must arrive within 1 s + 1,000 / 1,024 s.
    patch.setenv("BODY_GRACE_SECONDS", "1")
    patch.setenv("BODY_MIN_RATE", "1024")
    try:
        with server_process(workers=1) as (base, _):
            yield base
    finally:
        patch.undo()


def test_past_the_memory_for_bodies_in_progress_a_body_is_a_503_with_retry_after(tight_url):
    # Each sends 70 KiB of a 200 KiB body and stalls; the worker reads 64 KiB at a
    # time, so the second to arrive would take it past 96 KiB.
    first, second = connect(tight_url), connect(tight_url)
    try:
        for sock in (first, second):
            sock.sendall(post_head(200 * 1024) + b"[" * (70 * 1024))
        # Whichever came second is refused; the first is still waiting for the rest.
        refused = None
        import selectors

        selector = selectors.DefaultSelector()
        for sock in (first, second):
            selector.register(sock, selectors.EVENT_READ)
        events = selector.select(timeout=PATIENCE)
        assert len(events) == 1, "exactly one of the two bodies is refused"
        refused = events[0][0].fileobj
        status, headers, body = read_answer(refused)
        json_error(status, headers, body, 503, "body")
        assert headers["retry-after"] == "1"
    finally:
        first.close()
        second.close()


def _tcp_state(sock: socket.socket) -> str | None:
    """Our side's TCP state from /proc/net/tcp ("01" established), None once it is gone."""
    local = "%04X" % sock.getsockname()[1]
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(":" + local):
            return fields[3]
    return None


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads TCP states from Linux's /proc")
def test_a_client_that_never_reads_is_closed_after_the_write_timeout(tight_url):
    sock = socket.socket()
    # A small receive window, so the server's answers cannot all sit in our buffers.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(PATIENCE)
    sock.connect(address(tight_url))
    try:
        request = b"GET /static/vendor/plotly-cartesian.min.js HTTP/1.1\r\nHost: x\r\n\r\n"
        sock.sendall(request * 8)  # 12 MB of answers, never read
        # Wait for the server to give up on us: our side leaves "established".
        import time

        deadline = time.monotonic() + PATIENCE
        while _tcp_state(sock) == "01" and time.monotonic() < deadline:
            time.sleep(0.2)  # polling a condition, not waiting out a duration
        assert _tcp_state(sock) != "01", "the server still holds a connection that never reads"
        received = 0
        try:
            while data := sock.recv(65536):
                received += len(data)
        except ConnectionResetError:
            pass
        assert received < 8 * 1_500_000
    finally:
        sock.close()


def test_a_body_trickled_a_byte_at_a_time_is_cut_at_its_deadline_with_a_408(tight_url):
    # Never idle long enough to trip the idle limit (120 s here), but far slower than
    # the minimum rate: the answer comes while the body is still arriving.
    import threading

    body = b'{"preset": "classic"}' + b" " * 979
    stop = threading.Event()
    sent = []

    def trickle(sock):
        for i in range(len(body)):
            if stop.wait(0.05):
                return
            try:
                sock.send(body[i : i + 1])
            except OSError:
                return
            sent.append(i)

    with connect(tight_url) as sock:
        sock.sendall(post_head(len(body)))
        thread = threading.Thread(target=trickle, args=(sock,))
        thread.start()
        try:
            payload = json_error(*read_answer(sock), 408, "body")
            assert "in time" in payload["error"]
            assert len(sent) < len(body), "the whole body arrived before the answer"
        finally:
            stop.set()
            thread.join()
