"""Gunicorn settings, read from the environment so one command serves everywhere.

`gunicorn 'app:create_app()'` loads this file from the working directory:
Docker, the end-to-end tests and the load scripts all run that same command.

The classroom container has no proxy in front, so the server itself must
survive clients that are slow (a phone on weak Wi-Fi) or hostile (a student
trickling a request a byte a second). Each setting below says why it has its
value; `bench/resilience.py` measures them (docs/deploy.md, "Slow and hostile clients").
"""
import os
import resource


def _int(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip() or str(default)
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {value!r}") from None
    if number < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {number}")
    return number


bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
accesslog = "-"
errorlog = "-"

# One process per core: a request is a few milliseconds of NumPy and JSON
# under the GIL, so more processes than cores only add memory, and fewer
# leave a core idle. The classroom server has 2 cores.
workers = _int("WEB_CONCURRENCY", 2, minimum=1)

# gevent: each connection is a greenlet, not a process or a thread, so a
# client that sends its request slowly (or not at all) costs a few kilobytes
# and never blocks the others. The default sync worker reads each request in
# full before the next, so two clients trickling headers took the server
# down; gthread hands each new connection to a thread that waits up to 5 s
# for data and then reads it blocking, so idle and trickling connections
# exhaust its threads (both measured: docs/deploy.md). The work
# itself is CPU-bound and short, so one event loop per core loses nothing.
worker_class = os.environ.get("WORKER_CLASS", "gevent")

# Open connections per worker, idle, trickling or busy: beyond it a worker
# stops accepting and the kernel's backlog (below) holds new ones. 2 workers
# x 2,000 carry a classroom plus a thousand idle or slow connections with
# room to spare; each costs one file descriptor and a greenlet (~10 kB).
worker_connections = _int("WORKER_CONNECTIONS", 2000, minimum=1)

# Connections accepted by the kernel but not yet by a worker: above the
# default 2048 so a burst of new connections (a class opening the page at
# once) waits instead of being refused. Linux caps it at net.core.somaxconn.
backlog = _int("BACKLOG", 2048, minimum=1)

# Seconds a connection may take to send a request's headers, and to wait
# between two requests when kept alive (gevent applies keepalive to both):
# an idle or trickling connection is closed after this long and frees its
# slot. A browser sends its headers in one packet and a student edits about
# once a second, so 5 s keeps their connections open and cuts the rest.
keepalive = _int("KEEPALIVE", 5, minimum=1)

# A worker whose event loop has not checked in for this long is stuck (a
# request is milliseconds; the largest valid one about 20 ms): the master
# kills and replaces it. With gevent, slow clients do not count against it.
timeout = _int("WORKER_TIMEOUT", 30, minimum=1)

# On SIGTERM (docker stop) a worker stops accepting, finishes the requests it
# has, closes kept-alive connections, and is killed after this many seconds
# if a client is still sending. Docker sends SIGKILL 10 s after SIGTERM, so
# 8 s lets the server stop on its own terms, with time to exit.
graceful_timeout = _int("GRACEFUL_TIMEOUT", 8, minimum=1)

# Request line and headers: gunicorn's defaults (4,094 bytes a line, 100
# fields of 8,190 bytes) bound what one connection can make a worker hold;
# gunicorn answers past them itself (414, 431, 400), in JSON as below. The
# body is the app's (webapp/bodies.py): at most 1 MiB (a JSON 413, chunked
# or not), arriving without pauses over 5 s and whole within 5 s + 1 s per
# 64 KiB (else a JSON 408), at most 32 MiB of unfinished bodies per worker
# (else a JSON 503); an answer not taken within 20 s ends the connection.

# gunicorn's own error answers (a bad request line, a URL over the limit,
# too many or too large headers) are HTML pages; every answer of this server
# is JSON naming what is wrong, so its writer is swapped for one that says
# the same in the API's shape. gunicorn 27 has no hook for this page.
_ERROR_FIELDS = {414: "path", 431: "headers", 417: "headers", 501: "headers"}
_ERROR_MESSAGES = {
    414: "The URL is longer than the server accepts (4,094 bytes with the request line). "
    "Shorten the link, or export the view as a file.",
    431: "The request's headers are too many or too large.",
    500: "Something went wrong on the server. Please try again.",
}


def json_error(sock, status_int, reason, mesg):
    """gunicorn's ``util.write_error`` with the app's ``{"error", "field"}`` body instead of HTML."""
    import json

    from gunicorn import util

    text = str(mesg)
    field = _ERROR_FIELDS.get(status_int) or ("headers" if "header" in text.lower() else "request")
    message = _ERROR_MESSAGES.get(status_int) or f"The request is not valid HTTP: {text[:200]}"
    if not message.endswith("."):
        message += "."
    # ASCII JSON: whatever bytes the client sent, the answer is valid.
    body = json.dumps({"error": message, "field": field}).encode("ascii")
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
        f"X-Content-Type-Options: nosniff\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


def on_starting(server):
    """Raise the open-file limit, and make gunicorn's own error answers JSON, before any worker starts.

    Every connection is a file descriptor; some container runtimes give a soft
    limit of 1,024, which would cap a worker below `worker_connections`.
    Workers are forked from this process, so they inherit the error writer.
    """
    from gunicorn import util

    util.write_error = json_error
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = workers * worker_connections + 256
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        server.log.info("open-file limit raised from %d to %d", soft, wanted)


# gunicorn 27's control socket (for `gunicornc`) is one path per user,
# ~/.gunicorn/gunicorn.ctl, so two servers of one user (two classrooms, or
# the tests beside a running server) would fight over it. Nothing here uses it.
control_socket_disable = True
