"""Generate ``tests/fixtures/keras_teaching.json`` from real Keras 3 on JAX.

The numbers behind the teaching sections (issue 9), recorded from Keras itself
so that ``tests/test_gradients.py`` and ``tests/test_teaching_engine.py`` can
check ``pooling/`` without Keras installed:

* ``gradients``: ``jax.vjp`` through ``MaxPooling1D``, ``AveragePooling1D``,
  ``GlobalMaxPooling1D`` and ``GlobalAveragePooling1D`` (with masks) for an
  input and an upstream gradient; both paddings, strides below, at and above
  ``pool_size`` (overlapping windows where one cell wins several), ties, NaN,
  ``-inf`` beside ``"same"`` padding, both data formats, ``keepdims``.
* ``masking``: ``Embedding(mask_zero=True)`` followed by
  ``GlobalMaxPooling1D`` (the padding pitfall, with the warning Keras gives)
  and by ``GlobalAveragePooling1D`` (which honours the mask);
  ``keras.utils.pad_sequences(padding="post")`` on sequences of vectors.
* ``models``: the two models of the classic question, layer by layer
  (class, output shape, parameters), for several ``(steps, features)``.
* ``textcnn``: ``Conv1D`` filters of widths 2, 3 and 4 with ReLU, each
  followed by ``GlobalMaxPooling1D``, on given weights.

Run from the repository root (deterministic: fixed seed, no timestamps)::

    KERAS_BACKEND=jax python tools/make_keras_teaching_fixtures.py

Conventions are those of ``tools/make_keras_fixtures.py`` (whose encoder this
reuses): non-finite floats are the strings ``"NaN"``, ``"Infinity"`` and
``"-Infinity"``; finite floats are the shortest decimals that read back to
the same float32, checked bit for bit before writing.
"""
from __future__ import annotations

import os

os.environ["KERAS_BACKEND"] = "jax"

import json
import platform
import sys
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import jaxlib  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

from make_keras_fixtures import decode, encode_array, same_bits_or_both_nan  # noqa: E402

SEED = 20260901
OUTPUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "keras_teaching.json"
rng = np.random.default_rng(SEED)


