"""Request bodies read in full, in time and within a memory budget, before the app sees them.

A WSGI middleware around the Flask app (``create_app`` installs it), so
that the rules hold whatever route a body is sent to:

* **Size.** A body larger than ``MAX_CONTENT_LENGTH`` (1 MiB) is a 413,
  whether it declares its length or arrives chunked (read up to one byte
  past the limit, never cut short and answered as if whole). A declared
  length over the limit is refused before a byte of it is read.
* **Time.** A body must keep arriving: no gap longer than
  ``BODY_IDLE_SECONDS`` (5 s) between two pieces, and all of it within
  ``BODY_GRACE_SECONDS`` (5 s) plus one second per ``BODY_MIN_RATE`` bytes
  (64 KiB), which is 21 s for the largest body. Otherwise the answer is a
  JSON 408 and the connection is closed. A phone on weak Wi-Fi sends a
  trace request (under 20 kB) in well under a second.
* **Memory.** The bytes of bodies still arriving are counted per worker;
  a body that would take the count past ``BODY_MEMORY`` (32 MiB) is a JSON
  503 with ``Retry-After``. So a worker holds at most 32 MiB of incomplete
  bodies (plus, for a moment, one copy of the body being handed on),
  however many connections trickle them.
* **Clients that never read.** Once the body is in, the socket's timeout
  becomes ``WRITE_TIMEOUT`` (20 s): an answer the client does not take
  within it ends the connection, instead of holding its buffers for good.

The socket is gunicorn's ``environ["gunicorn.socket"]``; without it (the
test client, ``python app.py``) only the size rules apply. A refused body
is answered with ``Connection: close`` semantics: the socket is shut for
writing once the answer is sent, what the client still sends is read and
dropped for up to ``LINGER_SECONDS`` (so it sees the answer rather than a
reset), and the connection ends.
"""
from __future__ import annotations

import contextlib
import io
import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pooling.i18n import messages

from .i18n import accept_language
from .security import SECURITY_HEADERS
from .wording import Message, message

try:  # gunicorn's gevent workers; the app runs without gevent too
    from gevent import Timeout as _GeventTimeout
    from gevent.monkey import is_module_patched
except ImportError:  # pragma: no cover - gevent is in requirements.txt
    _GeventTimeout = None

__all__ = ["BodyLimits", "BodyReader"]

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
LINGER_SECONDS = 2.0
LINGER_BYTES = 4 * 1024 * 1024
READ_STEP = 64 * 1024
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class BodyLimits:
    """The rules above; each is a setting of :class:`webapp.config.Config`."""

    max_bytes: int = 1024 * 1024
    idle_seconds: float = 5.0
    grace_seconds: float = 5.0
    min_rate: int = 64 * 1024
    memory: int = 32 * 1024 * 1024
    write_timeout: float = 20.0

    def deadline_seconds(self, length: int) -> float:
        """How long a body of ``length`` bytes may take to arrive.

        >>> BodyLimits().deadline_seconds(1024 * 1024)
        21.0
        """
        return self.grace_seconds + length / self.min_rate


