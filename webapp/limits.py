"""Bounded work per request: heavy routes a few at a time per worker, and a budget checked before the work.

**Heavy routes** (``POST /api/export/<format>`` and ``POST /api/gradient``)
run at most ``HEAVY_CONCURRENCY`` (1) at once in a worker; one more waits
up to ``HEAVY_WAIT_SECONDS`` (3) for a slot (a section that aborted a stale
request and asked again, as the guided sections do while a learner types),
then is answered with a JSON 503 and ``Retry-After: 1``, so the cheap
routes a class uses while typing (``/api/trace``, the page, its files)
never queue behind a pile of exports.

**Heavy work off the event loop** (:func:`offload`). Under gevent a
request that computes never lets the worker's other requests run: an
export holds the loop for 100-300 ms, and a student's trace that arrives
meanwhile waits for all of it. So once its body has arrived, a heavy
route parses, computes, writes and compresses its answer on a native
thread of the worker (``HEAVY_CONCURRENCY`` of them, started on first
use), while the event loop keeps serving. Both share the GIL, which
Python hands over every ``sys.getswitchinterval()``, lowered from 5 ms
to :data:`SWITCH_INTERVAL` (1 ms) once the threads start: a cheap
request waits milliseconds for the export instead of its whole stage.
Without gevent (the Flask test client, a ``sync`` or ``gthread`` worker)
the work runs in the request's own thread, as before.

**Budget.** Before the engine runs, the request's shape (words x features
x windows, and the rows each window spans) gives what the answer will
cost; over the route's budget it is a JSON 400 naming the field to change.
See :func:`check_budget` for the figures, and ``python bench/costs.py``
for what each route costs at its largest accepted request.
"""
from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request

from pooling import resolve_geometry

from .errors import ApiError, error_response
from .wording import message

__all__ = ["HEAVY_ENDPOINTS", "Cost", "HeavyThreads", "check_budget", "offload", "pause", "register_limits"]

HEAVY_ENDPOINTS = frozenset({"exports.export", "teaching.gradient"})

T = TypeVar("T")

# Seconds a thread may hold the GIL while another waits for it, in a worker
# whose heavy threads have started. A gevent echo beside a busy Python thread
# (load 22-28, 2 cores) answered in 55-68 ms at p50 with the default 5 ms,
# 22-23 ms with 1 ms; the heavy thread loses only the switches.
SWITCH_INTERVAL = 0.001


def pause() -> None:
    """Let the worker's other requests run (gevent's ``sleep(0)`` once gunicorn patches ``time``)."""
    time.sleep(0)


@dataclass(frozen=True)
class Cost:
    """What an answer costs, worked out from the request's shape alone.

    ``cells`` counts the numbers and row indices the trace holds: the
    input (``steps x features``), the output (``windows x features``) and
    each window's rows (``windows x rows``). ``csv_bytes`` estimates the
    CSV export: one line per window and feature, each repeating the
    window's words (at most 200 characters).
    """

    steps: int
    features: int
    windows: int
    rows: int
    word_chars: int

    @property
    def cells(self) -> int:
        return self.steps * self.features + self.windows * (self.features + self.rows)

    @property
    def csv_bytes(self) -> int:
        words_cell = min(200, self.rows * (self.word_chars + 1))
        return (self.windows + 1) * self.features * (48 + words_cell)


# The largest request of each route, and what it cost before these budgets
# (bench/costs.py, the 256 x 64 trace with pool_size=2 as 1x): the trace itself
# stays within 3x at its largest (cells 98,304), so it needs no budget; the
# CSV of 256 windows of 256 words (4.0 MB, 9x) did, and is held to 1.5 MB,
# about 3x: the 256 x 64 trace's CSV with pool_size 2 and strides 1 is 1 MB,
# pool_size 8 with strides 1 is 1.4 MB; pool_size 16 and strides 1 is refused.
MAX_CSV_BYTES = 1_500_000


