"""The words of the captions (static/js/caption.js), in real Chromium.

caption.js is an ES module, so each test imports it into a page of the real
server, asks the API for a trace and has the module describe it. The
expected sentences are built here from the trace's own numbers (the
outputs, winners, divisors and x the API sent), so a test fails when a
caption says something the trace does not, or says it in the wrong words:
"feature 1" where the axes say "f1", "+ -0.18", "1 words", a tie without
its occurrence, a sentence without a full stop.

Words are numbered from 1 in every caption, as a learner counts them.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from webapp.i18n import page_messages

from .frames import format_1_frames

DESCRIBE = """async ([body, messages]) => {
    // The catalog the page would embed (this document has none).
    (await import("/static/js/i18n.js")).setMessages(messages);
    const response = await fetch("/api/trace", {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify(body),
    });
    const trace = await response.json();
    if (!response.ok) throw new Error(trace.error);
    const words = await import("/static/js/caption.js");
    const frames = trace.pooling.frames;
    const features = trace.x[0].length;
    return {
        trace,
        steps: frames.map((_, step) => words.stepCaption(trace, step)),
        summary: words.globalSummary(trace),
        // hovers[step][row][feature], for every step of the animation
        hovers: frames.map((_, step) => frames.map((_, row) =>
            Array.from({length: features}, (_, f) => words.cellHover(trace, step, row, f)))),
        globalHovers: Array.from({length: features}, (_, f) => words.globalCellHover(trace, f)),
    };
}"""

ORDINALS = ["first", "second", "third", "fourth", "fifth"]


@pytest.fixture
def describe(page):
    """``describe(body)``: the API's trace for ``body`` and caption.js's words for it."""
    # Same origin as the API and the modules, without the page's own scripts
    # (the layout is not under test here). Chromium asks a JSON document for
    # /favicon.ico, which the app does not serve: answer it in the browser.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto("/healthz")

    messages = page_messages("en")

    def run(body):
        return page.evaluate(DESCRIBE, [body, messages])

    return run


@pytest.fixture(scope="module")
def presets(base_url):
    import json
    import urllib.request

    with urllib.request.urlopen(f"{base_url}/api/presets") as response:
        return {p["name"]: p for p in json.load(response)}


# ---- the wording rules, written once in Python from the trace's numbers ----------

def short(value: float) -> str:
    """A number as prose writes it: two decimals at most, halves away from zero, no -0."""
    text = format(Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP).normalize(), "f")
    return "0" if text in ("-0", "0") else text


def sum_text(values) -> str:
    text = short(values[0])
    for value in values[1:]:
        term = short(value)
        text += f" - {term[1:]}" if term.startswith("-") else f" + {term}"
    return text


def span(rows) -> str:
    first, last = rows[0] + 1, rows[-1] + 1
    return f"word {first}" if first == last else f"words {first} to {last}"


def name(tokens, row, among) -> str:
    same = [r for r in among if tokens[r] == tokens[row]]
    if len(same) > 1:
        return f"the {ORDINALS[same.index(row)]} '{tokens[row]}' (word {row + 1})"
    return f"'{tokens[row]}'"


def sources(tokens, tied, among) -> str:
    """Where a maximum comes from: one word by name, or every word of a tie."""
    if len(tied) == 1:
        return name(tokens, tied[0], among)
    words = and_list(dict.fromkeys(f"'{tokens[r]}'" for r in tied))
    return f"{words} (words {and_list(r + 1 for r in tied)}, tied)"


def max_parts(trace, frame):
    tokens, x = trace["tokens"], trace["x"]
    parts = []
    for f, v in enumerate(frame["output"]):
        tied = [r for r in frame["rows"] if x[r][f] == v]
        parts.append(f"f{f} max {short(v)} from {sources(tokens, tied, frame['rows'])}")
    return parts


def mean_parts(trace, frame):
    x = trace["x"]
    return [
        f"f{f} mean {short(v)} = ({sum_text([x[r][f] for r in frame['rows']])}) / {frame['divisor']}"
        for f, v in enumerate(frame["output"])
    ]


def ties(x, rows, outputs):
    """{tied rows: features} for every feature whose maximum several rows share."""
    groups: dict[tuple[int, ...], list[str]] = {}
    for f, value in enumerate(outputs):
        tied = tuple(r for r in rows if x[r][f] == value)
        if len(tied) > 1:
            groups.setdefault(tied, []).append(f"f{f}")
    return groups


def and_list(items) -> str:
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def tie_sentence(features) -> str:
    verb = "is a tie" if len(features) == 1 else "are ties"
    return f"{and_list(features)} {verb}: the maximum is shared, so every tied word holds the output's value."


def assert_sentences(*texts):
    for text in texts:
        assert text.endswith("."), text
        assert not re.search(r"\bfeatures? \d", text), text  # the axes name them f0, f1, ...
        assert "+ -" not in text and "- -" not in text, text
        assert not re.search(r"\b1 (words|padded positions|steps|features)\b", text), text


# ---- the presets, on the settings they teach with ---------------------------------

def test_classic_names_features_as_the_axes_do(describe, presets):
    classic = presets["classic"]
    words = describe({"preset": "classic", **classic["settings"]})
    trace = words["trace"]
    tokens, frames = trace["tokens"], format_1_frames(trace)
    assert len(words["steps"]) == len(frames) > 1
    for step, (frame, caption) in enumerate(zip(frames, words["steps"])):
        covered = " ".join(tokens[r] for r in frame["rows"])
        assert caption == (
            f"Window {step + 1} of {len(frames)} covers '{covered}' ({span(frame['rows'])}): "
            f"{', '.join(max_parts(trace, frame))}."
        )
    g = trace["global"]
    assert not g["is_single_row"]
    vector = ", ".join(short(v) for v in g["output"])
    parts = ", ".join(f"f{f} from '{tokens[w]}'" for f, w in enumerate(g["winners"]))
    assert words["summary"] == f"[{vector}] takes {parts}: it is not the vector of any single word."
    assert_sentences(*words["steps"], words["summary"])


def test_ties_name_every_tied_word(describe, presets):
    words = describe({"preset": "ties", **presets["ties"]["settings"]})
    trace = words["trace"]
    x, tokens = trace["x"], trace["tokens"]
    tied_windows = 0
    for frame, caption in zip(format_1_frames(trace), words["steps"]):
        for part in max_parts(trace, frame):
            assert part in caption
        groups = ties(x, frame["rows"], frame["output"])
        features = [f for fs in groups.values() for f in fs]
        if groups:
            tied_windows += 1
            assert tie_sentence(sorted(features, key=lambda n: int(n[1:]))) in caption
            # No word of a tie is singled out: every one is named.
            assert "the first" not in caption and "wins" not in caption
        else:
            assert "tie" not in caption
    assert tied_windows, "the ties preset must open on a window with a tie"

    g = trace["global"]
    everything = range(len(tokens))
    for f, value in enumerate(g["output"]):
        tied = [r for r in everything if x[r][f] == value]
        assert f"f{f} from {sources(tokens, tied, everything)}" in words["summary"]
        assert f"f{f}: max {short(value)} over {len(tokens)} words, from " in words["globalHovers"][f]
        if len(tied) > 1:
            assert f"(words {and_list(r + 1 for r in tied)}, tied)." in words["globalHovers"][f]
    global_ties = ties(x, everything, g["output"])
    assert global_ties
    assert "'red' (words 1, 2 and 4, tied)" in words["summary"]
    assert_sentences(*words["steps"], words["summary"])


def test_negatives_on_same_padding_say_padding_never_wins(describe, presets):
    settings = presets["negatives"]["settings"]
    assert settings["padding"] == "same"
    words = describe({"preset": "negatives", **settings})
    trace = words["trace"]
    frames = format_1_frames(trace)
    padded = [i for i, f in enumerate(frames) if f["padded"]]
    assert padded, "the preset's settings must show a padded window"
    for frame, caption in zip(frames, words["steps"]):
        n = len(frame["padded"])
        if n:
            noun = "padded position, which never wins" if n == 1 else "padded positions, which never win"
            assert f"({span(frame['rows'])}) and {n} {noun}: " in caption
        else:
            assert "padd" not in caption
        for part in max_parts(trace, frame):
            assert part in caption
    assert_sentences(*words["steps"], words["summary"])


def test_average_with_negatives_shows_signs_and_divisors(describe, presets):
    settings = {**presets["negatives"]["settings"], "layer": "average"}
    words = describe({"preset": "negatives", **settings})
    trace = words["trace"]
    pool_size = trace["pooling"]["config"]["pool_size"]
    edges = 0
    for frame, caption in zip(format_1_frames(trace), words["steps"]):
        assert caption.endswith(f"{', '.join(mean_parts(trace, frame))}.")
        says_fewer = f"so each mean divides by {frame['divisor']}, not by pool_size {pool_size}:"
        if frame["divisor"] < pool_size:
            edges += 1
            assert says_fewer in caption
        else:
            assert "not by pool_size" not in caption
    assert edges == 2  # pool_size 3, strides 1, "same": one padded position at each end
    n = len(trace["tokens"])
    assert f"each feature's sum is divided by {n}" in words["summary"]
    assert_sentences(*words["steps"], words["summary"])


def test_mixed_signs_read_as_written_by_hand(describe):
    # The issue's own examples: 0.73 - 0.18 + 0.28, and a negative first term.
    words = describe({"embeddings": [[0.73, -0.18], [-0.18, 0.73], [0.28, 0.28]], "sentence": "a b c",
                      "layer": "average", "pool_size": 3})
    caption = words["steps"][0]
    assert "(0.73 - 0.18 + 0.28) / 3" in caption
    assert "(-0.18 + 0.73 + 0.28) / 3" in caption
    assert_sentences(caption)


# ---- singular and plural ---------------------------------------------------------

def test_one_word_and_two_padded_positions(describe):
    one = describe({"sentence": "hello", "pool_size": 1, "layer": "average"})
    assert "(word 1)" in one["steps"][0]
    assert "mean of the 1 word vector" in one["summary"]
    assert_sentences(*one["steps"], one["summary"])

    # 2 words, windows of 4: "same" pads one position before and two after.
    two = describe({"sentence": "a b", "pool_size": 4, "strides": 1, "padding": "same"})
    first = format_1_frames(two["trace"])[0]
    assert len(first["padded"]) == 2
    assert "and 2 padded positions, which never win:" in two["steps"][0]
    assert_sentences(*two["steps"], two["summary"])


# ---- hover text for the output cells (item 7) ------------------------------------

def test_cell_hover_only_for_revealed_rows_and_names_winner_or_divisor(describe, presets):
    for layer in ("max", "average"):
        words = describe({"preset": "negatives", **presets["negatives"]["settings"], "layer": layer})
        trace = words["trace"]
        frames = format_1_frames(trace)
        tokens = trace["tokens"]
        for step, rows in enumerate(words["hovers"]):
            for row, cells in enumerate(rows):
                if row > step:
                    assert cells == [""] * len(cells)  # not revealed yet: nothing to read
                    continue
                frame = frames[row]
                for f, text in enumerate(cells):
                    assert text.startswith(f"Window {row + 1}, f{f}: ")
                    if layer == "max":
                        w = frame["winners"][f]
                        assert text.endswith(f"from '{tokens[w]}' (word {w + 1}).")
                    else:
                        assert f"/ {frame['divisor']}." in text
                    assert_sentences(text)
        for f, text in enumerate(words["globalHovers"]):
            assert text.startswith(f"f{f}: ")
            assert_sentences(text)
