"""Downloads of the current view: ``POST /api/export/<format>``.

The body is exactly a ``POST /api/trace`` body; the answer is a file:

========  ==============================  =====================================
format    Content-Type                    file
========  ==============================  =====================================
csv       text/csv; charset=utf-8         one row per window and feature (with a
                                          UTF-8 byte-order mark, for Excel)
json      application/json                the ``POST /api/trace`` answer
keras     text/x-python; charset=utf-8    a Keras 3 program printing the numbers
pytorch   text/x-python; charset=utf-8    the PyTorch equivalent
html      text/html; charset=utf-8        the animation, playing offline with no
                                          server (webapp/standalone.py)
========  ==============================  =====================================

The file name comes only from validated settings (layer, pool_size,
strides, padding), never from the learner's words, so the
Content-Disposition header is always plain ASCII.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from flask import Blueprint, Response, request

from pooling.export import CSV_ENCODING, trace_csv
from pooling.snippets import keras_snippet, pytorch_snippet

from .encoding import accepts_gzip, choose_encoding, encode_response
from .errors import ApiError, show
from .i18n import current
from .jsonbody import parse_json_object, read_json_bytes
from .limits import check_budget, offload, shape_cost
from .schemas import TraceRequest
from .service import build_trace, source
from .standalone import standalone_gzip, standalone_html

__all__ = ["EXPORT_FORMATS", "export_filename", "exports"]

exports = Blueprint("exports", __name__, url_prefix="/api/export")


def _indented_json(trace: dict[str, Any]) -> str:
    return orjson.dumps(trace, option=orjson.OPT_INDENT_2).decode() + "\n"


def _keras(trace: dict[str, Any], req: TraceRequest, mode: str, lang: str) -> str:
    return keras_snippet(trace["x"], trace["tokens"], req.layer, req.pool_size, req.strides, req.padding)


def _pytorch(trace: dict[str, Any], req: TraceRequest, mode: str, lang: str) -> str:
    return pytorch_snippet(trace["x"], trace["tokens"], req.layer, req.pool_size, req.strides, req.padding)


# format: (Content-Type, file-name ending, encoding of the body, the text of the file
# from the trace, the request, the ?mode= of the HTML player and the request's language)
EXPORT_FORMATS: dict[str, tuple[str, str, str, Callable[[dict[str, Any], TraceRequest, str, str], str]]] = {
    "csv": ("text/csv; charset=utf-8", ".csv", CSV_ENCODING, lambda trace, req, mode, lang: trace_csv(trace)),
    # orjson, indented: the same document as pooling.export.trace_json, ten times faster on the largest.
    "json": ("application/json", ".json", "utf-8", lambda trace, req, mode, lang: _indented_json(trace)),
    "keras": ("text/x-python; charset=utf-8", "_keras.py", "utf-8", _keras),
    "pytorch": ("text/x-python; charset=utf-8", "_pytorch.py", "utf-8", _pytorch),
    "html": ("text/html; charset=utf-8", ".html", "utf-8", lambda trace, req, mode, lang: standalone_html(trace, mode, lang=lang)),
}


def export_filename(req: TraceRequest, ending: str) -> str:
    """A file name from the validated settings only, e.g. ``max_pooling1d_pool2_strides1_valid.csv``."""
    strides = "none" if req.strides is None else str(req.strides)
    return f"{req.layer}_pooling1d_pool{req.pool_size}_strides{strides}_{req.padding}{ending}"


@exports.post("/<any(csv, json, keras, pytorch, html):format>")
def export(format: str) -> Response:  # noqa: A002 - the URL's own word
    """The current view as a file to download: CSV, JSON, a Keras or PyTorch program, or an offline player."""
    data = read_json_bytes()
    # Read from the request here: export_response runs on a heavy thread (webapp/limits.py).
    mode = request.args.get("mode", "watch")
    return offload(export_response, format, data, mode, choose_encoding(request), accepts_gzip(request), current().lang)


def export_response(  # noqa: A002
    format: str, data: bytes, mode: str, encoding: str | None, gzip_ok: bool, lang: str = "en"
) -> Response:
    """The export of the JSON body ``data``, compressed in ``encoding`` (None: not compressed); the player in ``lang``."""
    req = TraceRequest.model_validate(parse_json_object(data))
    content_type, ending, charset, render = EXPORT_FORMATS[format]
    tokens, x = source(req)
    check_budget(shape_cost(tokens, x.shape[1], req.pool_size, req.strides, req.padding), format)
    trace = build_trace(req)
    if format == "html" and gzip_ok:
        # Compressed like every answer, but only the trace's part now: the rest
        # of the file (Plotly and the modules, 1.5 MB) was compressed at start-up.
        response = Response(standalone_gzip(trace, mode, lang=lang), content_type=content_type)
        response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
    else:
        # As compress_response (webapp/encoding.py) would after the view, but on this thread.
        response = encode_response(Response(render(trace, req, mode, lang).encode(charset), content_type=content_type), encoding)
    response.headers["Content-Disposition"] = f'attachment; filename="{export_filename(req, ending)}"'
    return response


@exports.post("/<path:name>")
def unknown_format(name: str) -> Response:
    """Any other format: a 404 that lists the formats there are."""
    raise ApiError("path", "errors.export.unknown_format", 404, name=show(name, 40), formats=", ".join(EXPORT_FORMATS))
