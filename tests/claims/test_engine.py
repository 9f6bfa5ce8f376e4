"""Claims about what the pooling layers do, proved against Keras 3 on JAX and PyTorch 2.13.

Each test is named by a claim in ``pooling/claims.py``. Expected numbers are
worked out here by hand from the inputs, never taken from the engine; where
the engine states the same rule, it is checked too.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

if "keras" in sys.modules:
    if sys.modules["keras"].backend.backend() != "jax":
        pytest.skip("keras was imported with another backend; these tests need jax", allow_module_level=True)
else:
    os.environ["KERAS_BACKEND"] = "jax"  # Keras reads its backend once, at import time.

jax = pytest.importorskip("jax", reason="the claims are about Keras on JAX")
keras = pytest.importorskip("keras", reason="the claims are about Keras")

from pooling import PRESETS, global_max_pooling1d_grad  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
THIRD = float(np.float32(1) / np.float32(3))


def _keras_grad(layer, x: np.ndarray, upstream: np.ndarray, **call) -> np.ndarray:
    output, vjp = jax.vjp(lambda t: layer(t, **call), jax.numpy.asarray(x, dtype=jax.numpy.float32))
    return np.asarray(vjp(jax.numpy.asarray(upstream, dtype=output.dtype).reshape(output.shape))[0])


def _ties() -> np.ndarray:
    """The Ties preset, (1, 4, 2): feature 0 is 0.5 for 'red' (rows 0, 1 and 3), 0.2 for 'blue'."""
    return np.asarray(PRESETS["ties"].embeddings, np.float32)[None]


def test_global_max_splits_a_tie_equally():
    x = _ties()
    grad = _keras_grad(keras.layers.GlobalMaxPooling1D(), x, np.ones((1, 2)))
    assert grad[0, :, 0].tolist() == [THIRD, THIRD, 0.0, THIRD]
    assert global_max_pooling1d_grad(x, np.ones((1, 2)))[0, :, 0].tolist() == [THIRD, THIRD, 0.0, THIRD]


def test_windowed_max_gives_a_tie_to_the_first_word():
    # MaxPooling1D(2, strides=1) on feature 0 of Ties: window [red, red] ties; the first red gets it.
    x = _ties()
    grad = _keras_grad(keras.layers.MaxPooling1D(2, 1), x, np.ones((1, 3, 2)))
    # windows: rows 0-1 -> row 0; rows 1-2 -> row 1; rows 2-3 -> row 3
    assert grad[0, :, 0].tolist() == [1.0, 1.0, 0.0, 1.0]


def test_pytorch_gives_a_tie_to_the_first_index():
    torch = pytest.importorskip("torch", reason="the claim is about PyTorch")
    assert torch.__version__.startswith("2.13")
    values = torch.tensor(_ties()[0, :, 0].tolist())  # [0.5, 0.5, 0.2, 0.5]
    x = values.reshape(1, 1, 4).clone().requires_grad_(True)  # PyTorch is (N, C, L)
    torch.nn.AdaptiveMaxPool1d(1)(x).sum().backward()
    assert x.grad.reshape(-1).tolist() == [1.0, 0.0, 0.0, 0.0]
    y = values.clone().requires_grad_(True)
    top, index = torch.max(y, dim=0)
    top.backward()
    assert int(index) == 0 and y.grad.tolist() == [1.0, 0.0, 0.0, 0.0]


def test_strides_none_means_pool_size():
    x = np.random.default_rng(0).standard_normal((2, 10, 3)).astype(np.float32)
    for layer in (keras.layers.MaxPooling1D, keras.layers.AveragePooling1D):
        default = np.asarray(layer(pool_size=3)(x))
        same = np.asarray(layer(pool_size=3, strides=3)(x))
        assert default.shape == (2, 3, 3)  # floor((10 - 3) / 3) + 1
        np.testing.assert_array_equal(default, same)
        assert not np.array_equal(default, np.asarray(layer(pool_size=3, strides=1)(x))[:, :3])


def test_same_pads_more_at_the_end():
    # 3 words, pool_size=2, strides=1: one padding cell in all.
    # At the end the windows are [0, 1], [1, 2], [2, pad]; at the start they
    # would be [pad, 0], [0, 1], [1, 2].
    x = np.array([[[3.0], [1.0], [2.0]]], np.float32)
    assert np.asarray(keras.layers.MaxPooling1D(2, 1, "same")(x))[0, :, 0].tolist() == [3.0, 2.0, 2.0]
    # 4 words, pool_size=4: three padding cells, one at the start and two at the end:
    # windows [pad, 0, 1, 2], [0, 1, 2, 3], [1, 2, 3, pad], [2, 3, pad, pad].
    x = np.array([[[1.0], [2.0], [4.0], [8.0]]], np.float32)
    averages = np.asarray(keras.layers.AveragePooling1D(4, 1, "same")(x))[0, :, 0]
    np.testing.assert_allclose(averages, [7 / 3, 15 / 4, 14 / 3, 6.0], rtol=1e-7)
    # Were the extra cell at the start: [pad, pad, 0, 1], [pad, 0, 1, 2], [0, 1, 2, 3], [1, 2, 3, pad].
    assert not np.allclose(averages, [3 / 2, 7 / 3, 15 / 4, 14 / 3])


def test_average_same_never_counts_padding_on_jax():
    # [1..6], pool_size=4: windows hold 3, 4, 4, 4, 3 and 2 real numbers.
    x = np.arange(1, 7, dtype=np.float32).reshape(1, 6, 1)
    averages = np.asarray(keras.layers.AveragePooling1D(4, 1, "same")(x))[0, :, 0]
    np.testing.assert_allclose(averages, [6 / 3, 10 / 4, 14 / 4, 18 / 4, 15 / 3, 11 / 2], rtol=1e-7)


_TORCH_BACKEND = """
import json, numpy as np, keras
x = np.arange(1, 7, dtype="float32").reshape(1, 6, 1)
out = {k: np.asarray(keras.layers.AveragePooling1D(k, 1, "same")(x)).ravel().tolist() for k in (3, 4)}
print(json.dumps({"backend": keras.backend.backend(), "out": out}))
"""


def test_keras_torch_backend_averages_differently_when_same_padding_is_odd():
    pytest.importorskip("torch", reason="Keras' torch backend needs torch")
    env = {**os.environ, "KERAS_BACKEND": "torch"}
    done = subprocess.run(
        [sys.executable, "-c", _TORCH_BACKEND], capture_output=True, text=True, env=env, cwd=REPO, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["backend"] == "torch"
    # pool_size=4: 3 padding cells, an odd total: the edges differ from JAX's [2.0, ..., 5.5].
    torch_four = answer["out"]["4"]
    assert torch_four[0] == 1.75 and torch_four[-1] == 5.75
    assert torch_four[0] != 2.0 and torch_four[-1] != 5.5
    # pool_size=3: 2 padding cells, an even total: the same as on JAX.
    assert answer["out"]["3"] == [1.5, 2.0, 3.0, 4.0, 5.0, 5.5]


def _masked_model(pooling):
    """Embedding(mask_zero=True) then ``pooling``; id 0 is padding, ids 1 and 2 are words."""
    embedding = keras.layers.Embedding(3, 2, mask_zero=True)
    words = keras.Input((4,), dtype="int32")
    model = keras.Model(words, pooling(embedding(words)))
    embedding.set_weights([np.array([[0.0, 0.0], [-1.0, -2.0], [-3.0, -4.0]], np.float32)])
    return model


def test_global_max_ignores_a_mask_with_a_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = _masked_model(keras.layers.GlobalMaxPooling1D())
        output = model.predict(np.array([[1, 2, 0, 0]]), verbose=0)
    # The two padding steps (embedding row 0, zeros) win both negative features.
    assert output.tolist() == [[0.0, 0.0]]
    assert any("does not support masking" in str(w.message) for w in caught), [str(w.message) for w in caught]
    # Called directly, the layer takes no mask at all.
    with pytest.raises(TypeError, match="mask"):
        keras.layers.GlobalMaxPooling1D()(np.zeros((1, 2, 1), np.float32), mask=np.ones((1, 2), bool))


def test_global_average_honours_a_mask():
    model = _masked_model(keras.layers.GlobalAveragePooling1D())
    output = model.predict(np.array([[1, 2, 0, 0]]), verbose=0)
    assert output.tolist() == [[-2.0, -3.0]]  # the mean of the two words, padding left out
