"""Code that reproduces the screen (issue 8, item 2): the Keras and PyTorch snippets.

The snippets come from ``POST /api/export/keras`` and ``/api/export/pytorch``
and run in subprocesses with real Keras (JAX backend) and real PyTorch; what
they print must be the numbers ``POST /api/trace`` gives for the same body.
To pay for the Keras and PyTorch imports once, each framework's snippets run
one after another in one subprocess (``runpy.run_path``, as ``python file``
runs a file); the classic example also runs as a plain ``python file.py``.
"""
from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pooling.snippets import keras_snippet, pytorch_snippet

HAVE_KERAS = importlib.util.find_spec("keras") is not None and importlib.util.find_spec("jax") is not None
HAVE_TORCH = importlib.util.find_spec("torch") is not None
needs_keras = pytest.mark.skipif(not HAVE_KERAS, reason="keras and jax are in requirements-test.txt")
needs_torch = pytest.mark.skipif(not HAVE_TORCH, reason="torch==2.13.0 is in requirements-test.txt")

# Averages may differ in the last bit or two (the sum is taken in another
# order, and the PyTorch snippet divides two averages); maxima are exact.
EPS = float(np.finfo(np.float32).eps)
TOLERANCE = {"rtol": 4 * EPS, "atol": 4 * EPS}

FIVE = "the cat sat on mats"
FOUR = "ideas sleep furiously tonight"
# (id, request body). Comments give Keras' total "same" padding and its split.
SETTINGS = [
    ("classic-max-valid", {"preset": "classic", "pool_size": 2, "strides": 1}),
    ("average-valid-default-strides", {"sentence": FIVE, "layer": "average", "pool_size": 2}),
    ("max-valid-strides-3", {"sentence": FIVE, "pool_size": 2, "strides": 3, "features": 3}),
    # steps 5, pool 3, strides 2: 3 windows, padding 2 = 1 + 1 (even)
    ("max-same-even", {"sentence": FIVE, "pool_size": 3, "strides": 2, "padding": "same"}),
    ("average-same-even", {"sentence": FIVE, "layer": "average", "pool_size": 3, "strides": 2, "padding": "same"}),
    # steps 5, pool 2, strides 1: padding 1 = 0 + 1 (odd)
    ("average-same-odd", {"sentence": FIVE, "layer": "average", "pool_size": 2, "strides": 1, "padding": "same"}),
    # steps 5, pool 4, strides 1: padding 3 = 1 + 2 (odd)
    ("max-same-odd", {"sentence": FIVE, "pool_size": 4, "strides": 1, "padding": "same", "seed": 7}),
    # steps 5, pool 4, strides 2: padding 3 = 1 + 2 (odd, strided)
    ("average-same-odd-strided", {"sentence": FIVE, "layer": "average", "pool_size": 4, "strides": 2, "padding": "same", "features": 6}),
    # pool_size larger than the sentence: steps 5, pool 7: padding 6 = 3 + 3
    ("max-same-pool-beyond-steps", {"sentence": FIVE, "pool_size": 7, "strides": 1, "padding": "same"}),
    # steps 5, pool 6, strides 2: padding 5 = 2 + 3
    ("average-same-pool-beyond-steps", {"sentence": FIVE, "layer": "average", "pool_size": 6, "strides": 2, "padding": "SAME"}),
    # steps 4, pool 2, strides 2: "same" needs no padding
    ("average-same-no-padding", {"sentence": FOUR, "layer": "average", "pool_size": 2, "padding": "same"}),
    ("negatives-preset", {"preset": "negatives", "layer": "max", "pool_size": 3, "strides": 1, "padding": "same"}),
    ("one-word", {"sentence": "hello", "pool_size": 1}),
    ("embeddings-average", {"embeddings": [[-0.5, 2.25], [1e-3, -7.0], [3.5, 0.1]], "layer": "average", "pool_size": 2, "strides": 1}),
]

HOSTILE_WORDS = [
    "'''); import os; os.system('echo pwned') #",
    '"""); print("pwned',
    "\nprint('pwned')",
    "\\",
    "\r",
    "\u2028\u2029",
    "\x00",
    "{words}",
    "caf\u00e9 \U0001f642",
    "\u202eevil",
    "\ud800",
]

RUNNER = """
import contextlib, io, json, runpy, sys
results = []
for path in sys.argv[1:]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(path, run_name="__main__")
    results.append(out.getvalue())
print(json.dumps(results))
"""