class _Refused(Exception):
    def __init__(self, status: str, sentence: Message, headers: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(str(sentence))
        self.status, self.sentence, self.headers = status, sentence, headers


class _Closing:
    """An error answer; after it is sent, the connection ends without a reset."""

    def __init__(self, body: bytes, sock: socket.socket | None) -> None:
        self.body, self.sock = body, sock

    def __iter__(self) -> Iterator[bytes]:
        yield self.body

    def close(self) -> None:
        sock = self.sock
        if sock is None:
            return
        try:
            sock.shutdown(socket.SHUT_WR)
            end = time.monotonic() + LINGER_SECONDS
            drained = 0
            while drained < LINGER_BYTES and (left := end - time.monotonic()) > 0:
                sock.settimeout(left)
                data = sock.recv(READ_STEP)
                if not data:
                    break
                drained += len(data)
        except OSError:
            pass
        try:
            # The server's next read sees the end at once and closes the connection.
            sock.shutdown(socket.SHUT_RD)
        except OSError:
            pass


class BodyReader:
    """WSGI middleware: read the body under :class:`BodyLimits`, then call the app with it."""

    def __init__(self, app: WSGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits
        self._lock = threading.Lock()
        self.in_progress = 0  # bytes of bodies still arriving, in this worker

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        sock = environ.get("gunicorn.socket")
        try:
            body = self._read(environ, sock)
        except _Refused as refused:
            return self._refuse(refused, sock, start_response, environ.get("HTTP_ACCEPT_LANGUAGE"))
        if body is not None:
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ.pop("HTTP_TRANSFER_ENCODING", None)
            environ.pop("wsgi.input_terminated", None)
        if sock is None:
            return self.app(environ, start_response)
        _settimeout(sock, self.limits.write_timeout)
        return _reset_if_unsent(self.app(environ, start_response), sock)

    def _read(self, environ: dict, sock: socket.socket | None) -> bytes | None:
        declared = environ.get("CONTENT_LENGTH", "").strip()
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        # A server that ends the stream itself (Werkzeug's, the test client) may send a
        # body with neither header; gunicorn always says which.
        terminated = bool(environ.get("wsgi.input_terminated")) and environ.get("REQUEST_METHOD") in _BODY_METHODS
        if not declared and not chunked and not terminated:
            return None
        limits = self.limits
        length = None
        if declared:
            try:
                length = int(declared)
            except ValueError:
                raise _Refused("400 Bad Request", message("errors.body.bad_length")) from None
            if length > limits.max_bytes:
                raise _Refused("413 Content Too Large", _too_large(limits.max_bytes))
            if length == 0:
                return b""
        wanted = limits.max_bytes + 1 if length is None else length
        deadline = time.monotonic() + limits.deadline_seconds(wanted if length is not None else limits.max_bytes)
        stream = environ["wsgi.input"]
        chunks: list[bytes] = []
        received = 0
        try:
            with _deadline(sock, deadline - time.monotonic()):
                self._read_into(stream, sock, wanted, deadline, chunks)
                received = sum(map(len, chunks))
        except (socket.timeout, TimeoutError):
            raise _Refused(
                "408 Request Timeout",
                message(
                    "errors.body.timeout",
                    idle=f"{limits.idle_seconds:g}",
                    grace=f"{limits.grace_seconds:g}",
                    rate=str(limits.min_rate // 1024),
                ),
            ) from None
        finally:
            self._release(sum(map(len, chunks)))
        if length is None and received > limits.max_bytes:
            raise _Refused("413 Content Too Large", _too_large(limits.max_bytes))
        if length is not None and received < length:
            raise _Refused("400 Bad Request", message("errors.body.cut_short"))
        return b"".join(chunks)

    def _read_into(self, stream: Any, sock: Any, wanted: int, deadline: float, chunks: list[bytes]) -> None:
        received = 0
        while received < wanted:
            if sock is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise socket.timeout
                # Each read waits at most the idle limit for its next bytes.
                _settimeout(sock, min(left, self.limits.idle_seconds))
            data = stream.read(min(READ_STEP, wanted - received))
            if not data:
                break
            self._reserve(len(data))
            chunks.append(data)
            received += len(data)

    def _reserve(self, size: int) -> None:
        with self._lock:
            if self.in_progress + size > self.limits.memory:
                raise _Refused("503 Service Unavailable", message("errors.busy.bodies"), (("Retry-After", "1"),))
            self.in_progress += size

    def _release(self, size: int) -> None:
        with self._lock:
            self.in_progress -= size

    @staticmethod
    def _refuse(
        refused: _Refused, sock: socket.socket | None, start_response: Callable, accept: str | None
    ) -> Iterable[bytes]:
        # No request object yet: the language is the raw Accept-Language header's, as the API's.
        lang = messages(accept_language(accept))
        body = json.dumps({"error": refused.sentence.text(lang), "field": "body"}).encode()
        headers = [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Content-Language", lang.lang),
            ("Vary", "Accept-Language"),
            ("Cache-Control", "no-store"),
            *refused.headers,
            *SECURITY_HEADERS.items(),
        ]
        start_response(refused.status, headers)
        return _Closing(body, sock)


def _reset_if_unsent(answer: Iterable[bytes], sock: Any) -> Iterator[bytes]:
    """``answer``, and a reset of the connection if the server stopped sending it (the write timed out).

    A plain close would leave the unsent answer in the kernel, queued behind a
    window the client never opens; a reset frees it at once.
    """
    finished = False
    try:
        yield from answer
        finished = True
    finally:
        close = getattr(answer, "close", None)
        if close is not None:
            close()
        if not finished:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass


@contextlib.contextmanager
def _deadline(sock: Any, seconds: float) -> Iterator[None]:
    """Raise socket.timeout in this request if the block takes longer than ``seconds``.

    A read of 64 KiB returns only when all of it is in, so a client sending a
    byte a second never trips the idle limit: the whole body's deadline needs
    a timer. gevent's (gunicorn's gevent workers) interrupts the read where it
    waits; without gevent only the idle limit applies.
    """
    if sock is None or _GeventTimeout is None or not is_module_patched("socket"):
        yield
        return
    with _GeventTimeout(max(seconds, 0.001), socket.timeout("the body's deadline passed")):
        yield


def _settimeout(sock: Any, seconds: float) -> None:
    try:
        sock.settimeout(seconds)
    except OSError:
        pass


def _too_large(limit: int) -> Message:
    return message("errors.body.too_large", max=limit)