def values(shape: tuple[int, ...], kind: str) -> np.ndarray:
    """Float32 two-decimal values; kinds as in make_keras_fixtures plus "neginf"."""
    if kind == "ties":
        out = rng.integers(-2, 3, size=shape).astype(np.float64)
    elif kind == "negative":
        out = -np.round(rng.uniform(0.01, 9.99, size=shape), 2)
    else:
        out = np.round(rng.uniform(-9.99, 9.99, size=shape), 2)
    flat = out.reshape(-1)
    if kind in ("nan", "neginf"):
        count = max(1, flat.size // 4)
        where = rng.choice(flat.size, size=count, replace=False)
        flat[where] = np.nan if kind == "nan" else -np.inf
    return out.astype(np.float32)


def checked(array: np.ndarray) -> Any:
    """encode_array, verified to read back bit for bit."""
    array = np.asarray(array, dtype=np.float32)
    encoded = encode_array(array)
    reread = np.asarray(decode(json.loads(json.dumps(encoded))), dtype=np.float32).reshape(array.shape)
    if not same_bits_or_both_nan(reread, array):
        raise AssertionError("a value does not survive JSON")
    return encoded


# ---------------------------------------------------------------- gradients

LAYERS = {
    "MaxPooling1D": keras.layers.MaxPooling1D,
    "AveragePooling1D": keras.layers.AveragePooling1D,
    "GlobalMaxPooling1D": keras.layers.GlobalMaxPooling1D,
    "GlobalAveragePooling1D": keras.layers.GlobalAveragePooling1D,
}
gradient_cases: list[dict[str, Any]] = []


def vjp(layer: keras.layers.Layer, x: np.ndarray, upstream_kind: str, mask: np.ndarray | None):
    def forward(inputs):
        return layer(inputs, mask=mask) if mask is not None else layer(inputs)

    output, pullback = jax.vjp(forward, jnp.asarray(x))
    output = np.asarray(output)
    if upstream_kind == "ones":
        upstream = np.ones(output.shape, np.float32)
    else:
        upstream = np.round(rng.uniform(-3, 3, size=output.shape), 2).astype(np.float32)
    (grad,) = pullback(jnp.asarray(upstream))
    return output, upstream, np.asarray(grad)


def add_gradient_case(
    layer: str,
    kwargs: dict[str, Any],
    steps: int,
    kind: str = "random",
    upstream_kind: str = "random",
    batch: int | None = None,
    features: int | None = None,
    mask_kind: str | None = None,
    x: np.ndarray | None = None,
) -> None:
    data_format = kwargs.get("data_format", "channels_last")
    if x is None:
        batch = batch if batch is not None else int(rng.integers(1, 3))
        features = features if features is not None else int(rng.integers(1, 5))
        shape = (batch, steps, features) if data_format == "channels_last" else (batch, features, steps)
        x = values(shape, kind)
    batch = x.shape[0]
    steps = x.shape[1] if data_format == "channels_last" else x.shape[2]
    mask = None
    if mask_kind == "random":
        mask = rng.random((batch, steps)) < 0.6
        mask[:, 0] = True
    elif mask_kind == "all_masked_row":
        mask = rng.random((batch, steps)) < 0.6
        mask[0] = False
    output, upstream, grad = vjp(LAYERS[layer](**kwargs), x, upstream_kind, mask)
    tags = [kind, f"upstream_{upstream_kind}"]
    if "pool_size" in kwargs:
        stride = kwargs["strides"] or kwargs["pool_size"]
        if stride < kwargs["pool_size"]:
            tags.append("overlapping")
    if mask_kind:
        tags.append(f"mask_{mask_kind}")
    case: dict[str, Any] = {
        "id": f"{layer}-{len(gradient_cases):03d}-{'-'.join(tags)}",
        "layer": layer,
        "kwargs": kwargs,
        "input": checked(x),
        "upstream": checked(upstream),
        "output": checked(output),
        "expected_grad": checked(grad),
        "tags": tags,
    }
    if mask is not None:
        case["mask"] = mask.tolist()
    gradient_cases.append(case)


def build_gradient_cases() -> None:
    formats = ("channels_last", "channels_first")
    for layer in ("MaxPooling1D", "AveragePooling1D"):
        for padding in ("valid", "same"):
            for data_format in formats:
                for pool_size in (1, 2, 3, 4):
                    for strides in (None, 1, 2, 3):
                        steps = int(rng.integers(pool_size, 11))
                        kwargs = {"pool_size": pool_size, "strides": strides, "padding": padding,
                                  "data_format": data_format}
                        add_gradient_case(layer, kwargs, steps)
                # Ties, where the windowed max picks one cell.
                for pool_size, strides, steps in ((2, 1, 8), (3, 1, 9), (3, 2, 9), (4, 1, 7), (2, None, 6)):
                    kwargs = {"pool_size": pool_size, "strides": strides, "padding": padding,
                              "data_format": data_format}
                    for upstream_kind in ("ones", "random"):
                        add_gradient_case(layer, kwargs, steps, "ties", upstream_kind, batch=2, features=4)
                for pool_size, strides, steps in ((3, 1, 7), (2, 1, 5), (4, 2, 9)):
                    kwargs = {"pool_size": pool_size, "strides": strides, "padding": padding,
                              "data_format": data_format}
                    add_gradient_case(layer, kwargs, steps, "negative")
                    if layer == "MaxPooling1D":
                        add_gradient_case(layer, kwargs, steps, "nan")
                        add_gradient_case(layer, kwargs, steps, "neginf")
    # Hand-made: constant inputs (every cell tied) and the -inf edge under "same".
    for pool_size, strides in ((2, 1), (3, 1), (4, 1), (3, 2), (5, 1)):
        for padding in ("valid", "same"):
            kwargs = {"pool_size": pool_size, "strides": strides, "padding": padding,
                      "data_format": "channels_last"}
            add_gradient_case("MaxPooling1D", kwargs, 6, "constant", "ones",
                              x=np.full((1, 6, 2), 1.5, np.float32))
            add_gradient_case("MaxPooling1D", kwargs, 6, "all_neginf", "ones",
                              x=np.full((1, 6, 1), -np.inf, np.float32))
    for layer in ("GlobalMaxPooling1D", "GlobalAveragePooling1D"):
        for data_format in formats:
            for keepdims in (False, True):
                kwargs = {"data_format": data_format, "keepdims": keepdims}
                for kind in ("random", "ties", "negative", "nan"):
                    for upstream_kind in ("ones", "random"):
                        add_gradient_case(layer, kwargs, int(rng.integers(1, 11)), kind, upstream_kind)
                add_gradient_case(layer, kwargs, 6, "constant", "random",
                                  x=np.full((2, 6, 3) if data_format == "channels_last" else (2, 3, 6),
                                            -0.5, np.float32))
                if layer == "GlobalAveragePooling1D":
                    for mask_kind in ("random", "all_masked_row"):
                        add_gradient_case(layer, kwargs, int(rng.integers(2, 9)), "random", "random",
                                          batch=2, mask_kind=mask_kind)
    # Signed zeros tie in jnp.max.
    add_gradient_case("GlobalMaxPooling1D", {"data_format": "channels_last", "keepdims": False}, 3,
                      "signed_zeros", "ones", x=np.array([[[0.0], [-0.0], [-1.0]]], np.float32))


# ---------------------------------------------------------------- masking


def build_masking() -> dict[str, Any]:
    """The padding pitfall, measured: Embedding(mask_zero=True) then global pooling."""
    table = np.array([[0.0, 0.0], [-1.0, -2.0], [-3.0, -0.5]], np.float32)
    runs = []
    for ids in ([[1, 1, 0, 0]], [[1, 2, 0, 0, 0], [2, 1, 1, 1, 2]]):
        ids = np.array(ids, np.int32)
        for pool in ("GlobalMaxPooling1D", "GlobalAveragePooling1D"):
            inputs = keras.Input((ids.shape[1],), dtype="int32")
            embedding = keras.layers.Embedding(len(table), table.shape[1], mask_zero=True)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                model = keras.Model(inputs, LAYERS[pool]()(embedding(inputs)))
            embedding.set_weights([table])
            output = model.predict(ids, verbose=0)
            runs.append({
                "ids": ids.tolist(),
                "layer": pool,
                "expected": checked(output),
                "warnings": sorted({str(w.message) for w in caught}),
            })
    sequences = [
        values((2, 3), "random"),
        values((4, 3), "negative"),
        values((1, 3), "random"),
    ]
    padded = keras.utils.pad_sequences(sequences, padding="post", dtype="float32", value=0.0)
    return {
        "embedding_table": checked(table),
        "embedding_runs": runs,
        "pad_sequences": {
            "kwargs": {"padding": "post", "dtype": "float32", "value": 0.0},
            "sequences": [checked(s) for s in sequences],
            "expected": checked(padded),
        },
    }


# ---------------------------------------------------------------- models


def build_models() -> list[dict[str, Any]]:
    records = []
    for steps, features in ((6, 10), (4, 3), (10, 4), (2, 1), (50, 64), (256, 64), (3, 7)):
        for name in ("windowed", "global"):
            if name == "windowed":
                stack = [
                    keras.layers.LSTM(16, return_sequences=True),
                    keras.layers.MaxPooling1D(pool_size=2, strides=1),
                    keras.layers.LSTM(10),
                    keras.layers.Dense(1),
                ]
            else:
                stack = [
                    keras.layers.LSTM(16, return_sequences=True),
                    keras.layers.GlobalMaxPooling1D(),
                    keras.layers.Dense(1),
                ]
            model = keras.Sequential([keras.Input((steps, features)), *stack])
            records.append({
                "model": name,
                "steps": steps,
                "features": features,
                "layers": [
                    {
                        "class": type(layer).__name__,
                        "output_shape": list(layer.output.shape),
                        "params": int(layer.count_params()),
                    }
                    for layer in model.layers
                ],
                "total_params": int(model.count_params()),
            })
    return records


# ---------------------------------------------------------------- text CNN


def build_textcnn() -> list[dict[str, Any]]:
    records = []
    for steps, features, filters, padding, kind in (
        (4, 3, 1, "valid", "random"),
        (7, 4, 2, "valid", "random"),
        (9, 5, 3, "valid", "ties"),
        (5, 4, 2, "same", "random"),
        (2, 3, 2, "same", "negative"),
        (12, 8, 2, "valid", "negative"),
    ):
        x = values((1, steps, features), kind)
        convs = []
        for width in (2, 3, 4):
            kernel = np.round(rng.uniform(-1, 1, size=(width, features, filters)), 2).astype(np.float32)
            bias = np.round(rng.uniform(-0.5, 0.5, size=(filters,)), 2).astype(np.float32)
            conv = keras.layers.Conv1D(filters, width, padding=padding, activation="relu")
            conv.build((None, steps, features))
            conv.set_weights([kernel, bias])
            feature_map = np.asarray(conv(x))
            pooled = np.asarray(keras.layers.GlobalMaxPooling1D()(feature_map))
            convs.append({
                "width": width,
                "kernel": checked(kernel),
                "bias": checked(bias),
                "feature_map": checked(feature_map),
                "pooled": checked(pooled),
            })
        vector = np.concatenate([np.asarray(decode(c["pooled"]), np.float32) for c in convs], axis=-1)
        records.append({
            "padding": padding,
            "filters": filters,
            "input": checked(x),
            "convs": convs,
            "vector": checked(vector),
            "tags": [kind],
        })
    return records


def main() -> int:
    if keras.backend.backend() != "jax":
        print(f"expected the jax backend, got {keras.backend.backend()}", file=sys.stderr)
        return 1
    build_gradient_cases()
    document = {
        "header": {
            "description": (
                "Keras 3 on JAX behind the teaching sections (issue 9). Generated by "
                "tools/make_keras_teaching_fixtures.py; replayed by tests/test_gradients.py "
                "and tests/test_teaching_engine.py."
            ),
            "backend": keras.backend.backend(),
            "keras_version": keras.__version__,
            "jax_version": jax.__version__,
            "jaxlib_version": jaxlib.__version__,
            "numpy_version": np.__version__,
            "python_version": platform.python_version(),
            "seed": SEED,
            "dtype": "float32",
            "nonfinite_encoding": (
                'Non-finite floats are the JSON strings "NaN", "Infinity" and "-Infinity".'
            ),
            "gradient_fields": (
                "layer, kwargs (as passed to the layer), input, upstream (the cotangent "
                "given to jax.vjp), output, expected_grad (jax.vjp's result), optional mask, tags."
            ),
        },
        "gradients": gradient_cases,
        "masking": build_masking(),
        "models": build_models(),
        "textcnn": build_textcnn(),
    }
    document["header"]["gradient_case_count"] = len(gradient_cases)
    lines = ["{", f'"header": {json.dumps(document["header"], indent=1)},']
    for key in ("gradients", "models", "textcnn"):
        lines.append(f'"{key}": [')
        lines.append(",\n".join(json.dumps(item, separators=(",", ":")) for item in document[key]))
        lines.append("],")
    lines.append(f'"masking": {json.dumps(document["masking"], separators=(",", ":"))}')
    lines.append("}")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size / 1024:.0f} KiB): {len(gradient_cases)} gradient "
          f"cases, {len(document['models'])} models, {len(document['textcnn'])} text CNNs; "
          f"keras {keras.__version__}, jax {jax.__version__}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