def parse(output: str) -> dict:
    """The snippet's lines: label, a space, JSON."""
    result = {}
    for line in output.splitlines():
        label, _, payload = line.partition(" ")
        result[label] = json.loads(payload)
    return result


def run_many(paths: list[Path], tmp: Path) -> list[dict]:
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, *map(str, paths)],
        capture_output=True, text=True, env=env, cwd=tmp, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [parse(output) for output in json.loads(done.stdout.splitlines()[-1])]


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    """For each setting: the API's trace and the Keras and PyTorch snippets' output."""
    from app import create_app
    from webapp.config import TestConfig

    client = create_app(TestConfig).test_client()
    tmp = tmp_path_factory.mktemp("snippets")
    traces, files = {}, {"keras": [], "pytorch": []}
    for name, body in SETTINGS:
        response = client.post("/api/trace", json=body)
        assert response.status_code == 200, response.get_json()
        traces[name] = response.get_json()
        for framework in files:
            code = client.post(f"/api/export/{framework}", json=body)
            assert code.status_code == 200, code.get_json()
            path = tmp / f"{name}_{framework}.py"
            path.write_bytes(code.data)
            files[framework].append(path)
    printed = {}
    if HAVE_KERAS:
        printed["keras"] = dict(zip(traces, run_many(files["keras"], tmp)))
    if HAVE_TORCH:
        printed["pytorch"] = dict(zip(traces, run_many(files["pytorch"], tmp)))
    return traces, printed


def check_against_trace(printed: dict, trace: dict) -> None:
    assert printed["words"] == trace["tokens"]
    assert printed["x"] == [trace["x"]]  # the exact float32 values, shortest decimals
    pooling, expected = np.asarray(printed["pooling"][0]), np.asarray(trace["pooling"]["output"])
    global_, expected_global = np.asarray(printed["global"][0]), np.asarray(trace["global"]["output"])
    assert pooling.shape == expected.shape and global_.shape == expected_global.shape
    if trace["pooling"]["kind"] == "max":
        np.testing.assert_array_equal(pooling, expected)
        np.testing.assert_array_equal(global_, expected_global)
    else:
        np.testing.assert_allclose(pooling, expected, **TOLERANCE)
        np.testing.assert_allclose(global_, expected_global, **TOLERANCE)


@needs_keras
@pytest.mark.parametrize("name", [name for name, _ in SETTINGS])
def test_keras_snippet_prints_the_api_numbers(cases, name):
    traces, printed = cases
    check_against_trace(printed["keras"][name], traces[name])


@needs_torch
@pytest.mark.parametrize("name", [name for name, _ in SETTINGS])
def test_pytorch_snippet_prints_the_api_numbers(cases, name):
    traces, printed = cases
    check_against_trace(printed["pytorch"][name], traces[name])


@pytest.mark.parametrize(
    "framework, runnable",
    [pytest.param("keras", HAVE_KERAS, marks=needs_keras), pytest.param("pytorch", HAVE_TORCH, marks=needs_torch)],
)
def test_snippet_runs_as_a_plain_program(client, tmp_path, framework, runnable):
    body = {"preset": "classic", "pool_size": 2, "strides": 1}
    path = tmp_path / f"pooling_{framework}.py"
    path.write_bytes(client.post(f"/api/export/{framework}", json=body).data)
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    printed = parse(done.stdout)
    assert printed["pooling"] == [[[0.8, -0.2, 0.2], [0.8, -0.1, 0.4], [0.4, -0.1, 0.8]]]
    assert printed["global"] == [[0.8, -0.1, 0.8]]


# --- What the programs say and do not say -------------------------------------------


def test_pytorch_same_padding_is_explicit_and_explained():
    x = np.linspace(-1, 1, 15).reshape(5, 3)
    words = list("abcde")
    code = pytorch_snippet(x, words, "average", 4, 2, "same")
    assert "pads 3 positions, the smaller half on the left: 1 before, 2 after" in code
    assert "xp = F.pad(xc, (1, 2))" in code
    assert "real = F.pad(torch.ones_like(xc[:, :1]), (1, 2))" in code
    assert "by its number of real cells, never by pool_size" in code
    code = pytorch_snippet(x, words, "max", 4, 1, "same")
    assert 'xp = F.pad(xc, (1, 2), value=float("-inf"))' in code
    assert "a padded cell never wins" in code
    valid = pytorch_snippet(x, words, "max", 2, None, "valid")
    assert "F.pad" not in valid and "y = F.max_pool1d(xc, kernel_size=2, stride=2)" in valid
    assert "g = xc.amax(dim=2)" in valid
    assert "g = xc.mean(dim=2)" in pytorch_snippet(x, words, "average", 2, None, "valid")


