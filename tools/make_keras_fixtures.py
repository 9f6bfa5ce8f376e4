"""Generate ``tests/fixtures/keras_pooling.json`` from real Keras layers.

Every case runs one of Keras' own 1-D pooling layers (``MaxPooling1D``,
``AveragePooling1D``, ``GlobalMaxPooling1D``, ``GlobalAveragePooling1D``) on
the JAX backend and records the input, the keyword arguments exactly as passed
to the layer, any mask, and what Keras returned. ``tests/test_keras_conformance``
replays every case against ``pooling/``, so the app's engine is checked against
Keras without Keras being installed.

Run from the repository root::

    python tools/make_keras_fixtures.py

The output is deterministic (fixed seed, no timestamps): re-running it with the
same Keras, JAX and NumPy versions rewrites the same bytes.

JSON has no NaN or infinity, so non-finite floats are written as the strings
``"NaN"``, ``"Infinity"`` and ``"-Infinity"``; the header says so and the test
loader turns them back into floats. Finite floats are written as the shortest
decimal that reads back to the same float32, and the script checks that every
value survives the round trip bit for bit.
"""

from __future__ import annotations

import os

# Keras picks its backend once, at import time.
os.environ["KERAS_BACKEND"] = "jax"

import json
import math
import platform
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import jax
import jaxlib
import keras
import numpy as np

SEED = 20240611
OUTPUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "keras_pooling.json"

LAYERS = {
    "max": keras.layers.MaxPooling1D,
    "avg": keras.layers.AveragePooling1D,
    "gmax": keras.layers.GlobalMaxPooling1D,
    "gavg": keras.layers.GlobalAveragePooling1D,
}
DATA_FORMATS = {"channels_last": "cl", "channels_first": "cf"}
NONFINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}

rng = np.random.default_rng(SEED)


# ---------------------------------------------------------------- values


