"""``python -m pooling``: the walk-through, JSON output and one-line errors."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

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
    assert "f0: mean   0.75 = sum / 2 real cells" in out
    assert "ceil(steps / strides) = ceil(4 / 1) = 4" in out
    assert "GlobalAveragePooling1D()" in out


def test_channels_first_and_keepdims_shapes(capsys):
    main(["--preset", "classic", "--data-format", "channels_first", "--keepdims"])
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
        (["a b", "--strides", "x"], "argument --strides: must be an integer or None, got 'x'"),
        (["a b", "--padding", "full"], "argument --padding: invalid choice"),
        (["?!"], "sentence must contain at least one word"),
        ([], "sentence is required unless --preset is given"),
        (["a b", "--features", "99"], "features must be an integer from 1 to 64, got 99"),
        (["one two", "--preset", "classic"], "sentence has 2 words but preset 'classic' has vectors for 4"),
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