def test_keras_snippet_names_the_layers_as_keras_does():
    code = keras_snippet([[1.0], [2.0], [3.0]], ["a", "b", "c"], "average", 2, None, "SAME")
    assert 'keras.layers.AveragePooling1D(pool_size=2, strides=None, padding="same")' in code
    assert "keras.layers.GlobalAveragePooling1D()" in code
    assert "torch backend" in code  # the one known backend difference is pointed out


def test_input_values_are_the_exact_float32_values():
    code = keras_snippet([[1 / 3, 0.1], [3e38, -0.0]], ["a", "b"])
    assert "[0.33333334, 0.1]," in code and "[3e+38, -0.0]," in code
    assert np.float32(0.33333334) == np.float32(1 / 3)


# --- Learners' words cannot break out of their string literal -----------------------


def words_literal(code: str) -> object:
    tree = ast.parse(code)
    [value] = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["words"]
    ]
    return ast.literal_eval(value)


@pytest.mark.parametrize("make, imports", [
    (keras_snippet, {"json", "keras", "numpy"}),
    (pytorch_snippet, {"json", "numpy", "torch", "torch.nn.functional"}),
])
@pytest.mark.parametrize("word", HOSTILE_WORDS, ids=range(len(HOSTILE_WORDS)))
def test_hostile_words_stay_inside_one_string_literal(make, imports, word):
    words = ["the", word, "end"]
    code = make(np.zeros((3, 2)), words, "max", 2, 1, "same")
    tree = ast.parse(code)  # still valid Python
    assert words_literal(code) == words  # the words come back exactly, from one literal
    found = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert found == imports
    assert not any(isinstance(node, ast.ImportFrom) for node in ast.walk(tree))
    calls = {
        ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)
    }
    assert not any("system" in call or "eval" in call or "exec" in call for call in calls)
    # The word appears nowhere else: not in the docstring, not in a comment.
    assert code.count(repr(words)) == 1
    assert "pwned" not in code.replace(repr(words), "")


@pytest.mark.parametrize(
    "framework, make, runnable",
    [
        pytest.param("keras", keras_snippet, HAVE_KERAS, marks=needs_keras),
        pytest.param("pytorch", pytorch_snippet, HAVE_TORCH, marks=needs_torch),
    ],
)
def test_hostile_words_run_as_data(tmp_path, framework, make, runnable):
    words = HOSTILE_WORDS
    x = np.arange(len(words) * 2, dtype=np.float32).reshape(-1, 2) / 8
    path = tmp_path / "hostile.py"
    path.write_text(make(x, words, "max", 2, 1, "valid"), encoding="utf-8")
    [printed] = run_many([path], tmp_path)
    assert printed["words"] == words


# --- Arguments are checked, naming the argument -------------------------------------


@pytest.mark.parametrize("make", [keras_snippet, pytorch_snippet])
@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"layer": "min"}, "^layer must be"),
        ({"x": [1.0, 2.0]}, "^x must be 2-D"),
        ({"x": np.zeros((2, 0))}, "^x must be 2-D"),
        ({"x": [[1.0], [float("nan")]]}, "^x must hold finite"),
        ({"x": [["a"], ["b"]]}, "^x must be"),
        ({"tokens": ["only one"]}, "^tokens has 1 words but x has 2 rows"),
        ({"tokens": "ab"}, "^tokens must be a list of str"),
        ({"tokens": ["a", 2]}, "^tokens must be a list of str"),
        ({"pool_size": 0}, "^pool_size must be a positive integer"),
        ({"pool_size": 3}, "^pool_size=3 is larger than the 2 steps"),
        ({"strides": 1.5}, "^strides must be a positive integer"),
        ({"padding": "full"}, "^padding must be"),
    ],
)
def test_bad_arguments_raise_value_error_naming_them(make, kwargs, match):
    arguments = {"x": [[1.0], [2.0]], "tokens": ["a", "b"], "layer": "max", "pool_size": 2, "strides": None, "padding": "valid"}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=match):
        make(**arguments)
