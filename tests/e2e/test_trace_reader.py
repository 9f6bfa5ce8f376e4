"""static/js/trace.js in Chromium: from a format 2 answer it gives back every field format 1 sent.

The expected frames are worked out here from the answer's input alone
(windows from the geometry, winners by argmax, outputs by the engine's
layers), not from the module under test.
"""
from __future__ import annotations

import json
import urllib.request

import numpy as np
import pytest

from pooling import average_pooling1d, max_pooling1d

READ = """async (answer) => {
  const t = await import("/static/js/trace.js");
  return {
    count: t.windowCount(answer),
    frames: t.allFrames(answer),
    rows: Array.from({ length: t.windowCount(answer) }, (_, i) => t.windowRows(answer, i)),
    padded: Array.from({ length: t.windowCount(answer) }, (_, i) => t.paddedRows(answer, i)),
    winners: Array.from({ length: t.windowCount(answer) }, (_, i) => t.winnersOf(answer, i)),
  };
}"""

CASES = [
    {"preset": "classic", "pool_size": 2, "strides": 1},
    {"preset": "negatives", "pool_size": 3, "strides": 2, "padding": "same"},
    {"preset": "negatives", "layer": "average", "pool_size": 4, "strides": 1, "padding": "same"},
    {"sentence": "the cat sat on the mat and looked at the dog", "features": 5, "pool_size": 5, "strides": 3, "padding": "same"},
    {"sentence": "the cat sat on the mat", "layer": "average", "pool_size": 2},
]


def post(base_url: str, body: dict) -> dict:
    request = urllib.request.Request(
        f"{base_url}/api/trace", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def format_1(answer: dict) -> list[dict]:
    """Every window as format 1 sent it, from ``x`` and the layer's settings."""
    x = np.asarray(answer["x"], np.float32)
    config, kind = answer["pooling"]["config"], answer["pooling"]["kind"]
    layer = max_pooling1d if kind == "max" else average_pooling1d
    output = layer(x[None], config["pool_size"], config["strides"], config["padding"])[0]
    steps, k, s = len(x), config["pool_size"], config["strides"]
    pad_left = max((len(output) - 1) * s + k - steps, 0) // 2 if config["padding"] == "same" else 0
    frames = []
    for i, values in enumerate(output):
        start = i * s - pad_left
        rows = [r for r in range(start, start + k) if 0 <= r < steps]
        frame = {
            "index": i, "start": start, "stop": start + k, "rows": rows,
            "padded": [r for r in range(start, start + k) if not 0 <= r < steps],
            "output": values.tolist(),
        }
        if kind == "max":
            frame["winners"] = [rows[int(np.argmax(x[rows, f]))] for f in range(x.shape[1])]
        else:
            frame["divisor"] = len(rows)
        frames.append(frame)
    return frames


@pytest.mark.parametrize("body", CASES, ids=[str(i) for i in range(len(CASES))])
def test_trace_js_gives_back_the_format_1_frames(page, base_url, body):
    answer = post(base_url, body)
    assert answer["format"] == 2
    page.goto(f"{base_url}/")
    read = page.evaluate(READ, answer)
    expected = format_1(answer)
    assert read["count"] == len(expected)
    for got, want in zip(read["frames"], expected):
        # JSON decimals of float32 outputs read back as the very float32 values.
        assert np.array_equal(np.float32(got.pop("output")), np.float32(want.pop("output")))
        assert got == want
    assert read["rows"] == [f["rows"] for f in expected]
    assert read["padded"] == [f["padded"] for f in expected]
    assert read["winners"] == [f.get("winners") for f in expected]
