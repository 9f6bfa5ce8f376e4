"""Tokenizer, toy embeddings and presets."""
from __future__ import annotations

import subprocess
import sys
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pooling import PRESETS, get_preset, tokenize, toy_embeddings, trace_pooling
from pooling.embeddings import _words


@pytest.mark.parametrize(
    ("sentence", "tokens"),
    [
        ("The boy will live", ["the", "boy", "will", "live"]),
        ("Hello, world!", ["hello", "world"]),
        ("  spaced\tout\nwords  ", ["spaced", "out", "words"]),
        ("don't stop", ["don't", "stop"]),
        ("'quoted' words", ["quoted", "words"]),
        ("e-mail", ["e", "mail"]),
        ("Cafe\u0301 CAFÉ", ["café", "café"]),  # combining accent normalised to NFC
        ("I ❤️ NLP 👍🏽", ["i", "❤️", "nlp", "👍🏽"]),
        ("שלום עולם", ["שלום", "עולם"]),
        ("zero\u200bwidth", ["zero", "width"]),
        ("x² 42", ["x²", "42"]),
    ],
)
def test_tokenize(sentence, tokens):
    assert tokenize(sentence) == tokens


@pytest.mark.parametrize("sentence", ["", "   ", "?!.,;", "\u200b\u200d", "--- ..."])
def test_tokenize_rejects_wordless_input(sentence):
    with pytest.raises(ValueError, match="sentence must contain at least one word"):
        tokenize(sentence)


def test_tokenize_error_quotes_a_long_sentence_briefly():
    with pytest.raises(ValueError, match=r"got '!{40}\.\.\.'$"):
        tokenize("!" * 10_000)


def test_tokenize_rejects_non_strings():
    with pytest.raises(ValueError, match="sentence must be a string, got list"):
        tokenize(["the", "boy"])


def test_toy_embeddings_are_stable_and_hand_written_looking():
    e = toy_embeddings(["the", "boy", "the"], features=8, seed=3)
    assert e.shape == (3, 8)
    np.testing.assert_array_equal(e[0], e[2])
    assert np.abs(e).max() <= 1
    np.testing.assert_array_equal(e, np.round(e, 2))
    # Same word, other sentence: same vector.
    np.testing.assert_array_equal(toy_embeddings(["cat", "boy"], 8, 3)[1], e[1])
    # Wider embeddings keep the columns already shown.
    np.testing.assert_array_equal(toy_embeddings(["boy"], 40, 3)[0, :8], e[1])
    # Another seed, another vocabulary.
    assert not np.array_equal(toy_embeddings(["boy"], 8, 4)[0], e[1])


def test_toy_embeddings_same_in_another_process():
    # Python's hash() is salted per process; ours must not be.
    code = "from pooling import toy_embeddings; print(toy_embeddings(['boy', 'ünïcode'], 5, 7).tolist())"
    runs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={"PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1
    assert runs.pop().strip() == str(toy_embeddings(["boy", "ünïcode"], 5, 7).tolist())


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"features": 0}, "features must be an integer from 1 to 64, got 0"),
        ({"features": 65}, "features must be an integer from 1 to 64, got 65"),
        ({"features": 2.0}, "features must be an integer from 1 to 64, got 2.0"),
        ({"features": True}, "features must be an integer from 1 to 64, got True"),
        ({"seed": "0"}, "seed must be an integer, got '0'"),
    ],
)
def test_toy_embeddings_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        toy_embeddings(["word"], **kwargs)
    with pytest.raises(ValueError, match="tokens must hold at least one word"):
        toy_embeddings([])


def test_classic_preset():
    preset = get_preset("classic")
    assert preset.sentence == "the boy will live"
    np.testing.assert_array_equal(
        preset.x(), [[0.7, -0.2, 0.1], [0.8, -0.3, 0.2], [0.2, -0.1, 0.4], [0.4, -0.4, 0.8]]
    )


def test_presets_are_well_formed():
    for name, preset in PRESETS.items():
        data = preset.to_dict()
        assert data["name"] == name
        assert tokenize(data["sentence"]) == data["tokens"]
        assert len({len(row) for row in data["embeddings"]}) == 1
        assert len(data["embeddings"]) == len(data["tokens"])
        assert (data["steps"], data["features"]) == preset.x().shape
        # The settings it teaches with are a layer the engine accepts for its words.
        trace = trace_pooling(preset.x(), data["settings"]["layer"], data["settings"]["pool_size"],
                              data["settings"]["strides"], data["settings"]["padding"])
        assert trace.to_dict()["config"]["padding"] == data["settings"]["padding"]


def test_unknown_preset():
    with pytest.raises(ValueError, match="preset must be one of classic, .* got 'nope'"):
        get_preset("nope")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_sentences_split_as_character_by_character(sentence):
    # tokenize reads ASCII with one regular expression; the rule is the character-by-character one.
    expected = _words(unicodedata.normalize("NFC", sentence).lower())
    if expected:
        assert tokenize(sentence) == expected
    else:
        with pytest.raises(ValueError, match="at least one word"):
            tokenize(sentence)
