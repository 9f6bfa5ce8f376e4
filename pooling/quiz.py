"""Quiz questions made from one sentence and one pooling layer.

Each question is multiple choice; its answer and its explanation come from
the engine (the layers, their traces and their gradients), never from
arithmetic written here a second time. The same sentence, layer and seed
always give the same questions, so one lesson link gives a class one quiz;
another sentence or another seed gives others.
"""
from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .gradients import average_pooling1d_grad, max_pooling1d_routes
from .layers import (
    ArgumentError,
    average_pooling1d,
    global_average_pooling1d,
    global_max_pooling1d,
    max_pooling1d,
    output_length_formula,
    resolve_geometry,
)
from .traces import GLOBAL_NAMES, LAYER_NAMES, trace_global, trace_pooling, window_cells

__all__ = ["KINDS", "Question", "quiz"]

KINDS = (
    "shape",
    "length",
    "global-winner",
    "window-cell",
    "strides-none",
    "same-length",
    "shift",
    "gradient",
)
CHOICES = 4


@dataclass(frozen=True)
class Question:
    """One multiple-choice question: ``choices[answer]`` is right."""

    kind: str
    prompt: str
    choices: tuple[str, ...]
    answer: int
    explanation: str
    # What the question is about (the layer, row, feature, words), as data.
    about: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON the API sends."""
        return {
            "kind": self.kind,
            "prompt": self.prompt,
            "choices": list(self.choices),
            "answer": self.answer,
            "explanation": self.explanation,
            "about": dict(self.about),
        }


def number(value: float) -> str:
    """A value as the page writes it in prose: at most two decimals, no trailing zeros.

    >>> number(np.float32(0.8)), number(-0.25), number(-0.001), number(2.0)
    ('0.8', '-0.25', '0', '2')
    """
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _shape(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


@dataclass(frozen=True)
class _Lesson:
    tokens: tuple[str, ...]
    x: NDArray[np.float32]
    kind: str
    pool_size: int
    strides: int | None
    padding: str

    @property
    def name(self) -> str:
        return LAYER_NAMES[self.kind]

    @property
    def global_name(self) -> str:
        return GLOBAL_NAMES[self.kind]

    @property
    def call(self) -> str:
        return f'{self.name}(pool_size={self.pool_size}, strides={self.strides}, padding="{self.padding}")'

    def word(self, row: int) -> str:
        """'boy' (word 2)."""
        return f"'{self.tokens[row]}' (word {row + 1})"

    def layer(self, x: ArrayLike) -> NDArray[np.float32]:
        fn = max_pooling1d if self.kind == "max" else average_pooling1d
        return fn(np.asarray(x, np.float32)[None], self.pool_size, self.strides, self.padding)[0]

    def global_layer(self, x: ArrayLike, keepdims: bool = False) -> NDArray[np.float32]:
        fn = global_max_pooling1d if self.kind == "max" else global_average_pooling1d
        return fn(np.asarray(x, np.float32)[None], keepdims=keepdims)


def _choices(
    rng: np.random.Generator, right: str, wrong: list[str]
) -> tuple[tuple[str, ...], int]:
    """The right choice and up to three distinct wrong ones, shuffled."""
    options = [right]
    for item in wrong:
        if item not in options:
            options.append(item)
        if len(options) == CHOICES:
            break
    order = rng.permutation(len(options))
    shuffled = tuple(options[i] for i in order)
    return shuffled, shuffled.index(right)


# ---- the kinds of question ---------------------------------------------------------

def _shape_question(s: _Lesson, rng: np.random.Generator) -> Question:
    steps, features = s.x.shape
    which = int(rng.integers(3))
    if which == 0:
        out = s.layer(s.x)[None].shape
        prompt = f"What is the output shape of {s.call} on this input of shape {_shape((1, steps, features))}?"
        wrong = [_shape((1, steps, features)), _shape((1, features)), _shape((out[0], out[1] + 1, out[2])),
                 _shape((out[1], features))]
        why = (f"{s.name} keeps the batch and the features and slides over the steps: "
               f"{steps} steps give {out[1]} windows, so {_shape(out)}.")
    elif which == 1:
        out = s.global_layer(s.x[None][0]).shape
        prompt = f"What is the output shape of {s.global_name}() on an input of shape {_shape((1, steps, features))}?"
        wrong = [_shape((1, 1, features)), _shape((1, steps, features)), _shape((features,))]
        why = f"{s.global_name}() takes one value per feature over all {steps} steps: the steps axis goes, {_shape(out)}."
    else:
        out = s.global_layer(s.x, keepdims=True).shape
        prompt = (f"What is the output shape of {s.global_name}(keepdims=True) on an input of shape "
                  f"{_shape((1, steps, features))}?")
        wrong = [_shape((1, features)), _shape((1, steps, features)), _shape((1, features, 1))]
        why = (f"keepdims=True keeps the steps axis with length 1: {_shape(out)}, "
               f"where keepdims=False would give {_shape(s.global_layer(s.x).shape)}.")
    choices, answer = _choices(rng, _shape(out), wrong)
    layer = ["pooling", "global", "global-keepdims"][which]
    return Question("shape", prompt, choices, answer, why, {"layer": layer})


def _length_question(s: _Lesson, rng: np.random.Generator) -> Question:
    steps = s.x.shape[0]
    g = resolve_geometry(steps, s.pool_size, s.strides, s.padding)
    prompt = f"By the output-length formula, how many output steps does {s.call} give for {steps} words?"
    wrong = [str(n) for n in (steps, g.out_steps + 1, g.out_steps - 1, steps - s.pool_size + 1, -(-steps // g.strides),
                                  steps // s.pool_size, g.out_steps + 2)
             if n >= 1 and n != g.out_steps]
    choices, answer = _choices(rng, str(g.out_steps), wrong)
    return Question("length", prompt, choices, answer, f"{output_length_formula(g)}.")


def _global_winner_question(s: _Lesson, rng: np.random.Generator) -> Question:
    steps, features = s.x.shape
    f = int(rng.integers(features))
    t = trace_global(s.x, s.kind)
    value = t.output[f]
    if s.kind == "max":
        winner = int(t.winners[f])
        tied = [r for r in range(steps) if s.x[r, f] == value]
        others = [r for r in rng.permutation(steps).tolist() if r not in tied]
        prompt = f"Which word wins feature f{f} in {s.global_name}() over the whole sentence?"
        # Fewer than four words: the misconception that max mixes the words' values.
        mixed = "No single word: the maximum mixes the words' values"
        choices, answer = _choices(rng, s.word(winner), [s.word(r) for r in others] + [mixed])
        runner = max(others, key=lambda r: s.x[r, f], default=None)
        why = f"f{f} is largest in {s.word(winner)}: {number(value)}"
        why += f"; the next is {s.word(runner)} with {number(s.x[runner, f])}." if runner is not None else "."
        if len(tied) > 1:
            why += f" {len(tied)} words share {number(value)}: the value is the same whichever counts."
        return Question("global-winner", prompt, choices, answer, why, {"feature": f})
    prompt = f"What is feature f{f} of {s.global_name}() over the whole sentence?"
    column = s.x[:, f]
    wrong = [number(column.max()), number(column.min()), number(s.global_layer(s.x)[0, (f + 1) % features]),
             number(float(column.sum()))]
    choices, answer = _choices(rng, number(value), [w for w in wrong if w != number(value)])
    why = f"The mean of f{f} over all {steps} words: {number(column.sum())} / {steps} = {number(value)}."
    return Question("global-winner", prompt, choices, answer, why, {"feature": f})


def _random_window(s: _Lesson, rng: np.random.Generator):
    """The lesson's trace, a random window holding real words, a random feature, and that window's real rows."""
    t = trace_pooling(s.x, s.kind, s.pool_size, s.strides, s.padding)
    steps, features = s.x.shape
    windows = [list(window_cells(frame["start"], frame["stop"], steps)[0]) for frame in t.to_dict()["frames"]]
    i = int(rng.choice([k for k, rows in enumerate(windows) if rows]))
    f = int(rng.integers(features))
    return t, i, f, windows[i]


def _window_cell_question(s: _Lesson, rng: np.random.Generator) -> Question:
    t, i, f, rows = _random_window(s, rng)
    value = t.output[i, f]
    prompt = f"In {s.call}, what is the value of output row {i + 1} (window {i + 1}), feature f{f}?"
    wrong = [number(s.x[r, f]) for r in rows] + [number(v) for v in t.output[:, f]]
    wrong += [number(v) for v in s.x[:, f]] + [number(v) for v in t.output[i]]
    right = number(value)
    choices, answer = _choices(rng, right, [w for w in dict.fromkeys(wrong) if w != right])
    words = " ".join(s.tokens[r] for r in rows)
    if s.kind == "max":
        winner = int(t.winners[i, f])
        why = f"Window {i + 1} covers '{words}'; the largest f{f} there is {right}, from {s.word(winner)}."
    else:
        divisor = len(rows)  # an average divides by the real words of its window
        why = (f"Window {i + 1} covers '{words}'; the mean of f{f} over its {divisor} real "
               f"{'word' if divisor == 1 else 'words'}: {number(sum(s.x[r, f] for r in rows))} / {divisor} = {right}.")
    return Question("window-cell", prompt, choices, answer, why, {"row": i, "feature": f})


def _strides_none_question(s: _Lesson, rng: np.random.Generator) -> Question:
    steps = s.x.shape[0]
    pool = min(s.pool_size, steps) if s.padding == "valid" else s.pool_size
    g = resolve_geometry(steps, pool, None, s.padding)

    def windows(stride: int) -> str:
        n = resolve_geometry(steps, pool, stride, s.padding).out_steps
        return f"windows start {stride} apart: {n} {'window' if n == 1 else 'windows'}"

    prompt = (f'With {s.name}(pool_size={pool}, strides=None, padding="{s.padding}") on these {steps} words, '
              "where do the windows start?")
    wrong = [windows(n) for n in (1, pool + 1, 2, max(pool - 1, 1)) if n != g.strides]
    choices, answer = _choices(rng, windows(g.strides), wrong)
    why = (f"strides=None means strides = pool_size = {pool}: the windows sit side by side without overlap, "
           f"{output_length_formula(g)}.")
    return Question("strides-none", prompt, choices, answer, why, {"pool_size": pool})


def _same_length_question(s: _Lesson, rng: np.random.Generator) -> Question:
    steps = s.x.shape[0]
    given = s.strides if s.strides is not None else s.pool_size
    stride = int(rng.choice(sorted({given, 1, 2})))
    g = resolve_geometry(steps, s.pool_size, stride, "same")
    prompt = (f'With padding="same", pool_size={s.pool_size} and strides={stride}, does {s.name} keep the length '
              f"of these {steps} words?")
    def out(n: int) -> str:
        return f"{n} output {'step' if n == 1 else 'steps'}"

    right = f"Yes: {out(g.out_steps)}" if g.out_steps == steps else f"No: {out(g.out_steps)}"
    valid = resolve_geometry(steps, s.pool_size, stride, "valid").out_steps if s.pool_size <= steps else steps - 1
    wrong = [f"Yes: {out(steps)}", f"No: {out(max(valid, 1))}", f"No: {out(steps + 1)}", f"No: {out(steps - 1)}"]
    choices, answer = _choices(rng, right, [w for w in wrong if w != right])
    why = (f'"same" pads so that {output_length_formula(g)}: the steps divided by strides, rounded up, '
           f"so at strides={stride} the length of {steps} is {'kept' if g.out_steps == steps else 'not kept'}.")
    return Question("same-length", prompt, choices, answer, why, {"strides": stride})


def _shift_question(s: _Lesson, rng: np.random.Generator) -> Question | None:
    steps = s.x.shape[0]
    if steps < 2:
        return None
    # Prefer a move that changes the windowed output, so both answers are possible.
    pairs = [(i, j) for i in range(steps) for j in range(i + 1, steps)]
    order = rng.permutation(len(pairs)).tolist()
    before = s.layer(s.x)

    def same(a: NDArray[np.float32], b: NDArray[np.float32]) -> bool:
        # A float32 sum in another order may differ in its last bit: that is no change a learner sees.
        return bool(np.allclose(a, b, rtol=1e-5, atol=1e-6, equal_nan=True))

    def swapped(i: int, j: int) -> NDArray[np.float32]:
        moved = s.x.copy()
        moved[[i, j]] = moved[[j, i]]
        return moved

    changing = [k for k in order if not same(s.layer(swapped(*pairs[k])), before)]
    i, j = pairs[(changing or order)[0] if rng.random() < 0.75 else order[0]]
    moved = swapped(i, j)
    pool_changes = not same(s.layer(moved), before)
    global_changes = not same(s.global_layer(moved), s.global_layer(s.x))
    options = {
        (False, False): "Neither output changes",
        (True, False): f"Only the {s.name} output changes",
        (False, True): f"Only the {s.global_name} output changes",
        (True, True): "Both outputs change",
    }
    right = options[(pool_changes, global_changes)]
    prompt = f"If {s.word(i)} and {s.word(j)} swap places, which outputs change?"
    choices, answer = _choices(rng, right, [v for v in options.values() if v != right])
    why = f"{s.global_name}() looks at every word at once, in any order: "
    why += "its output changes. " if global_changes else "swapping words leaves it as it was. "
    if pool_changes:
        why += f"{s.name} sees words in windows, and the swap changes what some window holds."
    else:
        why += f"{s.name}'s windows still give the same {'maxima' if s.kind == 'max' else 'means'} here."
    return Question("shift", prompt, choices, answer, why, {"swap": [i, j]})


def _gradient_question(s: _Lesson, rng: np.random.Generator) -> Question:
    steps, features = s.x.shape
    g = resolve_geometry(steps, s.pool_size, s.strides, s.padding)
    t, i, f, rows = _random_window(s, rng)
    prompt = (f"Training sends a gradient back through output row {i + 1}, feature f{f} of {s.call}. "
              "Which input cells receive it?")
    every = f"Every word of window {i + 1} ({', '.join(s.word(r) for r in rows)}), f{f}, a share each"
    everything = f"Every word of the sentence, f{f}"
    if s.kind == "max":
        winner = int(max_pooling1d_routes(s.x[None], s.pool_size, s.strides, s.padding)[0, i, f])
        right = f"Only {s.word(winner)}, f{f}"
        wrong = [f"Only {s.word(r)}, f{f}" for r in rows if r != winner] + [every, everything]
        why = (f"Max pooling passes the gradient only to the cell that won the window: {s.word(winner)} "
               f"with {number(s.x[winner, f])}; the other cells of window {i + 1} get 0 from it.")
    else:
        upstream = np.zeros((1, g.out_steps, features), np.float32)
        upstream[0, i, f] = 1.0
        grad = average_pooling1d_grad(s.x[None], upstream, s.pool_size, s.strides, s.padding)[0]
        hit = [int(r) for r in np.flatnonzero(grad[:, f])]
        share = number(grad[hit[0], f]) if hit else "0"
        right = f"Every word of window {i + 1} ({', '.join(s.word(r) for r in hit)}), f{f}, {share} each"
        largest = rows[int(np.argmax(s.x[rows, f]))]
        wrong = [f"Only {s.word(largest)}, f{f}", everything, f"Only {s.word(rows[0])}, f{f}"]
        why = (f"An average counts each of its {len(hit)} real words equally, so each gets 1/{len(hit)} "
               f"= {share} of the gradient; words outside the window get none from it.")
    choices, answer = _choices(rng, right, [w for w in wrong if w != right])
    return Question("gradient", prompt, choices, answer, why, {"row": i, "feature": f})


_MAKERS: dict[str, Callable[[_Lesson, np.random.Generator], Question | None]] = {
    "shape": _shape_question,
    "length": _length_question,
    "global-winner": _global_winner_question,
    "window-cell": _window_cell_question,
    "strides-none": _strides_none_question,
    "same-length": _same_length_question,
    "shift": _shift_question,
    "gradient": _gradient_question,
}


def quiz(
    tokens: list[str] | tuple[str, ...],
    x: ArrayLike,
    kind: str = "max",
    pool_size: int = 2,
    strides: int | None = None,
    padding: str = "valid",
    seed: int = 0,
) -> list[Question]:
    """One question of each kind in :data:`KINDS` on this sentence and layer.

    Parameters
    ----------
    tokens : sequence of str
        The words, one per row of ``x``.
    x : array_like
        (steps, features).
    kind, pool_size, strides, padding
        The windowed layer, as for :func:`pooling.trace_pooling`.
    seed : int
        Picks the features, windows and order of choices; with the words
        and their numbers it fixes the questions.

    Returns
    -------
    list of Question
        In the order of :data:`KINDS`; "shift" is left out for a one-word
        sentence (there is nothing to move).

    Examples
    --------
    >>> x = [[.7, -.2, .1], [.8, -.3, .2], [.2, -.1, .4], [.4, -.4, .8]]
    >>> questions = quiz(["the", "boy", "will", "live"], x, "max", 2, 1, "valid", seed=0)
    >>> [q.kind for q in questions] == list(KINDS)
    True
    >>> length = questions[1]
    >>> length.choices[length.answer], length.explanation
    ('3', 'floor((steps - pool_size) / strides) + 1 = floor((4 - 2) / 1) + 1 = 3.')
    """
    array = np.asarray(x, dtype=np.float32)
    if array.ndim != 2 or array.shape[0] != len(tokens):
        raise ArgumentError("x", f"x must be (steps, features) with one row per token, got shape {array.shape}.")
    trace_pooling(array, kind, pool_size, strides, padding)  # checks the layer's arguments
    lesson = _Lesson(tuple(tokens), array, kind, pool_size, strides, padding)
    # The words and their numbers go into the seed: a new sentence, new questions.
    salt = zlib.crc32(("\x1f".join(tokens)).encode() + array.tobytes())
    questions = []
    for index, name in enumerate(KINDS):
        rng = np.random.default_rng([seed, salt, index])
        question = _MAKERS[name](lesson, rng)
        if question is not None:
            questions.append(question)
    return questions
