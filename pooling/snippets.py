"""Code that reproduces the screen: runnable Keras and PyTorch programs.

Each function returns the source of a short Python program that builds the
explainer's input (the exact float32 values, written as the shortest
decimals that read back as the same float32), applies the pooling layer and
its global twin, and prints one line per result: a label, a space, then
JSON::

    words ["the", "boy", "will", "live"]
    x [[[0.7, -0.2, 0.1], ...]]
    pooling [[[0.8, -0.2, 0.2], ...]]      # (1, out_steps, features)
    global [[0.8, -0.1, 0.8]]              # (1, features)

Both programs print the same layout (channels last, as Keras and the page
show it), so their output can be compared line by line with each other and
with ``POST /api/trace``.

The learner's words reach the program only through ``repr`` of a list of
``str``, which always gives a valid, inert Python literal (quotes,
backslashes, newlines and invisible characters come out escaped); nothing
else in the program comes from the learner except numbers.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from .layers import Geometry, resolve_geometry
from .traces import GLOBAL_NAMES, LAYER_NAMES, json_floats

__all__ = ["keras_snippet", "pytorch_snippet"]

# Shared by both programs, so that their output has one format.
_SHOW = '''

def show(label, values):
    # One line per result: a label, then the numbers as JSON. float32 -> str ->
    # float gives the shortest decimals that read back as the same float32.
    print(label, json.dumps(np.asarray(values, dtype=np.float32).astype(str).astype(float).tolist()))


print("words", json.dumps(words))
show("x", x)
show("pooling", y)
show("global", g)
'''


def _checked(
    x: ArrayLike,
    tokens: Sequence[str],
    layer: str,
    pool_size: int,
    strides: int | None,
    padding: str,
) -> tuple[list[list[float]], list[str], Geometry]:
    if layer not in LAYER_NAMES:
        raise ValueError(f'layer must be "max" or "average", got {layer!r}')
    try:
        array = np.asarray(x, dtype=np.float32)
    except (TypeError, ValueError):
        raise ValueError("x must be a (steps, features) array of numbers") from None
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(
            f"x must be 2-D (steps, features) with at least one step and one feature, "
            f"got shape {array.shape}"
        )
    if not np.isfinite(array).all():
        raise ValueError("x must hold finite float32 numbers (no NaN or infinity)")
    if isinstance(tokens, str) or not all(isinstance(t, str) for t in tokens):
        raise ValueError(f"tokens must be a list of str, got {tokens!r:.60}")
    words = list(tokens)
    if len(words) != array.shape[0]:
        raise ValueError(f"tokens has {len(words)} words but x has {array.shape[0]} rows; give one word per row")
    geometry = resolve_geometry(array.shape[0], pool_size, strides, padding)
    return json_floats(array), words, geometry


def _rows(values: list[list[float]], indent: str) -> str:
    # repr of a Python float is its shortest round-trip decimal, which
    # json_floats has already made the shortest for float32.
    return "\n".join(indent + "[" + ", ".join(repr(v) for v in row) + "]," for row in values)


def _call(geometry: Geometry, strides: int | None, layer: str) -> str:
    return (
        f"{LAYER_NAMES[layer]}(pool_size={geometry.pool_size}, strides={strides}, "
        f'padding="{geometry.padding}")'
    )


def _padding_note(geometry: Geometry) -> str:
    total = geometry.pad_left + geometry.pad_right
    return (
        f'padding="same" pads {total} position{"s" if total != 1 else ""}, the smaller half on '
        f"the left: {geometry.pad_left} before, {geometry.pad_right} after"
    )


def keras_snippet(
    x: ArrayLike,
    tokens: Sequence[str],
    layer: str = "max",
    pool_size: int = 2,
    strides: int | None = None,
    padding: str = "valid",
) -> str:
    """A runnable Keras 3 program that prints what the explainer shows.

    Parameters
    ----------
    x : array_like
        (steps, features), one row per word; finite, stored as float32.
    tokens : sequence of str
        One word per row of ``x``.
    layer : {"max", "average"}
        ``MaxPooling1D`` and ``GlobalMaxPooling1D``, or the average twins.
    pool_size, strides, padding
        As for :func:`pooling.max_pooling1d` (``strides=None`` means
        ``pool_size``).

    Returns
    -------
    str
        Python source. It prints the lines ``words``, ``x``, ``pooling``
        and ``global``, each a label, a space and JSON.

    Raises
    ------
    ValueError
        Naming the argument: ``layer``, ``x``, ``tokens``, ``pool_size``,
        ``strides`` or ``padding``.

    Examples
    --------
    >>> code = keras_snippet([[.7, -.2], [.8, -.3]], ["the", "boy"], "max", 2)
    >>> print(code[code.index("words ="):code.index("pooling =")].strip())
    words = ['the', 'boy']
    # One row per word, one column per feature, in a batch of one:
    # (1, steps, features), Keras' default data_format="channels_last".
    x = np.array([[
        [0.7, -0.2],
        [0.8, -0.3],
    ]], dtype=np.float32)
    >>> print(code[code.index("pooling ="):].splitlines()[0])
    pooling = keras.layers.MaxPooling1D(pool_size=2, strides=None, padding="valid")
    """
    values, words, geometry = _checked(x, tokens, layer, pool_size, strides, padding)
    steps, features = len(values), len(values[0])
    call = _call(geometry, strides, layer)
    global_name = GLOBAL_NAMES[layer]
    backend_note = ""
    if layer == "average" and geometry.padding == "same":
        backend_note = (
            "\nOn the torch backend, Keras' AveragePooling1D(padding=\"same\") can differ\n"
            "when the padding is odd; JAX and TensorFlow give the explainer's numbers.\n"
        )
    return f'''"""{call} and {global_name}()
