"""A standalone HTML file of one trace: it plays offline, with no server.

The file holds plotly.js (the vendored bundle the page serves), the page's
own ES modules that draw the views (static/js/standalone.js and what it
imports, the same code as the page), its stylesheet, and the trace as JSON
data. A learner's words reach the file only inside that JSON, escaped for
HTML by Jinja's ``tojson``: never as markup.

Modules cannot import each other from inside one file, so a small loader
turns each into a ``blob:`` URL, in dependency order, rewriting its
``from "./name.js"`` imports to those URLs.
"""
from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import markupsafe
import orjson
from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2.utils import htmlsafe_json_dumps

from pooling.i18n import DEFAULT_LANGUAGE, messages

from .i18n import page_messages
from .vendor import plotly_js_path

__all__ = ["module_sources", "render_standalone", "standalone_gzip", "standalone_html"]

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
ENTRY = "standalone.js"
_IMPORT = re.compile(r'from\s+"\./([\w-]+\.js)"')


def module_sources(entry: str = ENTRY, folder: Path = STATIC / "js") -> list[tuple[str, str]]:
    """``entry`` and every module it imports, each after the modules it imports.

    >>> [name for name, _ in module_sources()][-1]
    'standalone.js'
    """
    ordered: list[tuple[str, str]] = []
    seen: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in seen:
            return
        if name in path:
            raise ValueError(f"modules import each other in a cycle: {' -> '.join((*path, name))}.")
        source = (folder / name).read_text(encoding="utf-8")
        for dependency in _IMPORT.findall(source):
            visit(dependency, (*path, name))
        seen.add(name)
        ordered.append((name, source))

    visit(entry, ())
    return ordered


def _inline_script(text: str) -> str:
    # Inside <script>, only "</script" (any case) would end the element early;
    # "<\/" means the same to JavaScript in strings and regular expressions.
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str, tuple[tuple[str, str], ...]]:
    plotly = _inline_script(plotly_js_path().read_text(encoding="utf-8"))
    sheets = [STATIC / "css" / name for name in ("app.css", "predict.css")]
    css = "\n".join(sheet.read_text(encoding="utf-8") for sheet in sheets).replace("</", "<\\/")
    modules = tuple((name, _inline_script(source)) for name, source in module_sources())
    return plotly, css, modules


_ENV = Environment(
    loader=FileSystemLoader(ROOT / "templates"),
    autoescape=select_autoescape(["html"]),
    keep_trailing_newline=True,
)
# |tojson through orjson (sorted keys, as Jinja's default): the largest trace's
# JSON in a fifth of the standard library's time.
_ENV.policies["json.dumps_function"] = lambda value, **options: orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
_ENV.policies["json.dumps_kwargs"] = {}


def render_standalone(trace: Any, title: str, options: Any, lang: str = DEFAULT_LANGUAGE) -> str:
    """The template itself, rendered in one piece (the reference :func:`standalone_html` matches).

    The file is in ``lang``: its texts, ``<html lang>``, and the catalog its modules read.
    """
    plotly, css, modules = _assets()
    words = messages(lang)
    return _ENV.get_template("standalone.html").render(
        trace=trace, title=title, options=options, plotly=plotly, css=css, modules=modules, entry=ENTRY,
        lang=words.lang, t=words.t, t_html=lambda key, **params: markupsafe.Markup(
            words.t(key, **{name: markupsafe.escape(value) for name, value in params.items()})
        ), messages=page_messages(words.lang),
    )


_TITLE_MARK = "\x00title\x00"
_TRACE_MARK = "\x00trace\x00"
_OPTIONS_MARK = "\x00options\x00"


@dataclass(frozen=True)
class _Frame:
    """The file around its two variable parts: the title, and the trace's JSON."""

    head: str
    middle: str
    between: str  # from the trace's JSON to the options' (the mode the file opens in)
    tail: bytes
    tail_deflate: bytes  # raw deflate of ``tail``, ending the stream
    tail_crc: int


@lru_cache(maxsize=8)
def _frame(lang: str = DEFAULT_LANGUAGE) -> _Frame:
    # The title comes before the style sheet and the trace before Plotly and the
    # modules: the tail (about 1.5 MB) is the same in every file, so it is
    # encoded and compressed once per process.
    text = render_standalone(_TRACE_MARK, _TITLE_MARK, _OPTIONS_MARK, lang)
    head, rest = text.split(str(markupsafe.escape(_TITLE_MARK)), 1)
    middle, rest = rest.split(_tojson(_TRACE_MARK), 1)
    between, tail_text = rest.split(_tojson(_OPTIONS_MARK), 1)
    tail = tail_text.encode("utf-8")
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return _Frame(head, middle, between, tail, packer.compress(tail) + packer.flush(), zlib.crc32(tail))


def _tojson(value: Any) -> str:
    # What the template's |tojson writes, with the environment's options (sorted keys).
    policies = _ENV.policies
    return str(htmlsafe_json_dumps(value, dumps=policies["json.dumps_function"], **policies["json.dumps_kwargs"]))


def _title(trace: Mapping[str, Any], lang: str) -> str:
    return messages(lang).t("page.standalone.calls", sliding=trace["pooling"]["call"], global_call=trace["global"]["call"])


def _front(trace: Mapping[str, Any], mode: str, lang: str) -> bytes:
    frame = _frame(lang)
    data = {key: trace[key] for key in ("tokens", "x", "pooling", "global")}
    options = {"mode": "predict" if mode == "predict" else "watch"}
    # Jinja's own tojson and autoescape, so the file is the template's, byte for byte.
    # str(): a plain str added to Markup would be escaped.
    parts = (frame.head, str(markupsafe.escape(_title(trace, lang))), frame.middle, _tojson(data), frame.between, _tojson(options))
    return "".join(parts).encode("utf-8")


def standalone_html(trace: Mapping[str, Any], mode: str = "watch", lang: str = DEFAULT_LANGUAGE) -> str:
    """The HTML file for a trace (the ``POST /api/trace`` answer, or the CLI's ``--json``).

    ``mode="predict"`` opens it in predict mode (the learner predicts each
    window before it is shown); the file can switch either way. ``lang``: the
    language of its texts (the request's, from the page that asked).
    """
    return _front(trace, mode, lang).decode("utf-8") + _frame(lang).tail.decode("utf-8")


def standalone_gzip(trace: Mapping[str, Any], mode: str = "watch", level: int = 4, lang: str = DEFAULT_LANGUAGE) -> bytes:
    """:func:`standalone_html` as UTF-8, gzipped: only the part that depends on the trace is compressed now.

    One gzip member whose deflate stream is the trace's part, flushed to a
    byte boundary, followed by the fixed tail's deflate compressed once at
    start-up: any gzip reader reads it as one file.
    """
    frame = _frame(lang)
    front = _front(trace, mode, lang)
    packer = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = packer.compress(front) + packer.flush(zlib.Z_SYNC_FLUSH)
    crc = zlib.crc32(frame.tail, zlib.crc32(front))
    size = (len(front) + len(frame.tail)) & 0xFFFFFFFF
    # Header: magic, deflate, no flags, mtime 0 (the same bytes every time), no extra flags, unknown OS.
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + body + frame.tail_deflate + struct.pack("<II", crc, size)
