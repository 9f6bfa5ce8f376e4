"""The questions learners ask next (issue 15): the numbers of the sections after the text CNN.

* **Flatten or global pooling before Dense**: the classic question's two
  models with ``Flatten()`` in place of the layer that makes one vector,
  and the error Keras gives when a Flatten model meets a longer sentence;
* **global max, global average, or both**: the two vectors and their
  concatenation, shape ``(1, 2 * features)``;
* **which word won**: the first row holding each feature's maximum (what
  ``keras.ops.argmax(x, axis=1)`` and ``torch.argmax(x, dim=1)`` report) and
  every row tied with it;
* **return_sequences=True before pooling**: the shapes, and the error
  ``GlobalMaxPooling1D`` gives on an LSTM's last output alone;
* **data_format**: which axis is pooled, channels last and channels first;
* **masking in a real pipeline**: the sentence padded at the end with zero
  rows, pooled by ``GlobalMaxPooling1D`` (which ignores a mask) and by a
  masked max (:func:`pooling.masked_global_max_pooling1d`).

Each question also has a short program (Keras 3, or PyTorch) that prints
what the section shows; ``tests/claims/test_sections.py`` runs them. The
error texts are Keras 3.15.1's own words, captured by those tests.

The learner's words reach a program only through ``repr`` of a list of
``str``; everything else in it is numbers.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .batch import BatchTrace
from .i18n import Messages, messages
from .layers import global_average_pooling1d, global_max_pooling1d, resolve_geometry
from .models import LayerRow, ModelSummary, _dense, _lstm
from .traces import json_floats

__all__ = [
    "FLATTEN_MODELS",
    "LSTM_UNITS",
    "MASK_PADDING",
    "NDIM_ERROR",
    "VARIABLE_FLATTEN_ERROR",
    "argmax_snippets",
    "concat_snippet",
    "data_format_snippets",
    "flatten_error",
    "flatten_snippet",
    "flatten_summary",
    "global_views",
    "masking_snippet",
    "masking_views",
    "return_sequences_shapes",
    "return_sequences_snippet",
]

FLATTEN_MODELS = ("windowed_flatten", "global_flatten")
LSTM_UNITS = 16
# How many zero rows the masking section puts after the sentence's words.
MASK_PADDING = 2

# Keras 3.15.1's words, as tests/claims/test_sections.py captures them.
_DENSE_AXIS_ERROR = (
    "Input 0 with name 'None' of layer 'dense' is incompatible with the layer: expected axis -1 "
    "of input shape to have value {expected}, but received input with shape (1, {received})"
)
VARIABLE_FLATTEN_ERROR = (
    "Shapes used to initialize variables must be fully-defined (no `None` dimensions). "
    "Received: shape=(None, 1) for variable path='dense/kernel'"
)
NDIM_ERROR = (
    "Input 0 with name 'None' of layer 'global_max_pooling1d' is incompatible with the layer: "
    "expected ndim=3, found ndim=2. Full shape received: (None, {units})"
)


def _positive(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def flatten_summary(
    model: str = "global_flatten", steps: int = 6, features: int = 10, language: Messages | None = None
) -> ModelSummary:
    """``model.summary()`` of a classic-question model with ``Flatten()`` making the vector.

    Parameters
    ----------
    model : {"windowed_flatten", "global_flatten"}
        ``windowed_flatten``: ``LSTM(16, return_sequences=True)``,
        ``MaxPooling1D(pool_size=2, strides=1)``, ``Flatten()``, ``Dense(1)``
        (Flatten where the first model has its second LSTM);
        ``global_flatten``: ``LSTM(16, return_sequences=True)``, ``Flatten()``,
        ``Dense(1)`` (Flatten where the second model has ``GlobalMaxPooling1D``).
    steps, features : int
        The input shape; ``windowed_flatten`` needs at least 2 steps.
    language : Messages, optional
        The language of the rows' notes ("no weights"); English by default.

    Returns
    -------
    ModelSummary
        The Flatten row has ``pooling=False``; its formula says how many
        values it lays side by side.

    Raises
    ------
    ValueError
        If ``model`` is unknown, ``steps`` or ``features`` is not a positive
        integer, or ``steps`` is 1 for ``windowed_flatten``.

    Examples
    --------
    >>> [m.total_params for m in (flatten_summary("windowed_flatten"), flatten_summary("global_flatten"))]
    [1809, 1825]
    >>> [r.output_shape for r in flatten_summary("global_flatten", 4, 3).rows]
    [(None, 4, 16), (None, 64), (None, 1)]
    """
    if model not in FLATTEN_MODELS:
        raise ValueError(f'model must be "windowed_flatten" or "global_flatten", got {model!r}')
    steps = _positive("steps", steps)
    features = _positive("features", features)
    units = LSTM_UNITS
    words = language or messages()
    rows: list[LayerRow] = [_lstm(units, features, (None, steps, units), f"LSTM({units}, return_sequences=True)")]
    length = steps
    if model == "windowed_flatten":
        if steps < 2:
            raise ValueError(
                f"steps must be at least 2 for MaxPooling1D(pool_size=2, strides=1) with "
                f'padding="valid", got {steps}'
            )
        length = resolve_geometry(steps, 2, 1, "valid").out_steps
        rows.append(
            LayerRow(
                "MaxPooling1D",
                "MaxPooling1D(pool_size=2, strides=1)",
                (None, length, units),
                0,
                words.t("sections.summary.no_weights"),
                True,
            )
        )
    size = length * units
    # The numbers as code writes them (1600, not 1,600).
    values = words.t("sections.summary.flatten_values", length=str(length), units=str(units), size=str(size))
    rows.append(LayerRow("Flatten", "Flatten()", (None, size), 0, values, False))
    rows.append(_dense(1, size))
    return ModelSummary(model, (None, steps, features), tuple(rows))


def flatten_error(steps: int, received_steps: int, units: int = LSTM_UNITS) -> str:
    """What Keras says when a ``global_flatten`` model built for ``steps`` predicts on ``received_steps``.

    ``Dense`` was built for ``steps * units`` inputs and receives
    ``received_steps * units``.

    >>> flatten_error(6, 7).split(": ")[1]
    'expected axis -1 of input shape to have value 96, but received input with shape (1, 112)'
    """
    steps = _positive("steps", steps)
    received_steps = _positive("received_steps", received_steps)
    if received_steps == steps:
        raise ValueError(f"received_steps must differ from steps ({steps}) for an error, got {received_steps}")
    return _DENSE_AXIS_ERROR.format(expected=steps * units, received=received_steps * units)


def return_sequences_shapes(steps: int, features: int, units: int = LSTM_UNITS) -> dict[str, Any]:
    """Output shapes of ``LSTM(units)`` with and without ``return_sequences``, then global pooling.

    Returns the batch-of-one shapes as lists, and the error text for the
    pooling layer on the 2-D output (with ``None`` for the batch axis, as
    ``keras.Input`` gives).

    >>> s = return_sequences_shapes(4, 3)
    >>> s["input"], s["last"], s["sequence"], s["pooled"]
    ([1, 4, 3], [1, 16], [1, 4, 16], [1, 16])
    """
    steps = _positive("steps", steps)
    features = _positive("features", features)
    units = _positive("units", units)
    return {
        "units": units,
        "input": [1, steps, features],
        "last": [1, units],
        "sequence": [1, steps, units],
        "pooled": [1, units],
        "error": NDIM_ERROR.format(units=units),
    }


def _sequence(x: ArrayLike) -> NDArray[np.float32]:
    array = np.asarray(x, dtype=np.float32)
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(
            f"x must be 2-D (steps, features) with at least one step and one feature, got shape {array.shape}"
        )
    return array


def global_views(x: ArrayLike) -> dict[str, Any]:
    """Global max, global average and both side by side, and who won each feature.

    Parameters
    ----------
    x : array_like
        (steps, features), one row per word.

    Returns
    -------
    dict
        ``max``, ``average`` (features,); ``concat`` (2 * features,), max
        first, as ``Concatenate()([max, average])``; ``concat_shape``
        ``[1, 2 * features]``; ``argmax``: the first row holding each
        feature's maximum; ``ties``: every row holding it, per feature;
        ``channels_first``: x transposed, (features, steps); ``per_step``: the
        max over the features of each row, what
        ``GlobalMaxPooling1D(data_format="channels_first")`` gives on
        channels-last data. NaN counts as the maximum, as in
        :func:`pooling.global_max_pooling1d`.

    Examples
    --------
    >>> v = global_views([[1., 0.], [1., 2.], [1., 2.]])
    >>> v["max"], v["average"], v["argmax"], v["ties"]
    ([1.0, 2.0], [1.0, 1.3333334], [0, 1], [[0, 1, 2], [1, 2]])
    >>> v["concat_shape"], v["per_step"]
    ([1, 4], [1.0, 2.0, 2.0])
    """
    array = _sequence(x)
    batch = array[None]
    top = global_max_pooling1d(batch)[0]
    mean = global_average_pooling1d(batch)[0]
    with np.errstate(invalid="ignore"):
        # A NaN is the maximum of its feature (jnp.max propagates it); equal_nan makes it win.
        holds = np.isclose(array, top[None, :], rtol=0, atol=0, equal_nan=True)
    argmax = holds.argmax(axis=0)
    per_step = global_max_pooling1d(batch, data_format="channels_first")[0]
    return {
        "max": json_floats(top),
        "average": json_floats(mean),
        "concat": json_floats(np.concatenate([top, mean])),
        "concat_shape": [1, 2 * array.shape[1]],
        "argmax": argmax.tolist(),
        "ties": [np.flatnonzero(holds[:, f]).tolist() for f in range(array.shape[1])],
        "channels_first": json_floats(array.T),
        "per_step": json_floats(per_step),
    }


def masking_views(x: ArrayLike, padding: int = MASK_PADDING) -> dict[str, Any]:
    """The sentence padded at the end with zero rows, pooled without and with its mask.

    What ``keras.utils.pad_sequences(..., padding="post")`` makes of one
    sentence of vectors, traced by :class:`pooling.batch.BatchTrace` (the
    padding pitfall's trace) as a batch of one.

    Parameters
    ----------
    x : array_like
        (steps, features), one row per word.
    padding : int
        How many zero rows follow the words.

    Returns
    -------
    dict
        ``padding``; ``padded_shape`` ``[1, steps + padding, features]``;
        ``x`` the padded rows; ``mask`` (steps + padding,), True on words;
        ``global_max``: ``GlobalMaxPooling1D``'s output (features,), which
        ignores the mask, its first winning row per feature and whether
        padding won it (``padding_won``); ``masked_max``: the max over the
        words only, and its winners; ``masked_average``:
        ``GlobalAveragePooling1D`` with the mask.

    Raises
    ------
    ValueError
        If ``x`` is not 2-D with a step and a feature, or ``padding`` is not
        a positive integer.

    Examples
    --------
    >>> v = masking_views([[-1., 2.], [-3., 1.]])
    >>> v["padded_shape"], v["mask"]
    ([1, 4, 2], [True, True, False, False])
    >>> v["global_max"]["output"], v["global_max"]["padding_won"], v["masked_max"]["output"]
    ([0.0, 2.0], [True, False], [-1.0, 2.0])
    """
    array = _sequence(x)
    padding = _positive("padding", padding)
    steps, features = array.shape
    padded = np.concatenate([array, np.zeros((padding, features), np.float32)])
    mask = np.arange(steps + padding) < steps
    trace = BatchTrace(padded[None], mask[None]).to_dict()
    first = lambda body: {key: value[0] for key, value in body.items() if key != "call"}  # noqa: E731
    return {
        "padding": padding,
        "padded_shape": [1, steps + padding, features],
        "x": json_floats(padded),
        "mask": mask.tolist(),
        "global_max": first(trace["global_max"]),
        "masked_max": first(trace["masked_max"]),
        "masked_average": trace["masked_average"]["output"][0],
    }


# ---------------------------------------------------------------- programs

def _program(prints: str, code: str) -> dict[str, str]:
    return {"code": code, "prints": prints}


def _json(values: Any) -> str:
    # What the programs' show() prints: json.dumps of the float32 values' shortest decimals.
    return json.dumps(values)


def _x_literal(x: NDArray[np.float32]) -> str:
    rows = "\n".join("    [" + ", ".join(repr(v) for v in row) + "]," for row in json_floats(x))
    return f"x = np.array([[\n{rows}\n]], dtype=np.float32)"


_SHOW = '''

def show(label, values):
    # A label, then the numbers as JSON (float32 -> shortest decimals).
    print(label, json.dumps(np.asarray(values, dtype=np.float32).astype(str).astype(float).tolist()))
'''


def _head(doc: str, torch: bool = False) -> str:
    if torch:
        return f'"""{doc}\n\nNeeds torch: pip install torch\n"""\nimport json\n\nimport numpy as np\nimport torch\n'
    return (
        f'"""{doc}\n\nNeeds keras and a backend, e.g.: pip install keras jax && KERAS_BACKEND=jax python this_file.py\n"""\n'
        "import json\n\nimport keras\nimport numpy as np\nfrom keras import layers\n"
    )


def flatten_snippet(steps: int, features: int, received_steps: int) -> dict[str, str]:
    """A Keras program: a Flatten model built for ``steps`` words predicts on ``received_steps``.

    Returns ``{"code", "prints"}``: the program, and what it prints (the
    model's parameter count, then Keras' error).

    >>> print(flatten_snippet(4, 3, 5)["prints"].splitlines()[0])
    params 1345
    """
    steps, features = _positive("steps", steps), _positive("features", features)
    received_steps = _positive("received_steps", received_steps)
    units = LSTM_UNITS
    params = flatten_summary("global_flatten", steps, features).total_params
    prints = f"params {params}\n{flatten_error(steps, received_steps)}\n"
    return _program(prints, _head(f"Flatten needs a fixed length: built for {steps} words, given {received_steps}.") + f'''
inputs = keras.Input(shape=({steps}, {features}))  # {steps} words, {features} features each
h = layers.LSTM({units}, return_sequences=True)(inputs)  # ({steps}, {units})
h = layers.Flatten()(h)  # {steps} x {units} = {steps * units} values
outputs = layers.Dense(1)(h)  # {steps * units} weights + 1 bias
model = keras.Model(inputs, outputs)
print("params", model.count_params())

longer = np.zeros((1, {received_steps}, {features}), dtype=np.float32)  # a sentence of {received_steps} words
try:
    model.predict(longer, verbose=0)
except ValueError as error:
    print(error)
''')


def concat_snippet(x: ArrayLike, tokens: Sequence[str]) -> dict[str, str]:
    """A Keras program printing global max, global average and both concatenated.

    >>> print(concat_snippet([[1., 0.], [1., 2.]], ["a", "b"])["prints"])
    shape [1, 4]
    max [[1.0, 2.0]]
    average [[1.0, 1.0]]
    both [[1.0, 2.0, 1.0, 1.0]]
    <BLANKLINE>
    """
    array = _sequence(x)
    views = global_views(array)
    prints = (
        f"shape {views['concat_shape']}\nmax {_json([views['max']])}\naverage {_json([views['average']])}\n"
        f"both {_json([views['concat']])}\n"
    )
    return _program(prints, 
        _head("Global max, global average, or both side by side.")
        + _SHOW
        + f"""
words = {list(tokens)!r}
{_x_literal(array)}

top = layers.GlobalMaxPooling1D()(x)  # (1, {array.shape[1]})
mean = layers.GlobalAveragePooling1D()(x)  # (1, {array.shape[1]})
both = layers.Concatenate()([top, mean])  # (1, {2 * array.shape[1]})
print("shape", list(both.shape))
show("max", top)
show("average", mean)
show("both", both)
""")


def argmax_snippets(x: ArrayLike, tokens: Sequence[str]) -> dict[str, dict[str, str]]:
    """Keras and PyTorch programs printing the winning row and word of each feature.

    Both report the first of tied rows (tests/claims/test_sections.py).

    >>> programs = argmax_snippets([[1., 0.], [1., 2.]], ["a", "b"])
    >>> print(programs["pytorch"]["prints"])
    rows [0, 1]
    indices [0, 1]
    words ["a", "b"]
    <BLANKLINE>
    >>> [line for line in programs["keras"]["code"].splitlines() if line.startswith("rows = keras")][0]
    'rows = keras.ops.argmax(x, axis=1)  # (1, 2): one row number per feature'
    """
    array = _sequence(x)
    features = array.shape[1]
    words = f"words = {list(tokens)!r}\n{_x_literal(array)}\n"
    keras_code = _head("Which word won each feature of GlobalMaxPooling1D? keras.ops.argmax over the steps.") + (
        f"\n{words}\n"
        f"rows = keras.ops.argmax(x, axis=1)  # (1, {features}): one row number per feature\n"
        "rows = keras.ops.convert_to_numpy(rows)[0].tolist()\n"
        'print("rows", json.dumps(rows))\n'
        'print("words", json.dumps([words[r] for r in rows]))\n'
    )
    torch_code = _head("Which word won each feature? torch.argmax, or the indices of max, over dim 1.", torch=True) + (
        f"\n{words}"
        "x = torch.from_numpy(x)\n\n"
        f"rows = torch.argmax(x, dim=1)[0].tolist()  # one row number per feature\n"
        "values, indices = x.max(dim=1)  # the maxima and where they are\n"
        'print("rows", json.dumps(rows))\n'
        'print("indices", json.dumps(indices[0].tolist()))\n'
        'print("words", json.dumps([words[r] for r in rows]))\n'
    )
    rows = global_views(array)["argmax"]
    won = _json([list(tokens)[r] for r in rows])
    return {
        "keras": _program(f"rows {_json(rows)}\nwords {won}\n", keras_code),
        "pytorch": _program(f"rows {_json(rows)}\nindices {_json(rows)}\nwords {won}\n", torch_code),
    }


def return_sequences_snippet(steps: int, features: int) -> dict[str, str]:
    """A Keras program: GlobalMaxPooling1D after LSTM(16) fails; with return_sequences=True it works.

    >>> print(return_sequences_snippet(4, 3)["prints"].splitlines()[-1])
    GlobalMaxPooling1D() (None, 16)
    """
    steps, features = _positive("steps", steps), _positive("features", features)
    units = LSTM_UNITS
    prints = (
        f"LSTM({units}) (None, {units})\n{NDIM_ERROR.format(units=units)}\n"
        f"LSTM({units}, return_sequences=True) (None, {steps}, {units})\nGlobalMaxPooling1D() (None, {units})\n"
    )
    return _program(prints, _head("GlobalMaxPooling1D needs a sequence: LSTM(return_sequences=True) before it.") + f'''
inputs = keras.Input(shape=({steps}, {features}))  # {steps} words, {features} features each

last = layers.LSTM({units})(inputs)  # the last step's output only
print("LSTM({units})", last.shape)
try:
    layers.GlobalMaxPooling1D()(last)
except ValueError as error:
    print(error)

sequence = layers.LSTM({units}, return_sequences=True)(inputs)  # one output per word
print("LSTM({units}, return_sequences=True)", sequence.shape)
print("GlobalMaxPooling1D()", layers.GlobalMaxPooling1D()(sequence).shape)
''')


def data_format_snippets(x: ArrayLike, tokens: Sequence[str]) -> dict[str, dict[str, str]]:
    """Keras and PyTorch programs pooling over the steps in both layouts.

    >>> programs = data_format_snippets([[1., 0.], [1., 2.]], ["a", "b"])
    >>> print(programs["keras"]["prints"])
    channels_last [[1.0, 2.0]]
    channels_first [[1.0, 2.0]]
    wrong_axis [[1.0, 2.0]]
    <BLANKLINE>
    >>> [line for line in programs["pytorch"]["code"].splitlines() if line.startswith("xc =")][0]
    'xc = torch.from_numpy(x).permute(0, 2, 1)  # (N, C, L) = (1, 2, 2)'
    """
    array = _sequence(x)
    steps, features = array.shape
    words = f"words = {list(tokens)!r}\n{_x_literal(array)}  # (1, steps, features) = (1, {steps}, {features})\n"
    keras_code = _head("data_format: which axis GlobalMaxPooling1D pools.") + _SHOW + (
        f"\n{words}\n"
        "# channels_last (the default): (batch, steps, features), pooled over the steps.\n"
        'show("channels_last", layers.GlobalMaxPooling1D()(x))\n'
        f"# The same numbers stored (batch, features, steps) = (1, {features}, {steps}).\n"
        "xt = np.transpose(x, (0, 2, 1))\n"
        'show("channels_first", layers.GlobalMaxPooling1D(data_format="channels_first")(xt))\n'
        "# The mistake: channels_first on channels_last data pools over the features,\n"
        "# one number per word.\n"
        'show("wrong_axis", layers.GlobalMaxPooling1D(data_format="channels_first")(x))\n'
    )
    torch_code = _head("PyTorch's 1-D layers read (N, C, L): permute the channels in front of the steps.", torch=True) + _SHOW + (
        f"\n{words}"
        f"xc = torch.from_numpy(x).permute(0, 2, 1)  # (N, C, L) = (1, {features}, {steps})\n"
        'show("amax", torch.amax(xc, dim=2))\n'
        'show("adaptive", torch.nn.AdaptiveMaxPool1d(1)(xc).squeeze(-1))\n'
    )
    views = global_views(array)
    top, wrong = _json([views["max"]]), _json([views["per_step"]])
    return {
        "keras": _program(f"channels_last {top}\nchannels_first {top}\nwrong_axis {wrong}\n", keras_code),
        "pytorch": _program(f"amax {top}\nadaptive {top}\n", torch_code),
    }


def masking_snippet(x: ArrayLike, tokens: Sequence[str], padding: int = MASK_PADDING) -> dict[str, str]:
    """A Keras program: the sentence padded after its words, pooled without and with the mask.

    The mask comes from word ids padded by ``pad_sequences(padding="post")``
    through ``Embedding(mask_zero=True)``; the vectors are the sentence's.

    >>> print(masking_snippet([[-1., 2.], [-3., 1.]], ["a", "b"])["prints"])
    ids [[1, 2, 0, 0]]
    mask [[true, true, false, false]]
    GlobalMaxPooling1D [[0.0, 2.0]]
    masked_max [[-1.0, 2.0]]
    masked_average [[-2.0, 1.5]]
    <BLANKLINE>
    """
    array = _sequence(x)
    padding = _positive("padding", padding)
    steps, features = array.shape
    length = steps + padding
    views = masking_views(array, padding)
    prints = (
        f"ids {_json([list(range(1, steps + 1)) + [0] * padding])}\nmask {_json([views['mask']])}\n"
        f"GlobalMaxPooling1D {_json([views['global_max']['output']])}\n"
        f"masked_max {_json([views['masked_max']['output']])}\n"
        f"masked_average {_json([views['masked_average']])}\n"
    )
    return _program(prints, _head("Masking: padding after the words, and a max that only looks at the words.") + _SHOW + f"""
words = {list(tokens)!r}
{_x_literal(array)}  # (1, steps, features) = (1, {steps}, {features})

# Word ids 1..{steps}, padded with id 0 to {length} steps. pad_sequences pads at the
# start unless told padding="post".
ids = keras.utils.pad_sequences([list(range(1, {steps + 1}))], maxlen={length}, padding="post")
print("ids", json.dumps(ids.tolist()))
# Embedding(mask_zero=True) makes the mask: True on every id but 0.
mask = layers.Embedding({steps + 1}, {features}, mask_zero=True).compute_mask(ids)
print("mask", json.dumps(keras.ops.convert_to_numpy(mask).tolist()))

# The sentence's own vectors, padded the same way with zero vectors.
padded = keras.utils.pad_sequences(x, maxlen={length}, dtype="float32", padding="post")
show("GlobalMaxPooling1D", layers.GlobalMaxPooling1D()(padded))  # takes no mask: padding counts

# A masked max: padded steps become -inf, so they never win.
masked = keras.ops.where(mask[..., None], padded, -np.inf)
show("masked_max", keras.ops.max(masked, axis=1))
show("masked_average", layers.GlobalAveragePooling1D()(padded, mask=mask))
""")