def make_values(shape: tuple[int, ...], kind: str) -> np.ndarray:
    """Float32 input of ``shape``; every value is a 2-decimal number or non-finite.

    kind: "random" (-9.99..9.99), "negative" (all < 0, so a padded zero would
    win a max), "ties" (few distinct values), "nan" (random with NaNs),
    "inf" (random with +-inf).
    """
    if kind == "ties":
        values = rng.integers(-2, 3, size=shape).astype(np.float64)
    elif kind == "negative":
        values = -np.round(rng.uniform(0.01, 9.99, size=shape), 2)
    else:
        values = np.round(rng.uniform(-9.99, 9.99, size=shape), 2)
    if kind in ("nan", "inf"):
        flat = values.reshape(-1)
        count = max(1, flat.size // 5)
        where = rng.choice(flat.size, size=count, replace=False)
        if kind == "nan":
            flat[where] = np.nan
        else:
            flat[where] = rng.choice([np.inf, -np.inf], size=count)
    return values.astype(np.float32)


def input_shape(batch: int, steps: int, features: int, data_format: str) -> tuple[int, int, int]:
    if data_format == "channels_last":
        return (batch, steps, features)
    return (batch, features, steps)


# ---------------------------------------------------------------- encoding


def encode_float(value: np.float32) -> float | str:
    """Shortest JSON-safe form of one float32 that reads back bit for bit."""
    if np.isnan(value):
        return "NaN"
    if np.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    short = float(str(np.float32(value)))
    if np.float32(short).tobytes() == np.float32(value).tobytes():
        return short
    return float(value)  # the exact float64 of a float32 always reads back


def encode_array(array: np.ndarray) -> Any:
    if array.ndim == 0:
        return encode_float(array[()])
    return [encode_array(part) for part in array]


def decode(value: Any) -> Any:
    """Inverse of ``encode_array``; the conformance test has its own copy."""
    if isinstance(value, list):
        return [decode(part) for part in value]
    if isinstance(value, str):
        return NONFINITE[value]
    return value


def same_bits_or_both_nan(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal bit for bit (so -0.0 is not 0.0), except that any NaN matches any NaN."""
    both_nan = np.isnan(a) & np.isnan(b)
    same = (a.view(np.uint32) == b.view(np.uint32)) | both_nan
    return a.shape == b.shape and bool(np.all(same))


# ---------------------------------------------------------------- cases

cases: list[dict[str, Any]] = []


def next_id(parts: list[str]) -> str:
    return "-".join(parts + [f"{len(cases):03d}"])


def add_pool_case(
    layer: str,
    padding: str,
    data_format: str,
    pool_size: int,
    strides: int | None,
    steps: int,
    kind: str = "random",
    batch: int | None = None,
    features: int | None = None,
) -> None:
    """Run MaxPooling1D / AveragePooling1D once and record the case."""
    batch = batch if batch is not None else int(rng.integers(1, 4))
    features = features if features is not None else int(rng.integers(1, 6))
    x = make_values(input_shape(batch, steps, features, data_format), kind)
    kwargs = {
        "pool_size": pool_size,
        "strides": strides,
        "padding": padding,
        "data_format": data_format,
    }
    output = keras.ops.convert_to_numpy(LAYERS[layer](**kwargs)(x))
    strides_tag = "sN" if strides is None else f"s{strides}"
    case_id = next_id(
        [layer, padding, DATA_FORMATS[data_format], f"k{pool_size}", strides_tag, f"n{steps}", kind]
    )
    case: dict[str, Any] = {
        "id": case_id,
        "layer": LAYERS[layer].__name__,
        "kwargs": kwargs,
        "input": encode_array(x),
    }
    if padding == "valid" and pool_size > steps:
        # JAX quietly returns an empty array here; our engine must refuse.
        case["expect_error"] = "ValueError"
        case["keras_output_shape"] = list(output.shape)
        case["tags"] = [kind, "pool_size>steps"]
    else:
        case["expected"] = encode_array(output)
        case["expected_shape"] = list(output.shape)
        tags = [kind]
        if pool_size > steps:
            tags.append("pool_size>steps")
        if padding == "same":
            stride = pool_size if strides is None else strides
            out_steps = -(-steps // stride)
            total = max((out_steps - 1) * stride + pool_size - steps, 0)
            if total % 2:
                tags.append("odd_total_padding")
        case["tags"] = tags
        check_round_trip(case, output)
    cases.append(case)


def add_global_case(
    layer: str,
    data_format: str,
    keepdims: bool,
    steps: int,
    kind: str = "random",
    mask_kind: str | None = None,
    batch: int | None = None,
    features: int | None = None,
) -> None:
    """Run GlobalMaxPooling1D / GlobalAveragePooling1D once and record the case."""
    batch = batch if batch is not None else int(rng.integers(1, 4))
    features = features if features is not None else int(rng.integers(1, 6))
    x = make_values(input_shape(batch, steps, features, data_format), kind)
    kwargs = {"data_format": data_format, "keepdims": keepdims}
    mask = make_mask(x, batch, steps, data_format, mask_kind) if mask_kind else None
    instance = LAYERS[layer](**kwargs)
    result = instance(x, mask=mask) if mask is not None else instance(x)
    output = keras.ops.convert_to_numpy(result)
    parts = [layer, DATA_FORMATS[data_format], f"keep{int(keepdims)}", f"n{steps}", kind]
    if mask_kind:
        parts.append(f"mask_{mask_kind}")
    case: dict[str, Any] = {
        "id": next_id(parts),
        "layer": LAYERS[layer].__name__,
        "kwargs": kwargs,
        "input": encode_array(x),
    }
    if mask is not None:
        case["mask"] = mask.tolist()
    case["expected"] = encode_array(output)
    case["expected_shape"] = list(output.shape)
    case["tags"] = [kind] + ([f"mask_{mask_kind}"] if mask_kind else [])
    check_round_trip(case, output)
    cases.append(case)


def make_mask(
    x: np.ndarray, batch: int, steps: int, data_format: str, mask_kind: str
) -> np.ndarray:
    """A (batch, steps) boolean mask; some kinds also plant NaN/inf in ``x``.

    random: about half the steps kept, at least one per row.
    all_true: nothing masked.
    all_masked_row: row 0 fully masked (Keras divides 0 by 0), others random.
    nan_masked: a NaN at a masked step, which Keras' where() drops.
    inf_masked: an inf at a masked step, likewise dropped.
    nan_unmasked: a NaN at a kept step, which reaches the average.
    one_kept: exactly one kept step per row.
    """
    mask = rng.random((batch, steps)) < 0.5
    for row in range(batch):
        if not mask[row].any():
            mask[row, rng.integers(steps)] = True
    if mask_kind == "all_true":
        mask[:] = True
    elif mask_kind == "all_masked_row":
        mask[0] = False
    elif mask_kind == "one_kept":
        mask[:] = False
        mask[np.arange(batch), rng.integers(0, steps, size=batch)] = True
    elif mask_kind in ("nan_masked", "inf_masked"):
        mask[:, 0] = False
        poison = np.nan if mask_kind == "nan_masked" else np.inf
        if data_format == "channels_last":
            x[:, 0, :] = poison
        else:
            x[:, :, 0] = poison
        for row in range(batch):
            if not mask[row].any():
                mask[row, -1] = True
    elif mask_kind == "nan_unmasked":
        mask[0, 0] = True
        x[0, 0, 0] = np.nan  # step 0, feature 0 in either layout
    return mask


def check_round_trip(case: dict[str, Any], output: np.ndarray) -> None:
    """The JSON must read back to exactly what Keras returned."""
    written = json.loads(json.dumps(case["expected"]))
    reread = np.asarray(decode(written), dtype=np.float32).reshape(output.shape)
    if not same_bits_or_both_nan(reread, output.astype(np.float32)):
        raise AssertionError(f"{case['id']}: expected output does not survive JSON")


def build_cases() -> None:
    paddings = ("valid", "same")
    formats = tuple(DATA_FORMATS)
    strides_options = (None, 1, 2, 3, 4)

    # 1. The full grid: layer x padding x data_format x pool_size x strides.
    for layer in ("max", "avg"):
        for padding in paddings:
            for data_format in formats:
                for pool_size in range(1, 7):
                    for strides in strides_options:
                        low = pool_size if padding == "valid" else 1
                        steps = int(rng.integers(low, 13))
                        add_pool_case(layer, padding, data_format, pool_size, strides, steps)

    # 2. Inputs that catch specific mistakes.
    for layer in ("max", "avg"):
        for data_format in formats:
            for padding in paddings:
                # Negative-only: a zero pad value would win a max.
                for pool_size, strides, steps in ((3, 1, 7), (2, None, 5), (4, 2, 9)):
                    add_pool_case(layer, padding, data_format, pool_size, strides, steps, "negative")
                # Ties.
                for pool_size, strides, steps in ((2, 1, 6), (3, None, 9)):
                    add_pool_case(layer, padding, data_format, pool_size, strides, steps, "ties")
                # NaN and +-inf in the input.
                for pool_size, strides, steps in ((2, 1, 6), (3, 2, 8)):
                    add_pool_case(layer, padding, data_format, pool_size, strides, steps, "nan")
                add_pool_case(layer, padding, data_format, 3, 1, 7, "inf")
                # A single step.
                add_pool_case(layer, padding, data_format, 1, None, 1)
            # pool_size larger than steps, with "same" padding.
            for pool_size, strides, steps in (
                (4, None, 1), (6, 1, 2), (5, 2, 3), (6, 3, 4), (4, 4, 3), (6, None, 5),
            ):
                add_pool_case(layer, "same", data_format, pool_size, strides, steps)
            add_pool_case(layer, "same", data_format, 5, 1, 3, "negative", batch=2)
            # Batch above one with every feature count.
            for features in range(1, 6):
                add_pool_case(layer, "same", data_format, 3, 2, 7, batch=3, features=features)

    # 3. Odd total padding in "same" mode puts the extra pad at the end
    # (TensorFlow/JAX); Keras' torch backend does not, so pin it down.
    for data_format in formats:
        for pool_size, strides, steps in (
            (2, 1, 5), (4, 1, 5), (3, 2, 6), (2, 1, 1), (6, 1, 4), (4, 3, 8),
            (5, 2, 6), (3, 2, 4), (6, 4, 7), (2, None, 5),
        ):
            add_pool_case("avg", "same", data_format, pool_size, strides, steps)
        add_pool_case("avg", "same", data_format, 4, 1, 6, "negative", batch=2)

    # 4. Global layers.
    for layer in ("gmax", "gavg"):
        for data_format in formats:
            for keepdims in (False, True):
                for kind in ("random", "negative", "ties", "nan", "inf"):
                    add_global_case(layer, data_format, keepdims, int(rng.integers(1, 13)), kind)
                add_global_case(layer, data_format, keepdims, 1)
                add_global_case(layer, data_format, keepdims, 12, batch=3, features=5)

    # 5. Masks (GlobalAveragePooling1D only: Keras' GlobalMaxPooling1D takes none).
    for data_format in formats:
        for keepdims in (False, True):
            for mask_kind in (
                "random", "all_true", "all_masked_row", "nan_masked",
                "inf_masked", "nan_unmasked", "one_kept",
            ):
                steps = int(rng.integers(2, 11))
                add_global_case(
                    "gavg", data_format, keepdims, steps, "random", mask_kind, batch=int(rng.integers(2, 4))
                )
            add_global_case("gavg", data_format, keepdims, 6, "negative", "random", batch=2)

    # 6. pool_size > steps with "valid": JAX returns an empty array, we raise.
    for layer in ("max", "avg"):
        for data_format in formats:
            for pool_size, strides, steps in ((3, None, 2), (6, 1, 5), (2, 2, 1)):
                add_pool_case(layer, "valid", data_format, pool_size, strides, steps)


def write(path: Path) -> None:
    header = {
        "description": (
            "Keras 1-D pooling layers run on real inputs; replayed by "
            "tests/test_keras_conformance.py. Generated by tools/make_keras_fixtures.py."
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
            'Non-finite floats are the JSON strings "NaN", "Infinity" and '
            '"-Infinity"; every other number is a plain JSON number.'
        ),
        "float_encoding": (
            "Inputs are float32 values of numbers with two decimals; expected "
            "values are the shortest decimals that read back (float64, then "
            "float32) to Keras' float32 output bit for bit."
        ),
        "case_fields": (
            "id, layer (Keras class name), kwargs (exactly as passed to the layer), "
            "input, optional mask ((batch, steps) booleans, passed as mask=), "
            "tags; then either expected + expected_shape, or expect_error "
            "(the engine must raise it) + keras_output_shape (what Keras returned)."
        ),
        "case_count": len(cases),
    }
    lines = ["{"]
    lines.append(f'"header": {json.dumps(header, indent=1)},')
    lines.append('"cases": [')
    lines.append(",\n".join(json.dumps(case, separators=(",", ":")) for case in cases))
    lines.append("]}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


def summarise(path: Path) -> None:
    per_layer = Counter()
    per_format = Counter()
    per_tag = Counter()
    errors = 0
    for case in cases:
        padding = case["kwargs"].get("padding", "-")
        if "expect_error" in case:
            errors += 1
            padding += " (expect_error)"
        per_layer[(case["layer"], padding)] += 1
        per_format[case["kwargs"]["data_format"]] += 1
        per_tag.update(case["tags"])
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB), {len(cases)} cases, "
          f"{errors} expect_error")
    print(f"keras {keras.__version__} on {keras.backend.backend()}, jax {jax.__version__}, "
          f"numpy {np.__version__}")
    for (layer, padding), count in sorted(per_layer.items()):
        print(f"  {layer:<24} {padding:<22} {count:4d}")
    for data_format, count in sorted(per_format.items()):
        print(f"  {data_format:<47} {count:4d}")
    print("  tags: " + ", ".join(f"{tag}={count}" for tag, count in sorted(per_tag.items())))


def main() -> int:
    if keras.backend.backend() != "jax":
        print(f"expected the jax backend, got {keras.backend.backend()}", file=sys.stderr)
        return 1
    build_cases()
    ids = [case["id"] for case in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    write(OUTPUT)
    summarise(OUTPUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
