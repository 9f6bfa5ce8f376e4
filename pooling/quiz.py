"""Quiz questions made from one sentence and one pooling layer.

Each question is multiple choice; its answer and its explanation come from
the engine (the layers, their traces and their gradients), never from
arithmetic written here a second time. The same sentence, layer and seed
always give the same questions, so one lesson link gives a class one quiz;
another sentence or another seed gives others. The questions are written in
the language asked for (the ``quiz.*`` messages of pooling/messages), with
the same answers in every language; code and numbers stay as code writes them.
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
from .i18n import DEFAULT_LANGUAGE, Messages, messages
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
    m: Messages

    @property
    def name(self) -> str:
        return LAYER_NAMES[self.kind]

    @property
    def global_name(self) -> str:
        return GLOBAL_NAMES[self.kind]

    @property
    def call(self) -> str:
        return f'{self.name}(pool_size={self.pool_size}, strides={self.strides}, padding="{self.padding}")'

    def t(self, key: str, **params: Any) -> str:
        return self.m.t(key, **params)

    def word(self, row: int) -> str:
        """'boy' (word 2)."""
        return self.t("quiz.word", word=self.tokens[row], number=str(row + 1))

    def words(self, rows: list[int]) -> str:
        """'the' (word 1), 'boy' (word 2): a list of words, as the language separates one."""
        return self.t("predict.separator").join(self.word(r) for r in rows)

    def then(self, first: str, second: str) -> str:
        """Two sentences, one after the other (a space in English, none in Chinese)."""
        return self.t("quiz.then", first=first, next=second)

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
    given = _shape((1, steps, features))
    if which == 0:
        out = s.layer(s.x)[None].shape
        prompt = s.t("quiz.shape.prompt", call=s.call, shape=given)
        wrong = [_shape((1, steps, features)), _shape((1, features)), _shape((out[0], out[1] + 1, out[2])),
                 _shape((out[1], features))]
        why = s.t("quiz.shape.why", name=s.name, count=steps, windows=s.t("quiz.windows", count=out[1]),
                  shape=_shape(out))
    elif which == 1:
        out = s.global_layer(s.x[None][0]).shape
        call = f"{s.global_name}()"
        prompt = s.t("quiz.shape.global_prompt", call=call, shape=given)
        wrong = [_shape((1, 1, features)), _shape((1, steps, features)), _shape((features,))]
        why = s.t("quiz.shape.global_why", call=call, count=steps, shape=_shape(out))
    else:
        out = s.global_layer(s.x, keepdims=True).shape
        prompt = s.t("quiz.shape.global_prompt", call=f"{s.global_name}(keepdims=True)", shape=given)
        wrong = [_shape((1, features)), _shape((1, steps, features)), _shape((1, features, 1))]
        why = s.t("quiz.shape.keepdims_why", shape=_shape(out), flat=_shape(s.global_layer(s.x).shape))
    choices, answer = _choices(rng, _shape(out), wrong)
    layer = ["pooling", "global", "global-keepdims"][which]
    return Question("shape", prompt, choices, answer, why, {"layer": layer})


def _length_question(s: _Lesson, rng: np.random.Generator) -> Question:
    steps = s.x.shape[0]
    g = resolve_geometry(steps, s.pool_size, s.strides, s.padding)
    prompt = s.t("quiz.length.prompt", call=s.call, count=steps)
    wrong = [str(n) for n in (steps, g.out_steps + 1, g.out_steps - 1, steps - s.pool_size + 1, -(-steps // g.strides),
                                  steps // s.pool_size, g.out_steps + 2)
             if n >= 1 and n != g.out_steps]
    choices, answer = _choices(rng, str(g.out_steps), wrong)
    return Question("length", prompt, choices, answer, s.t("quiz.length.why", formula=output_length_formula(g)))


def _global_winner_question(s: _Lesson, rng: np.random.Generator) -> Question:
    steps, features = s.x.shape
    f = int(rng.integers(features))
    feature = f"f{f}"
    call = f"{s.global_name}()"
    t = trace_global(s.x, s.kind)
    value = t.output[f]
    if s.kind == "max":
        winner = int(t.winners[f])
        tied = [r for r in range(steps) if s.x[r, f] == value]
        others = [r for r in rng.permutation(steps).tolist() if r not in tied]
        prompt = s.t("quiz.global_winner.prompt", feature=feature, call=call)
        # Fewer than four words: the misconception that max mixes the words' values.
        mixed = s.t("quiz.global_winner.mixed")
        choices, answer = _choices(rng, s.word(winner), [s.word(r) for r in others] + [mixed])
        runner = max(others, key=lambda r: s.x[r, f], default=None)
        if runner is None:
            why = s.t("quiz.global_winner.why_alone", feature=feature, word=s.word(winner), value=number(value))
        else:
            why = s.t("quiz.global_winner.why", feature=feature, word=s.word(winner), value=number(value),
                      runner=s.word(runner), runner_value=number(s.x[runner, f]))
        if len(tied) > 1:
            why = s.then(why, s.t("quiz.global_winner.tie", count=len(tied), value=number(value)))
        return Question("global-winner", prompt, choices, answer, why, {"feature": f})
    prompt = s.t("quiz.global_winner.mean_prompt", feature=feature, call=call)
    column = s.x[:, f]
    wrong = [number(column.max()), number(column.min()), number(s.global_layer(s.x)[0, (f + 1) % features]),
             number(float(column.sum()))]
    choices, answer = _choices(rng, number(value), [w for w in wrong if w != number(value)])
    why = s.t("quiz.global_winner.mean_why", feature=feature, count=steps, sum=number(column.sum()),
              divisor=str(steps), value=number(value))
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
    feature, window = f"f{f}", str(i + 1)
    prompt = s.t("quiz.window_cell.prompt", call=s.call, row=window, feature=feature)
    wrong = [number(s.x[r, f]) for r in rows] + [number(v) for v in t.output[:, f]]
    wrong += [number(v) for v in s.x[:, f]] + [number(v) for v in t.output[i]]
    right = number(value)
    choices, answer = _choices(rng, right, [w for w in dict.fromkeys(wrong) if w != right])
    words = " ".join(s.tokens[r] for r in rows)
    if s.kind == "max":
        winner = int(t.winners[i, f])
        why = s.t("quiz.window_cell.max_why", window=window, words=words, feature=feature, value=right,
                  word=s.word(winner))
    else:
        divisor = len(rows)  # an average divides by the real words of its window
        why = s.t("quiz.window_cell.mean_why", window=window, words=words, feature=feature, count=divisor,
                  sum=number(sum(s.x[r, f] for r in rows)), divisor=str(divisor), value=right)
    return Question("window-cell", prompt, choices, answer, why, {"row": i, "feature": f})


def _strides_none_question(s: _Lesson, rng: np.random.Generator) -> Question:
    steps = s.x.shape[0]
    pool = min(s.pool_size, steps) if s.padding == "valid" else s.pool_size
    g = resolve_geometry(steps, pool, None, s.padding)

    def windows(stride: int) -> str:
        n = resolve_geometry(steps, pool, stride, s.padding).out_steps
        return s.t("quiz.strides_none.choice", stride=str(stride), count=n)

    call = f'{s.name}(pool_size={pool}, strides=None, padding="{s.padding}")'
    prompt = s.t("quiz.strides_none.prompt", call=call, count=steps)
    wrong = [windows(n) for n in (1, pool + 1, 2, max(pool - 1, 1)) if n != g.strides]
    choices, answer = _choices(rng, windows(g.strides), wrong)
    why = s.t("quiz.strides_none.why", pool_size=str(pool), formula=output_length_formula(g))
    return Question("strides-none", prompt, choices, answer, why, {"pool_size": pool})


def _same_length_question(s: _Lesson, rng: np.random.Generator) -> Question:
    steps = s.x.shape[0]
    given = s.strides if s.strides is not None else s.pool_size
    stride = int(rng.choice(sorted({given, 1, 2})))
    g = resolve_geometry(steps, s.pool_size, stride, "same")
    prompt = s.t("quiz.same_length.prompt", pool_size=str(s.pool_size), strides=str(stride), name=s.name,
                 count=steps)

    def yes(n: int) -> str:
        return s.t("quiz.same_length.yes", count=n)

    def no(n: int) -> str:
        return s.t("quiz.same_length.no", count=n)

    right = yes(g.out_steps) if g.out_steps == steps else no(g.out_steps)
    valid = resolve_geometry(steps, s.pool_size, stride, "valid").out_steps if s.pool_size <= steps else steps - 1
    wrong = [yes(steps), no(max(valid, 1)), no(steps + 1), no(steps - 1)]
    choices, answer = _choices(rng, right, [w for w in wrong if w != right])
    why = s.t("quiz.same_length.why_kept" if g.out_steps == steps else "quiz.same_length.why_not_kept",
              formula=output_length_formula(g), strides=str(stride), steps=str(steps))
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
        (False, False): s.t("quiz.shift.neither"),
        (True, False): s.t("quiz.shift.only", name=s.name),
        (False, True): s.t("quiz.shift.only", name=s.global_name),
        (True, True): s.t("quiz.shift.both"),
    }
    right = options[(pool_changes, global_changes)]
    prompt = s.t("quiz.shift.prompt", first=s.word(i), second=s.word(j))
    choices, answer = _choices(rng, right, [v for v in options.values() if v != right])
    call = f"{s.global_name}()"
    whole = s.t("quiz.shift.global_changes" if global_changes else "quiz.shift.global_same", call=call)
    if pool_changes:
        windowed = s.t("quiz.shift.pooling_changes", name=s.name)
    else:
        windowed = s.t("quiz.shift.pooling_same_max" if s.kind == "max" else "quiz.shift.pooling_same_mean",
                       name=s.name)
    return Question("shift", prompt, choices, answer, s.then(whole, windowed), {"swap": [i, j]})


def _gradient_question(s: _Lesson, rng: np.random.Generator) -> Question:
    steps, features = s.x.shape
    g = resolve_geometry(steps, s.pool_size, s.strides, s.padding)
    t, i, f, rows = _random_window(s, rng)
    feature, window = f"f{f}", str(i + 1)
    prompt = s.t("quiz.gradient.prompt", row=window, feature=feature, call=s.call)
    every = s.t("quiz.gradient.every_share", window=window, words=s.words(rows), feature=feature)
    everything = s.t("quiz.gradient.everything", feature=feature)

    def only(row: int) -> str:
        return s.t("quiz.gradient.only", word=s.word(row), feature=feature)

    if s.kind == "max":
        winner = int(max_pooling1d_routes(s.x[None], s.pool_size, s.strides, s.padding)[0, i, f])
        right = only(winner)
        wrong = [only(r) for r in rows if r != winner] + [every, everything]
        why = s.t("quiz.gradient.max_why", word=s.word(winner), value=number(s.x[winner, f]), window=window)
    else:
        upstream = np.zeros((1, g.out_steps, features), np.float32)
        upstream[0, i, f] = 1.0
        grad = average_pooling1d_grad(s.x[None], upstream, s.pool_size, s.strides, s.padding)[0]
        hit = [int(r) for r in np.flatnonzero(grad[:, f])]
        share = number(grad[hit[0], f]) if hit else "0"
        right = s.t("quiz.gradient.every_each", window=window, words=s.words(hit), feature=feature, share=share)
        largest = rows[int(np.argmax(s.x[rows, f]))]
        wrong = [only(largest), everything, only(rows[0])]
        why = s.t("quiz.gradient.mean_why", count=len(hit), divisor=str(len(hit)), share=share)
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
    lang: str = DEFAULT_LANGUAGE,
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
    lang : str
        The language of the prompts, choices and explanations (``en``, ``es``,
        ``zh``); the answers and ``about`` are the same in every language.

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
    >>> quiz(["the", "boy", "will", "live"], x, "max", 2, 1, "valid", seed=0, lang="es")[1].prompt
    'Según la fórmula de la longitud de salida, ¿cuántos pasos de salida da MaxPooling1D(pool_size=2, strides=1, padding="valid") para 4 palabras?'
    """
    array = np.asarray(x, dtype=np.float32)
    if array.ndim != 2 or array.shape[0] != len(tokens):
        raise ArgumentError("x", f"x must be (steps, features) with one row per token, got shape {array.shape}.")
    trace_pooling(array, kind, pool_size, strides, padding)  # checks the layer's arguments
    lesson = _Lesson(tuple(tokens), array, kind, pool_size, strides, padding, messages(lang))
    # The words and their numbers go into the seed: a new sentence, new questions.
    salt = zlib.crc32(("\x1f".join(tokens)).encode() + array.tobytes())
    questions = []
    for index, name in enumerate(KINDS):
        rng = np.random.default_rng([seed, salt, index])
        question = _MAKERS[name](lesson, rng)
        if question is not None:
            questions.append(question)
    return questions
