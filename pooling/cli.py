"""``python -m pooling``: a walk-through of 1-D pooling a learner can follow.

Example::

    python -m pooling "the boy will live" --preset classic --pool-size 2 --strides 1
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .embeddings import MAX_FEATURES, tokenize, toy_embeddings
from .layers import DATA_FORMATS, PADDINGS
from .presets import PRESETS, get_preset
from .traces import GlobalTrace, PoolingTrace, trace_global, trace_pooling

__all__ = ["main", "walk_through"]


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def _strides(text: str) -> int | None:
    if text.lower() == "none":
        return None
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer or None, got {text!r}") from None


def _parser() -> _Parser:
    parser = _Parser(
        prog="python -m pooling",
        description="Walk through Keras' MaxPooling1D (or AveragePooling1D) and its "
        "global twin on a sentence of toy word embeddings.",
    )
    parser.add_argument("sentence", nargs="?", help="the words to pool (labels the rows of a preset)")
    parser.add_argument("--preset", choices=sorted(PRESETS), help="hand-written embeddings, e.g. classic")
    parser.add_argument("--layer", choices=("max", "average"), default="max")
    parser.add_argument("--pool-size", type=int, default=2, dest="pool_size")
    parser.add_argument("--strides", type=_strides, default=None, help="an integer, or None (= pool size)")
    parser.add_argument("--padding", choices=PADDINGS, default="valid", type=str.lower)
    parser.add_argument("--data-format", choices=DATA_FORMATS, default="channels_last", dest="data_format")
    parser.add_argument("--keepdims", action="store_true", help="keep the steps axis in the global output")
    parser.add_argument("--features", type=int, default=4, help=f"toy embedding size, 1 to {MAX_FEATURES}")
    parser.add_argument("--seed", type=int, default=0, help="toy embedding seed")
    parser.add_argument("--json", action="store_true", help="print the traces as JSON")
    return parser


def _inputs(args: argparse.Namespace) -> tuple[list[str], NDArray[np.float64]]:
    if args.preset is None:
        if args.sentence is None:
            raise ValueError("sentence is required unless --preset is given")
        tokens = tokenize(args.sentence)
        return tokens, toy_embeddings(tokens, args.features, args.seed)
    preset = get_preset(args.preset)
    if args.sentence is None:
        return list(preset.tokens), preset.x()
    tokens = tokenize(args.sentence)
    if len(tokens) != len(preset.tokens):
        raise ValueError(
            f"sentence has {len(tokens)} words but preset {preset.name!r} has vectors "
            f"for {len(preset.tokens)} ({preset.sentence!r})"
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
    lines = [f"Input: {steps} words x {features} features", *_table(tokens, x, width), ""]
    lines += [data["call"], f"  output length: {data['formula']}"]
    if data["pad_left"] or data["pad_right"]:
        lines.append(
            f"  padding: {data['pad_left']} before, {data['pad_right']} after "
            "(padded cells never count)"
        )
    lines.append("")
    for frame in data["frames"]:
        lines.append(f"Window {frame['index'] + 1} of {data['out_steps']} covers {_quote(tokens, frame)}")
        for j, value in enumerate(frame["output"]):
            if pooling.kind == "max":
                source = f"from '{tokens[frame['winners'][j]]}'"
            else:
                source = f"= sum / {frame['divisor']} real cells"
            lines.append(f"  f{j}: {verb} {value:6.2f} {source}")
    out = np.asarray(data["output"])
    lines += ["", f"Output ({data['out_steps']} x {features}):"]
    lines += _table([f"out{i}" for i in range(len(out))], out, width)
    g = global_.to_dict()
    lines += ["", g["call"]]
    for j, value in enumerate(g["output"]):
        source = f"from '{tokens[g['winners'][j]]}'" if "winners" in g else f"over {steps} words"
        lines.append(f"  f{j}: {verb} {value:6.2f} {source}")
    vector = "[" + ", ".join(f"{v:g}" for v in g["output"]) + "]"
    if g["is_single_row"]:
        lines.append(f"  {vector} is the vector of '{tokens[g['single_row']]}'.")
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
    try:
        tokens, x = _inputs(args)
        pooling = trace_pooling(x, args.layer, args.pool_size, args.strides, args.padding)
        global_ = trace_global(x, args.layer)
    except ValueError as error:
        parser.error(str(error))
    if args.json:
        payload = {"tokens": tokens, "pooling": pooling.to_dict(), "global": global_.to_dict()}
        text = json.dumps(payload, indent=2, ensure_ascii=False)
    else:
        text = walk_through(tokens, x, pooling, global_, args.data_format, args.keepdims)
    try:
        print(text)
    except BrokenPipeError:
        # The reader (e.g. `| head`) has gone; that is not an error of ours.
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