on {steps} word{"s" if steps != 1 else ""} x {features} feature{"s" if features != 1 else ""}: the numbers of the 1-D pooling explainer, in Keras 3.

Needs keras and a backend, e.g.: pip install keras jax && KERAS_BACKEND=jax python this_file.py
{backend_note}"""
import json

import keras
import numpy as np

words = {words!r}
# One row per word, one column per feature, in a batch of one:
# (1, steps, features), Keras' default data_format="channels_last".
x = np.array([[
{_rows(values, "    ")}
]], dtype=np.float32)

pooling = keras.layers.{call}
global_pooling = keras.layers.{global_name}()
y = keras.ops.convert_to_numpy(pooling(x))  # (1, {geometry.out_steps}, {features})
g = keras.ops.convert_to_numpy(global_pooling(x))  # (1, {features})
{_SHOW}'''


def _torch_pooling(layer: str, geometry: Geometry) -> str:
    k, s = geometry.pool_size, geometry.strides
    function = "max_pool1d" if layer == "max" else "avg_pool1d"
    total = geometry.pad_left + geometry.pad_right
    if geometry.padding == "valid":
        return (
            '# padding="valid": only windows that fit, as F.' + function + " does by default.\n"
            f"y = F.{function}(xc, kernel_size={k}, stride={s})"
        )
    if total == 0:
        return (
            f'# padding="same" needs no padding here: ceil({geometry.steps} / {s}) = '
            f"{geometry.out_steps} windows already fit.\n"
            f"y = F.{function}(xc, kernel_size={k}, stride={s})"
        )
    pads = f"({geometry.pad_left}, {geometry.pad_right})"
    if layer == "max":
        return (
            f"# Keras' {_padding_note(geometry)}.\n"
            "# F.max_pool1d has no such option (its padding is the same on both sides and at\n"
            "# most half the window), so pad explicitly, with -inf: a padded cell never wins.\n"
            f'xp = F.pad(xc, {pads}, value=float("-inf"))\n'
            f"y = F.max_pool1d(xp, kernel_size={k}, stride={s})"
        )
    return (
        f"# Keras' {_padding_note(geometry)},\n"
        "# and divides each window's sum by its number of real cells, never by pool_size.\n"
        "# F.avg_pool1d has no such option (its padding is the same on both sides), so pad\n"
        "# explicitly with zeros, which add nothing to a sum, and divide by the share of real\n"
        "# cells in each window, pooled the same way from a mask of ones:\n"
        "# (sum / pool_size) / (real cells / pool_size) = sum / real cells.\n"
        f"xp = F.pad(xc, {pads})\n"
        f"real = F.pad(torch.ones_like(xc[:, :1]), {pads})\n"
        f"y = F.avg_pool1d(xp, kernel_size={k}, stride={s}) / F.avg_pool1d(real, kernel_size={k}, stride={s})"
    )


def pytorch_snippet(
    x: ArrayLike,
    tokens: Sequence[str],
    layer: str = "max",
    pool_size: int = 2,
    strides: int | None = None,
    padding: str = "valid",
) -> str:
    """A runnable PyTorch program giving the numbers of the Keras layers.

    PyTorch pools channels first, ``(batch, features, steps)``; the program
    transposes in and out, so it prints the same layout as
    :func:`keras_snippet`. Keras' ``padding="same"`` has no PyTorch
    argument (PyTorch pads symmetrically, Keras puts the smaller half on the
    left) and its average divides by the real cells only, so under
    ``"same"`` the program pads explicitly and says why in a comment.

    Parameters
    ----------
    x, tokens, layer, pool_size, strides, padding
        As for :func:`keras_snippet`.

    Returns
    -------
    str
        Python source printing ``words``, ``x``, ``pooling`` and ``global``.

    Raises
    ------
    ValueError
        Naming the argument, as :func:`keras_snippet` does.

    Examples
    --------
    >>> code = pytorch_snippet([[.7], [.8], [.2]], ["a", "b", "c"], "max", 2, 2, "same")
    >>> print(code[code.index("xp ="):code.index("y = y")].strip())
    xp = F.pad(xc, (0, 1), value=float("-inf"))
    y = F.max_pool1d(xp, kernel_size=2, stride=2)
    """
    values, words, geometry = _checked(x, tokens, layer, pool_size, strides, padding)
    steps, features = len(values), len(values[0])
    call = _call(geometry, strides, layer)
    global_name = GLOBAL_NAMES[layer]
    global_line = (
        "g = xc.amax(dim=2)  # the largest value of each feature over all steps: (1, features)"
        if layer == "max"
        else "g = xc.mean(dim=2)  # the mean of each feature over all steps: (1, features)"
    )
    return f'''"""PyTorch giving the numbers of Keras' {call}
and {global_name}() on {steps} word{"s" if steps != 1 else ""} x {features} feature{"s" if features != 1 else ""}, as the 1-D pooling explainer shows them.

Needs torch and numpy: pip install torch numpy && python this_file.py
"""
import json

import numpy as np
import torch
import torch.nn.functional as F

words = {words!r}
# One row per word, one column per feature, in a batch of one:
# (1, steps, features), the layout of Keras (data_format="channels_last").
x = torch.tensor([[
{_rows(values, "    ")}
]], dtype=torch.float32)

# PyTorch pools along the last axis, so features go first: (1, features, steps).
xc = x.transpose(1, 2)
{_torch_pooling(layer, geometry)}
y = y.transpose(1, 2)  # back to Keras' layout: (1, {geometry.out_steps}, {features})
{global_line}
{_SHOW}'''

