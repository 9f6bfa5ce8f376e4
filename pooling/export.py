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
the global layer (whose single window covers every word). Windows and words
are numbered as the page numbers them ("Window 1 of 3 covers 'the boy'
(words 1 to 2)"), features as the page names them (``f0`` is feature 0):

==================  =======================================================
column              meaning
==================  =======================================================
layer               ``MaxPooling1D``, ``GlobalMaxPooling1D``, or the averages
window              the window's number, from 1 (always 1 for the global layer)
first_word,         the numbers (from 1) of the first and last input rows the
last_word           window covers, both included; 0 and below, or past the
                    last word, is padding
words               the window's real words, space-separated (long lists are
                    shortened, see :data:`MAX_WORDS_CELL`)
padded              how many padded positions the window covers
feature             the feature, from 0 (column of the embeddings)
output              the layer's output for this window and feature (the
                    shortest decimal that reads back as the same float32)
winner_word_number  max only: the number (from 1) of the word whose value won
                    (the first maximum)
winner_word         max only: that word
divisor             average only: the real cells the window's sum is divided by
==================  =======================================================

**Formula injection.** A spreadsheet runs a cell that starts with ``=``,
``+``, ``-``, ``@``, tab or carriage return as a formula, so, as OWASP
recommends, such a *text* cell (a word, a list of words) gets a leading
``'``, which spreadsheets show as text and never run. The same holds after
leading blanks or a double quote, and after a ``;``, ``,``, ``|``, tab or
line end inside the cell (where a spreadsheet importing with another
separator would start a new cell): a ``'`` goes in there too. *Number* cells are
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
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from .traces import window_cells

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
    "first_word",
    "last_word",
    "words",
    "padded",
    "feature",
    "output",
    "winner_word_number",
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
# A formula may also start after blanks or a double quote at the cell's start
# (some spreadsheets trim them), or after a character that another locale's
# import splits cells on (";" in much of Europe, "|", tab, a line end).
_LEADING_FORMULA = re.compile(r'[\s"]*[=+\-@]|[\t\r]')
_INNER_FORMULA = re.compile(r'(?<=[,;|\t\r\n])(?=[\s"]*[=+\-@])')


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
        ``-``, ``@``, tab or carriage return (OWASP's CSV injection list),
        also after leading blanks or a double quote, and with ``'``
        inserted after any ``,``, ``;``, ``|``, tab or line end that such
        a character follows, in case a spreadsheet splits the cell there.

    Examples
    --------
    >>> neutralise_formula("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_formula("boy"), neutralise_formula("-1+2"), neutralise_formula("")
    ('boy', "'-1+2", '')
    >>> print(neutralise_formula("boy;=1+1"), neutralise_formula(' "=1'))
    boy;'=1+1 ' "=1
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    text = _INNER_FORMULA.sub("'", text)
    return "'" + text if _LEADING_FORMULA.match(text) else text


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
        pooling["output"], global_["output"]
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


def _same(value: Any) -> Any:
    return value


def _number_cell(value: int | float) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"a number cell must be an int or a float, got {value!r}")
    # repr: the shortest decimal that reads back as the same number (0.8, -0.2, 3e+38).
    return repr(value)


def _table(
    trace: Mapping[str, Any], text: Callable[[str], Any], number: Callable[[int | float], Any], empty: Any
) -> Iterator[list[Any]]:
    """Each row as a list in :data:`CSV_COLUMNS` order, cells formatted by ``text``/``number``.

    Everything that repeats (a window's words, a winner's word) is
    formatted once, so a 256-window, 64-feature CSV stays fast.
    """
    tokens, pooling, global_ = _parts(trace)
    steps = len(tokens)
    word_cells = [text(word) for word in tokens]
    n = [number(i) for i in range(max(steps + 1, len(global_["output"])))]
    # Windows and words counted from 1, as the page counts them.
    frames = []
    for frame, output in zip(pooling["frames"], pooling["output"]):
        rows, padded = window_cells(frame["start"], frame["stop"], steps)
        frames.append((pooling["name"], frame, rows, len(padded), output))
    everything: dict[str, Any] = {"index": 0, "start": 0, "stop": steps}
    if "winners" in global_:
        everything["winner_offsets"] = global_["winners"]  # its one window starts at row 0
    frames.append((global_["name"], everything, range(steps), 0, global_["output"]))
    for name, frame, rows, padded, output in frames:
        prefix = [
            text(name),
            number(frame["index"] + 1),
            number(frame["start"] + 1),
            number(frame["stop"]),
            text(_words_cell([tokens[i] for i in rows])),
            number(padded),
        ]
        offsets = frame.get("winner_offsets")
        winners = None if offsets is None else [frame["start"] + o for o in offsets]
        # An average divides by the window's real cells.
        divisor = number(len(rows)) if winners is None else empty
        for feature, value in enumerate(output):
            if winners is None:
                yield [*prefix, n[feature], number(value), empty, empty, divisor]
            else:
                winner = winners[feature]
                yield [*prefix, n[feature], number(value), n[winner + 1], word_cells[winner], divisor]


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
    return [dict(zip(CSV_COLUMNS, row)) for row in _table(trace, _same, _same, None)]


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
    layer,window,first_word,last_word,words,padded,feature,output,winner_word_number,winner_word,divisor
    AveragePooling1D,1,1,2,'=1+1 boy,0,0,-0.25,,,2
    GlobalAveragePooling1D,1,1,2,'=1+1 boy,0,0,-0.25,,,2
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_table(trace, neutralise_formula, _number_cell, ""))
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
