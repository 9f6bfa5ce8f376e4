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
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .vendor import plotly_js_path

__all__ = ["module_sources", "standalone_html"]

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


def standalone_html(trace: Mapping[str, Any], mode: str = "watch") -> str:
    """The HTML file for a trace (the ``POST /api/trace`` answer, or the CLI's ``--json``).

    ``mode="predict"`` opens it in predict mode (the learner predicts each
    window before it is shown); the file can switch either way.
    """
    plotly, css, modules = _assets()
    data = {key: trace[key] for key in ("tokens", "x", "pooling", "global")}
    return _ENV.get_template("standalone.html").render(
        trace=data,
        options={"mode": "predict" if mode == "predict" else "watch"},
        title=f"{trace['pooling']['call']} and {trace['global']['call']}",
        plotly=plotly,
        css=css,
        modules=modules,
        entry=ENTRY,
    )
