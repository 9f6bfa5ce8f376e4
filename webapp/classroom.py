"""Routes for the classroom: the quiz's questions and the QR code of a lesson link.

``POST /api/quiz`` takes the view state of ``/api/trace`` plus ``quiz`` (the
seed) and answers with questions made by the engine (pooling/quiz.py), written
in the request's language (webapp/i18n.py); nothing of it is cached.
``GET /api/qr?link=<the page's address>`` answers with the link students can
reach and its QR code as SVG. Nothing is stored.
"""
from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import segno
from flask import Blueprint, Response, current_app, jsonify, request
from pydantic import ConfigDict, Field

from pooling.quiz import quiz

from .errors import ApiError
from .i18n import current
from .jsonbody import read_json_object
from .schemas import TraceRequest
from .service import source
from .wording import Message, message

__all__ = ["QuizRequest", "classroom", "reachable_link"]

classroom = Blueprint("classroom", __name__, url_prefix="/api")

MAX_SEED = 2**31 - 1
# A QR code holds at most 2,953 bytes (version 40, error correction L); a
# link that long no phone camera reads from across a room anyway.
MAX_LINK_CHARS = 2000
ALL_INTERFACES = {"0.0.0.0", "::", ""}


class QuizRequest(TraceRequest):
    """A trace request plus the seed that picks the questions."""

    model_config = ConfigDict(
        extra="forbid", title="QuizRequest", json_schema_extra=TraceRequest.model_config["json_schema_extra"]
    )

    quiz: int = Field(default=0, ge=0, le=MAX_SEED, description="Seed of the questions: one seed, one quiz.")


@classroom.post("/quiz")
def quiz_questions() -> Response:
    """Questions on the request's sentence and layer, with their answers and explanations, in its language."""
    req = QuizRequest.model_validate(read_json_object())
    tokens, x = source(req)
    questions = quiz(tokens, x, req.layer, req.pool_size, req.strides, req.padding, seed=req.quiz, lang=current().lang)
    return jsonify(questions=[q.to_dict() for q in questions], quiz=req.quiz)


def _lan_address() -> str | None:
    """This machine's address on the local network, or None (no network, only loopback)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            # connect() on UDP sends nothing: it only picks the outgoing interface.
            probe.connect(("192.0.2.1", 9))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if ipaddress.ip_address(address).is_loopback else address


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def reachable_link(link: str, public_url: str, host: str, lan_address: str | None) -> tuple[str, Message | None]:
    """The lesson link as students' devices can reach it, and a note for the teacher (a message, or None).

    Parameters
    ----------
    link : str
        The page's address as the teacher's browser sees it.
    public_url : str
        ``Config.PUBLIC_URL`` ("" when unset).
    host : str
        ``Config.HOST``, the interface the server listens on.
    lan_address : str or None
        This machine's address on the local network.

    Examples
    --------
    >>> link, note = reachable_link("http://127.0.0.1:8000/?mode=predict", "", "0.0.0.0", "192.168.1.20")
    >>> link, str(note)
    ('http://192.168.1.20:8000/?mode=predict', "The code carries this computer's address on the local network: phones on the same network can open it.")
    >>> reachable_link("http://localhost:8000/?quiz=3", "https://pool.example.edu/x", "127.0.0.1", None)[0]
    'https://pool.example.edu/x/?quiz=3'
    >>> reachable_link("https://pool.example.edu/?mode=predict", "", "127.0.0.1", None)
    ('https://pool.example.edu/?mode=predict', None)
    """
    parts = urlsplit(link)
    if not _is_loopback(parts.hostname or ""):
        return link, None
    if public_url:
        base = urlsplit(public_url)
        path = base.path.rstrip("/") + parts.path
        return urlunsplit((base.scheme, base.netloc, path, parts.query, parts.fragment)), None
    if host in ALL_INTERFACES and lan_address:
        netloc = lan_address + (f":{parts.port}" if parts.port else "")
        return (
            urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)),
            message("errors.qr.note_lan"),
        )
    return link, message("errors.qr.note_loopback", host=parts.hostname)


@classroom.get("/qr")
def qr() -> Response:
    """The lesson link students can reach, and its QR code as an SVG document."""
    link = request.args.get("link", "")
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ApiError("link", "errors.qr.link")
    if len(link) > MAX_LINK_CHARS:
        raise ApiError("link", "errors.qr.too_long", chars=len(link), max=MAX_LINK_CHARS)
    config = current_app.config
    reachable, note = reachable_link(link, config.get("PUBLIC_URL", ""), config.get("HOST", ""), _lan_address())
    code = segno.make(reachable, error="m", micro=False)
    # An SVG scales to any size without blurring: as big as the screen allows.
    image = code.svg_data_uri(scale=1, border=4, dark="#000", light="#fff", omitsize=True)
    body: dict[str, Any] = {
        "link": reachable,
        "note": "" if note is None else note.text(current()),
        "image": image,
        "version": code.version,
    }
    return jsonify(body)
