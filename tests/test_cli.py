"""``python -m pooling``: the walk-through, JSON output and one-line errors."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pooling import PRESETS
from pooling.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pooling", *args], capture_output=True, text=True)


def test_classic_walk_through():
    result = run("the boy will live", "--preset", "classic", "--pool-size", "2", "--strides", "1")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert 'MaxPooling1D(pool_size=2, strides=1, padding="valid")' in out
    assert "Window 2 of 3 covers 'boy will'" in out
    assert "f1: max  -0.10 from 'will'" in out
    assert "out2      0.40   -0.10    0.80" in out
    assert "[0.8, -0.1, 0.8] is not the vector of any single word." in out
    assert "f2: max   0.80 from 'live'" in out.split("GlobalMaxPooling1D()")[1]
    assert "(1, 4, 3) -> MaxPooling1D -> (1, 3, 3)" in out
    assert "(1, 4, 3) -> GlobalMaxPooling1D -> (1, 3)" in out


def test_average_same_padding(capsys):
    assert main(["--preset", "classic", "--layer", "average", "--pool-size", "3", "--strides", "1", "--padding", "SAME"]) == 0
    out = capsys.readouterr().out
    assert 'AveragePooling1D(pool_size=3, strides=1, padding="same")' in out
    assert "Window 1 of 4 covers '<pad> the boy'" in out
    assert "1 padded position not counted: each mean divides by 2, not by pool_size 3" in out
    assert "f0: mean   0.75 = (0.7 + 0.8) / 2" in out
    assert "ceil(steps / strides) = ceil(4 / 1) = 4" in out
    assert "GlobalAveragePooling1D()" in out


def test_channels_first_and_keepdims_shapes(capsys):
    main(["--preset", "classic", "--data-format", "channels_first", "--keepdims", "--strides", "none"])
    out = capsys.readouterr().out
    assert "(1, 3, 4) -> MaxPooling1D -> (1, 3, 2)" in out
    assert "(1, 3, 4) -> GlobalMaxPooling1D -> (1, 3, 1)" in out


def test_toy_embeddings_sentence(capsys):
    main(["Hello, pooling world", "--features", "5", "--seed", "2", "--strides", "none"])
    out = capsys.readouterr().out
    assert "Input: 3 words x 5 features" in out
    assert "MaxPooling1D(pool_size=2, strides=None" in out


def test_json(capsys):
    main(["--preset", "classic", "--pool-size", "2", "--strides", "1", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["tokens"] == ["the", "boy", "will", "live"]
    assert data["pooling"]["output"] == [[0.8, -0.2, 0.2], [0.8, -0.1, 0.4], [0.4, -0.1, 0.8]]
    assert data["global"]["winners"] == [1, 2, 3]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["a b", "--pool-size", "3"], "pool_size=3 is larger than the 2 steps"),
        (["a b", "--pool-size", "0"], "pool_size must be a positive integer, got 0"),
        (["a b", "--strides", "x"], "argument --strides: must be a whole number or None, got 'x'."),
        (["a b", "--padding", "full"], "argument --padding: invalid choice"),
        (["?!"], "sentence must contain at least one word"),
        ([], "A sentence is required unless --preset is given."),
        (["a b", "--features", "99"], "features must be an integer from 1 to 64, got 99"),
        (["one two", "--preset", "classic"], "sentence has 2 words but preset 'classic' has vectors for 4 words"),
        (["one", "--preset", "classic"], "sentence has 1 word but preset 'classic' has vectors for 4 words"),
        (["a", "--preset", "nope"], "argument --preset: invalid choice"),
    ],
)
def test_errors_are_one_line_with_status_2(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    # Every message is a sentence, argparse's own included.
    assert result.stderr.rstrip().endswith(".")


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_a_preset_alone_opens_on_the_layer_it_teaches(capsys, name):
    main(["--preset", name, "--json"])
    pooling = json.loads(capsys.readouterr().out)["pooling"]
    settings = PRESETS[name].settings
    assert pooling["kind"] == settings["layer"]
    assert pooling["config"] == {
        "pool_size": settings["pool_size"],
        "strides": settings["strides"],
        "padding": settings["padding"],
        "data_format": "channels_last",
    }


def test_a_flag_replaces_only_its_own_preset_setting(capsys):
    main(["--preset", "negatives", "--layer", "average", "--json"])
    pooling = json.loads(capsys.readouterr().out)["pooling"]
    settings = PRESETS["negatives"].settings
    assert pooling["kind"] == "average" != settings["layer"]
    assert pooling["config"]["padding"] == settings["padding"] == "same"
    assert pooling["config"]["pool_size"] == settings["pool_size"]


def test_without_a_preset_the_layer_is_keras_default(capsys):
    main(["the boy will live", "--json"])
    assert json.loads(capsys.readouterr().out)["pooling"]["call"] == (
        'MaxPooling1D(pool_size=2, strides=None, padding="valid")'
    )


def test_a_tie_names_the_winning_occurrence(capsys):
    main(["--preset", "ties", "--pool-size", "2", "--strides", "1", "--json"])
    data = json.loads(capsys.readouterr().out)
    main(["--preset", "ties", "--pool-size", "2", "--strides", "1"])
    out = capsys.readouterr().out
    tokens, first, output = data["tokens"], data["pooling"]["frames"][0], data["pooling"]["output"][0]
    assert (first["start"], first["stop"]) == (0, 2) and tokens[0] == tokens[1]  # two equal words share window 1
    winner = first["start"] + first["winner_offsets"][0]
    assert f"f0: max {output[0]:6.2f} from the first '{tokens[winner]}' (word {winner + 1})" in out
    glob = out.split("GlobalMaxPooling1D()")[1]
    g = data["global"]["winners"][0]
    assert f"from the first '{tokens[g]}' (word {g + 1})" in glob


def test_average_sums_read_with_minus_signs(capsys):
    main(["--preset", "negatives", "--layer", "average", "--padding", "valid", "--pool-size", "2", "--strides", "1", "--json"])
    data = json.loads(capsys.readouterr().out)
    main(["--preset", "negatives", "--layer", "average", "--padding", "valid", "--pool-size", "2", "--strides", "1"])
    out = capsys.readouterr().out
    x = PRESETS["negatives"].x()
    frame, output = data["pooling"]["frames"][0], data["pooling"]["output"][0]
    a, b = (x[r, 0] for r in range(frame["start"], frame["stop"]))
    assert a < 0 and b < 0
    assert f"f0: mean {output[0]:6.2f} = ({a:g} - {-b:g}) / 2" in out
    assert "+ -" not in out


def test_one_word_says_word_not_words(capsys):
    main(["hello", "--pool-size", "1", "--layer", "average"])
    out = capsys.readouterr().out
    assert "Input: 1 word x 4 features" in out
    assert "over 1 word\n" in out
