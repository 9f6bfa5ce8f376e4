"""``python -m pooling``: a walk-through of 1-D pooling a learner can follow.

Example::

    python -m pooling --preset classic
    python -m pooling "the boy will live" --pool-size 2 --strides 1

With ``--preset``, the layer is the one the preset teaches with (its
``settings``); each of ``--layer``, ``--pool-size``, ``--strides`` and
``--padding`` given on the command line replaces that one setting.
Words are numbered from 1, as a learner counts them.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .embeddings import MAX_FEATURES, tokenize, toy_embeddings
from .export import CSV_ENCODING, trace_csv
from .layers import DATA_FORMATS, PADDINGS
from .presets import PRESETS, get_preset
from .traces import TRACE_FORMAT, GlobalTrace, PoolingTrace, json_floats, trace_global, trace_pooling, window_cells

__all__ = ["main", "walk_through"]

# The layer without a preset: what Keras' MaxPooling1D() defaults to.
LAYER_DEFAULTS = {"layer": "max", "pool_size": 2, "strides": None, "padding": "valid"}

# Files the command line can write: flag -> (trace mapping -> text, file encoding).
# The trace mapping is what --json prints and POST /api/trace answers; another
# export (such as --html FILE) is one more entry here and one add_argument.
def _standalone_html(trace: dict) -> str:
    # The HTML player lives with the page it shares its drawing code with
    # (webapp/ and static/); imported only when --html asks for it, so the
    # engine itself never needs Flask or Jinja.
    from webapp.standalone import standalone_html

    return standalone_html(trace)


FILE_EXPORTS = {"csv": (trace_csv, CSV_ENCODING), "html": (_standalone_html, "utf-8")}


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's own messages have no full stop; every message here ends as a sentence.
        message = message.rstrip()
        if not message.endswith((".", "?", "!")):
            message += "."
        self.exit(2, f"{self.prog}: error: {message}\n")


def _strides(text: str) -> int | None:
    if text.lower() == "none":
        return None
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number or None, got {text!r}") from None


def _parser() -> _Parser:
    parser = _Parser(
        prog="python -m pooling",
        description="Walk through Keras' MaxPooling1D (or AveragePooling1D) and its "
        "global twin on a sentence of toy word embeddings.",
    )
    parser.add_argument("sentence", nargs="?", help="the words to pool (labels the rows of a preset)")
    parser.add_argument(
        "--preset", choices=sorted(PRESETS),
        help="hand-written embeddings and the layer settings they teach with, e.g. classic",
    )
    # Layer flags default to "not given", so a preset's own settings apply unless overridden.
    parser.add_argument(
        "--layer", choices=("max", "average"), default=argparse.SUPPRESS,
        help="default: max, or the preset's layer",
    )
    parser.add_argument(
        "--pool-size", type=int, default=argparse.SUPPRESS, dest="pool_size",
        help="default: 2, or the preset's pool_size",
    )
    parser.add_argument(
        "--strides", type=_strides, default=argparse.SUPPRESS,
        help="a whole number, or None (= pool size); default: None, or the preset's strides",
    )
    parser.add_argument(
        "--padding", choices=PADDINGS, default=argparse.SUPPRESS, type=str.lower,
        help="default: valid, or the preset's padding",
    )
    parser.add_argument("--data-format", choices=DATA_FORMATS, default="channels_last", dest="data_format")
    parser.add_argument("--keepdims", action="store_true", help="keep the steps axis in the global output")
    parser.add_argument("--features", type=int, default=4, help=f"toy embedding size, 1 to {MAX_FEATURES}")
    parser.add_argument("--seed", type=int, default=0, help="toy embedding seed")
    parser.add_argument("--json", action="store_true", help="print the traces as JSON")
    parser.add_argument(
        "--csv", metavar="FILE",
        help="also write the trace as CSV, one row per window and feature "
        "(- prints it instead of the walk-through)",
    )
    parser.add_argument(
        "--html", metavar="FILE",
        help="also write the animation as one HTML file that plays offline, with no server "
        "(- prints it instead of the walk-through)",
    )
    return parser


def layer_settings(args: argparse.Namespace) -> dict[str, object]:
    """The layer to trace: the preset's settings (or the defaults), then each flag given.

    Examples
    --------
    >>> layer_settings(_parser().parse_args(["--preset", "negatives", "--layer", "average"]))
    {'layer': 'average', 'pool_size': 3, 'strides': 1, 'padding': 'same'}
    >>> layer_settings(_parser().parse_args(["a b c"]))
    {'layer': 'max', 'pool_size': 2, 'strides': None, 'padding': 'valid'}
    """
    base = get_preset(args.preset).settings if args.preset else LAYER_DEFAULTS
    return {key: getattr(args, key, value) for key, value in base.items()}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun if n == 1 else noun + 's'}"


def _ordinal(n: int) -> str:
    names = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
    if n <= len(names):
        return names[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def name_word(tokens: Sequence[str], row: int, among: Sequence[int]) -> str:
    """The word at ``row``, told apart from its repeats in ``among`` (1-based word numbers).

    Examples
    --------
    >>> name_word(["red", "red", "blue"], 0, [0, 1])
    "the first 'red' (word 1)"
    >>> name_word(["red", "red", "blue"], 2, [0, 1, 2])
    "'blue'"
    """
    same = [r for r in among if tokens[r] == tokens[row]]
    if len(same) < 2:
        return f"'{tokens[row]}'"
    return f"the {_ordinal(same.index(row) + 1)} '{tokens[row]}' (word {row + 1})"


def _sum(values: Sequence[float]) -> str:
    """Terms of a sum as a learner writes them: 0.73 - 0.18 + 0.28."""
    text = ""
    for i, value in enumerate(values):
        term = f"{value:g}"
        if i == 0:
            text = term
        elif term.startswith("-"):
            text += f" - {term[1:]}"
        else:
            text += f" + {term}"
    return text


def _inputs(args: argparse.Namespace) -> tuple[list[str], NDArray[np.float64]]:
    if args.preset is None:
        if args.sentence is None:
            raise ValueError("A sentence is required unless --preset is given.")
        tokens = tokenize(args.sentence)
        return tokens, toy_embeddings(tokens, args.features, args.seed)
    preset = get_preset(args.preset)
    if args.sentence is None:
        return list(preset.tokens), preset.x()
    tokens = tokenize(args.sentence)
    if len(tokens) != len(preset.tokens):
        raise ValueError(
            f"sentence has {_count(len(tokens), 'word')} but preset {preset.name!r} has vectors "
            f"for {_count(len(preset.tokens), 'word')} ({preset.sentence!r})."
        )
    return tokens, preset.x()


def _shape(batch: int, steps: int, features: int, data_format: str) -> tuple[int, ...]:
    return (batch, steps, features) if data_format == "channels_last" else (batch, features, steps)


def _table(rows: Sequence[str], matrix: NDArray[np.floating], width: int) -> list[str]:
    header = " " * width + "".join(f"{f'f{j}':>8}" for j in range(matrix.shape[1]))
    lines = [header]
    for label, row in zip(rows, matrix):
        lines.append(f"{label:<{width}}" + "".join(f"{v:8.2f}" for v in row))
    return lines


def _quote(tokens: Sequence[str], frame: dict) -> str:
    words = ["<pad>" if p < 0 or p >= len(tokens) else tokens[p] for p in range(frame["start"], frame["stop"])]
    return "'" + " ".join(words) + "'"


def walk_through(
    tokens: list[str],
    x: NDArray[np.floating],
    pooling: PoolingTrace,
    global_: GlobalTrace,
    data_format: str = "channels_last",
    keepdims: bool = False,
) -> str:
    """The ASCII walk-through: windows, winners, outputs and shapes.

    Examples
    --------
    >>> p = get_preset("classic")
    >>> text = walk_through(list(p.tokens), p.x(), trace_pooling(p.x(), "max", 2, 1), trace_global(p.x()))
    >>> print(text.splitlines()[-2])
      (1, 4, 3) -> MaxPooling1D -> (1, 3, 3)
    """
    data = pooling.to_dict()
    steps, features = x.shape
    width = max(6, *(len(t) + 2 for t in tokens))
    verb = "max" if pooling.kind == "max" else "mean"
    lines = [
        f"Input: {_count(steps, 'word')} x {_count(features, 'feature')} (words numbered from 1)",
        *_table(tokens, x, width),
        "",
    ]
    lines += [data["call"], f"  output length: {data['formula']}"]
    if data["pad_left"] or data["pad_right"]:
        lines.append(
            f"  padding: {data['pad_left']} before, {data['pad_right']} after "
            "(padded cells never count)"
        )
    lines.append("")
    pool_size = data["config"]["pool_size"]
    for frame, output in zip(data["frames"], data["output"]):
        rows, padded = window_cells(frame["start"], frame["stop"], steps)
        lines.append(f"Window {frame['index'] + 1} of {data['out_steps']} covers {_quote(tokens, frame)}")
        if pooling.kind == "average" and padded:
            lines.append(
                f"  {_count(len(padded), 'padded position')} not counted: "
                f"each mean divides by {len(rows)}, not by pool_size {pool_size}"
            )
        for j, value in enumerate(output):
            if pooling.kind == "max":
                source = f"from {name_word(tokens, frame['start'] + frame['winner_offsets'][j], rows)}"
            elif len(rows) <= 4:
                source = f"= ({_sum([float(x[r, j]) for r in rows])}) / {len(rows)}"
            else:
                source = f"= sum {float(x[rows, j].sum()):g} / {len(rows)}"
            lines.append(f"  f{j}: {verb} {value:6.2f} {source}")
    out = np.asarray(data["output"])
    lines += ["", f"Output ({data['out_steps']} x {features}):"]
    lines += _table([f"out{i}" for i in range(len(out))], out, width)
    g = global_.to_dict()
    lines += ["", g["call"]]
    for j, value in enumerate(g["output"]):
        if "winners" in g:
            source = f"from {name_word(tokens, g['winners'][j], range(steps))}"
        else:
            source = f"over {_count(steps, 'word')}"
        lines.append(f"  f{j}: {verb} {value:6.2f} {source}")
    vector = "[" + ", ".join(f"{v:g}" for v in g["output"]) + "]"
    if g["is_single_row"]:
        lines.append(f"  {vector} is the vector of {name_word(tokens, g['single_row'], range(steps))}.")
    else:
        lines.append(f"  {vector} is not the vector of any single word.")
    global_shape = (1, 1, features) if data_format == "channels_last" else (1, features, 1)
    lines += [
        "",
        "Shapes:",
        f"  {_shape(1, steps, features, data_format)} -> {pooling.name} -> "
        f"{_shape(1, data['out_steps'], features, data_format)}",
        f"  {_shape(1, steps, features, data_format)} -> {global_.name} -> "
        f"{global_shape if keepdims else (1, features)}",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    settings = layer_settings(args)
    try:
        tokens, x = _inputs(args)
        pooling = trace_pooling(x, settings["layer"], settings["pool_size"], settings["strides"], settings["padding"])
        global_ = trace_global(x, settings["layer"])
    except ValueError as error:
        parser.error(str(error))
    payload = {"format": TRACE_FORMAT, "tokens": tokens, "x": json_floats(x), "pooling": pooling.to_dict(), "global": global_.to_dict()}
    text = None
    for flag, (render, encoding) in FILE_EXPORTS.items():
        path = getattr(args, flag)
        if path == "-":
            if args.json or text is not None:
                parser.error(f"--{flag} - and another output both want standard output; give --{flag} a file name")
            # As written to a file, but with no byte-order mark: that is for spreadsheets.
            text = render(payload)
        elif path is not None:
            try:
                with open(path, "w", encoding=encoding, newline="") as file:
                    file.write(render(payload))
            except OSError as error:
                parser.error(f"cannot write --{flag} {path}: {error.strerror or error}")
    if text is None and args.json:
        text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    elif text is None:
        text = walk_through(tokens, x, pooling, global_, args.data_format, args.keepdims) + "\n"
    try:
        sys.stdout.write(text)
    except BrokenPipeError:
        # The reader (e.g. `| head`) has gone; that is not an error of ours.
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
