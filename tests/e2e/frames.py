"""Format 1 frames from a format 2 trace answer, for tests that check captions and tables window by window.

Worked out from each frame's start and stop, the answer's steps and its
``pooling.output``, as the format defines them (webapp/schemas.py, Frame),
not through the page's own reader (static/js/trace.js, tested on its own
in test_trace_reader.py).
"""
from __future__ import annotations


def format_1_frames(trace: dict) -> list[dict]:
    """Each window with its rows, padded positions, output and winners (max) or divisor (average)."""
    pooling = trace["pooling"]
    steps = pooling["steps"]
    frames = []
    for frame, output in zip(pooling["frames"], pooling["output"]):
        start, stop = frame["start"], frame["stop"]
        rows = [r for r in range(start, stop) if 0 <= r < steps]
        whole = {**frame, "rows": rows, "padded": [r for r in range(start, stop) if not 0 <= r < steps], "output": output}
        offsets = whole.pop("winner_offsets", None)
        if offsets is None:
            whole["divisor"] = len(rows)
        else:
            whole["winners"] = [start + offset for offset in offsets]
        frames.append(whole)
    return frames