def check_budget(cost: Cost, export_format: str | None) -> None:
    """Raise ApiError (400, naming the field to change) if the answer would cost more than its route allows.

    >>> check_budget(Cost(steps=256, features=64, windows=256, rows=2, word_chars=4), "csv")
    >>> check_budget(Cost(steps=256, features=64, windows=256, rows=256, word_chars=4), "csv")
    Traceback (most recent call last):
    ...
    webapp.errors.ApiError: This CSV would be about 4.1 MB (257 windows x 64 features, each line repeating its window's words); the limit is 1.5 MB. Use a smaller pool_size, a larger strides, or fewer features.
    """
    if export_format == "csv" and cost.csv_bytes > MAX_CSV_BYTES:
        field = "pool_size" if cost.rows > 8 else "strides"
        raise ApiError(
            field,
            "errors.budget.csv",
            size=cost.csv_bytes / 1e6,
            windows=str(cost.windows + 1),
            features=str(cost.features),
            limit=MAX_CSV_BYTES / 1e6,
        )


def shape_cost(tokens: list[str], features: int, pool_size: int, strides: int | None, padding: str) -> Cost:
    """The :class:`Cost` of a trace of ``tokens`` (one row each) with ``features`` features."""
    geometry = resolve_geometry(len(tokens), pool_size, strides, padding)
    chars = max(1, round(sum(map(len, tokens)) / max(1, len(tokens))))
    return Cost(len(tokens), features, geometry.out_steps, min(pool_size, len(tokens)), chars)


def gevent_serves() -> bool:
    """Whether this process serves requests with gevent (gunicorn's gevent worker patches ``threading``)."""
    monkey = sys.modules.get("gevent.monkey")
    return monkey is not None and monkey.is_module_patched("threading")


def _outcome(function: Callable[..., T], args: tuple[Any, ...]) -> tuple[bool, T | BaseException]:
    # Handed back as a value: an exception escaping a pool thread is also
    # printed by gevent's hub, and a 400 is no error of the server's.
    try:
        return True, function(*args)
    except Exception as exc:  # noqa: BLE001 - raised again in the request's greenlet
        return False, exc


class HeavyThreads:
    """The native threads a worker's heavy routes compute on (see :func:`offload`).

    ``enabled`` None: when gevent serves this process; True or False:
    always or never (tests take the threads' path with the Flask test
    client). The pool belongs to the process and to the thread that first
    uses it (the worker's event loop), so it is started lazily, after
    gunicorn forks.
    """

    def __init__(self, size: int, enabled: bool | None = None) -> None:
        self.size = size
        self.enabled = enabled
        self._pool: Any = None
        self._pid = 0

    @property
    def active(self) -> bool:
        return gevent_serves() if self.enabled is None else self.enabled

    def run(self, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)``, on a pool thread when active; exceptions are raised here."""
        if not self.active:
            return function(*args)
        if self._pool is None or self._pid != os.getpid():
            from gevent.threadpool import ThreadPool

            self._pool, self._pid = ThreadPool(self.size), os.getpid()
            sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
        ok, value = self._pool.apply(_outcome, (function, args))
        if ok:
            return value  # type: ignore[return-value]
        raise value  # type: ignore[misc]


def offload(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` on this worker's heavy threads (see :class:`HeavyThreads`).

    ``function`` runs outside the request's context: it must not touch
    ``request``, ``g`` or ``current_app`` (read what it needs first and
    pass it in), nor the client's socket, nor :func:`pause`.
    """
    return current_app.extensions["heavy_threads"].run(function, *args)


def register_limits(app: Flask) -> None:
    """At most ``HEAVY_CONCURRENCY`` heavy requests at once in this worker; the next waits, then is a JSON 503."""
    slots = threading.BoundedSemaphore(app.config["HEAVY_CONCURRENCY"])
    wait = app.config["HEAVY_WAIT_SECONDS"]
    app.extensions["heavy_slots"] = slots
    app.extensions["heavy_threads"] = HeavyThreads(app.config["HEAVY_CONCURRENCY"], app.config["HEAVY_THREADS"])

    @app.before_request
    def _heavy_slot() -> Response | None:
        if request.endpoint not in HEAVY_ENDPOINTS:
            return None
        if not slots.acquire(timeout=wait):
            response = error_response(message("errors.busy.heavy"), "path", 503)
            response.headers["Retry-After"] = "1"
            return response
        g.heavy_slot = True
        pause()
        return None

    @app.teardown_request
    def _free_slot(exc: BaseException | None) -> None:
        if g.pop("heavy_slot", False):
            slots.release()
