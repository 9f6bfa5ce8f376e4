"""Exports of a trace: CSV for spreadsheets, JSON for programs.

Every exporter takes the same thing, a *trace mapping*: a dict with
``"tokens"`` (one word per input row), ``"pooling"`` (a
:meth:`~pooling.PoolingTrace.to_dict`) and ``"global"`` (a
:meth:`~pooling.GlobalTrace.to_dict`), extra keys allowed. That is the body
``POST /api/trace`` answers and what ``python -m pooling --json`` prints, so
the web layer and the command line export the very same numbers. Each
exporter returns text; encoding and writing are the caller's (use
:data:`CSV_ENCODING` for CSV files).

The CSV has one row per window and feature, then one row per feature for
the global layer (whose single window covers every word):

=============  ===========================================================
column         meaning
=============  ===========================================================
layer          ``MaxPooling1D``, ``GlobalMaxPooling1D``, or the averages
window         0-based window index (always 0 for the global layer)
start, stop    the window's input positions, ``start`` up to not including
               ``stop``; below 0 or at ``steps`` and beyond is padding
words          the window's real words, space-separated (long lists are
               shortened, see :data:`MAX_WORDS_CELL`)
padded         how many padded positions the window covers
feature        0-based feature (column of the embeddings)
output         the layer's output for this window and feature (the
               shortest decimal that reads back as the same float32)
winner_row     max only: the input row whose value won (the first maximum)
winner_word    max only: that row's word
divisor        average only: the real cells the window's sum is divided by
=============  ===========================================================

**Formula injection.** A spreadsheet runs a cell that starts with ``=``,
``+``, ``-``, ``@``, tab or carriage return as a formula, so, as OWASP
recommends, such a *text* cell (a word, a list of words) gets a leading
``'``, which spreadsheets show as text and never run. *Number* cells are
never touched: they are written by this module from Python numbers, so a
cell such as ``-0.2`` is only ever a plain number literal, which no
spreadsheet evaluates as a formula; quoting it would turn every negative
output into text that cannot be summed or charted. The decision is made by
column type, not by sniffing content, so a *word* that happens to look like
a number (``+5``) is still neutralised.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "CSV_COLUMNS",
    "CSV_ENCODING",
    "MAX_WORDS_CELL",
    "neutralise_formula",
    "trace_csv",
    "trace_json",
    "trace_rows",
]

CSV_COLUMNS = (
    "layer",
    "window",
    "start",
    "stop",
    "words",
    "padded",
    "feature",
    "output",
    "winner_row",
    "winner_word",
    "divisor",
)

# With a byte-order mark, Excel opens UTF-8 correctly (without one it guesses
# a legacy code page and mangles every non-ASCII word); Python reads it back
# with encoding="utf-8-sig", and LibreOffice and Google Sheets ignore it.
CSV_ENCODING = "utf-8-sig"

# A window of 256 words repeated on 64 feature rows would make a CSV of over
# 100 MB; past this many characters the words cell is shortened.
MAX_WORDS_CELL = 200

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """Text a spreadsheet shows as text: a leading ``'`` before a formula start.

    Parameters
    ----------
    text : str
        A text cell (never a number: see the module docstring).

    Returns
    -------
    str
        ``text``, with ``'`` prepended when it starts with ``=``, ``+``,
        ``-``, ``@``, tab or carriage return (OWASP's CSV injection list).

    Examples
    --------
    >>> neutralise_formula("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_formula("boy"), neutralise_formula("-1+2"), neutralise_formula("")
    ('boy', "'-1+2", '')
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _words_cell(words: Sequence[str]) -> str:
    text = " ".join(words)
    if len(text) <= MAX_WORDS_CELL:
        return text
    shown: list[str] = []
    length = 0
    for word in words:
        if length + len(word) + 1 > MAX_WORDS_CELL - 20:
            break
        shown.append(word)
        length += len(word) + 1
    return " ".join(shown) + f" \u2026 (+{len(words) - len(shown)} more)"


def _parts(trace: Mapping[str, Any]) -> tuple[list[str], Mapping[str, Any], Mapping[str, Any]]:
    try:
        tokens, pooling, global_ = trace["tokens"], trace["pooling"], trace["global"]
        frames, steps = pooling["frames"], pooling["steps"]
        global_["output"]
    except (KeyError, TypeError):
        raise ValueError(
            'trace must be a mapping with "tokens", "pooling" and "global" as POST /api/trace '
            "returns them"
        ) from None
    if len(tokens) != steps or not all(isinstance(word, str) for word in tokens):
        raise ValueError(f"trace tokens must be {steps} words, one per input row")
    if not isinstance(frames, list):
        raise ValueError("trace pooling frames must be a list")
    return list(tokens), pooling, global_


def trace_rows(trace: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One dict per window and feature, then per feature of the global layer.

    Values are plain: ``str`` for text, ``int``/``float`` for numbers and
    ``None`` for a column that does not apply (``winner_*`` of an average,
    ``divisor`` of a max). No neutralisation here: that belongs to
    :func:`trace_csv`.

    Parameters
    ----------
    trace : mapping
        ``{"tokens": ..., "pooling": ..., "global": ...}``, see the module
        docstring.

    Returns
    -------
    list of dict
        Keyed by :data:`CSV_COLUMNS`.

    Examples
    --------
    >>> from pooling import trace_global, trace_pooling
    >>> x = [[.7, -.2], [.8, -.3], [.2, -.1]]
    >>> trace = {"tokens": ["the", "boy", "will"],
    ...          "pooling": trace_pooling(x, "max", 2, 1).to_dict(),
    ...          "global": trace_global(x, "max").to_dict()}
    >>> rows = trace_rows(trace)
    >>> len(rows)  # 2 windows x 2 features, then 2 global features
    6
    >>> rows[1]["words"], rows[1]["output"], rows[1]["winner_word"]
    ('the boy', -0.2, 'the')
    >>> rows[-1]["layer"], rows[-1]["output"], rows[-1]["winner_word"]
    ('GlobalMaxPooling1D', -0.1, 'will')
    """
    tokens, pooling, global_ = _parts(trace)
    steps = len(tokens)
    rows: list[dict[str, Any]] = []
    for frame in pooling["frames"]:
        words = _words_cell([tokens[i] for i in frame["rows"]])
        winners = frame.get("winners")
        for feature, value in enumerate(frame["output"]):
            winner = None if winners is None else winners[feature]
            rows.append(
                {
                    "layer": pooling["name"],
                    "window": frame["index"],
                    "start": frame["start"],
                    "stop": frame["stop"],
                    "words": words,
                    "padded": len(frame["padded"]),
                    "feature": feature,
                    "output": value,
                    "winner_row": winner,
                    "winner_word": None if winner is None else tokens[winner],
                    "divisor": frame.get("divisor"),
                }
            )
    everything = _words_cell(tokens)
    winners = global_.get("winners")
    for feature, value in enumerate(global_["output"]):
        winner = None if winners is None else winners[feature]
        rows.append(
            {
                "layer": global_["name"],
                "window": 0,
                "start": 0,
                "stop": steps,
                "words": everything,
                "padded": 0,
                "feature": feature,
                "output": value,
                "winner_row": winner,
                "winner_word": None if winner is None else tokens[winner],
                "divisor": None if winners is not None else steps,
            }
        )
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise_formula(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"a CSV cell must be text, a number or None, got {value!r}")
    # repr: the shortest decimal that reads back as the same number (0.8, -0.2, 3e+38).
    return repr(value)


def trace_csv(trace: Mapping[str, Any]) -> str:
    """The trace as CSV text (RFC 4180: CRLF line ends, quotes where needed).

    A header row of :data:`CSV_COLUMNS`, then :func:`trace_rows`, with
    every text cell neutralised against formula injection and number cells
    written as plain number literals (see the module docstring). Encode
    with :data:`CSV_ENCODING` when writing a file.

    Examples
    --------
    >>> from pooling import trace_global, trace_pooling
    >>> x = [[.75], [-1.25]]
    >>> trace = {"tokens": ["=1+1", "boy"],
    ...          "pooling": trace_pooling(x, "average", 2).to_dict(),
    ...          "global": trace_global(x, "average").to_dict()}
    >>> for line in trace_csv(trace).splitlines():
    ...     print(line)
    layer,window,start,stop,words,padded,feature,output,winner_row,winner_word,divisor
    AveragePooling1D,0,0,2,'=1+1 boy,0,0,-0.25,,,2
    GlobalAveragePooling1D,0,0,2,'=1+1 boy,0,0,-0.25,,,2
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in trace_rows(trace):
        writer.writerow([_cell(row[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()


def trace_json(trace: Mapping[str, Any]) -> str:
    """The trace as indented JSON text, exactly as given (words unescaped).

    Standard JSON only: NaN or infinity raise ``ValueError``.

    Examples
    --------
    >>> print(trace_json({"tokens": ["café"], "output": [0.8]}), end="")
    {
      "tokens": [
        "café"
      ],
      "output": [
        0.8
      ]
    }
    """
    if not isinstance(trace, Mapping):
        raise ValueError(f"trace must be a mapping, got {type(trace).__name__}")
    return json.dumps(trace, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
