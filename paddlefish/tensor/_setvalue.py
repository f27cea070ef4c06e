"""Paddle's ``set_value`` attributes for ``x[index] = v`` (shared by ``paddle.static.setitem``
and by recording ``x[index] = v`` inside ``jit.save``; NOTE [recorded setitem])."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["set_value_attrs"]

_INT_MAX = 2147483647
_INT_MIN = -2147483648


def set_value_attrs(shape: list[int], index) -> dict[str, Any]:
    """Paddle's ``set_value`` attributes for an index of ints, slices and ``...``."""
    items = list(index) if isinstance(index, tuple) else [index]
    n_specified = sum(1 for i in items if i is not Ellipsis)
    axes, starts, ends, steps, decrease = [], [], [], [], []
    axis = 0
    for item in items:
        if item is Ellipsis:
            axis += len(shape) - n_specified
            continue
        if isinstance(item, np.generic):  # Paddle 2.6 refuses numpy scalars (not arrays)
            raise IndexError(
                "Valid index accept int / bool / slice / ellipsis / list / Tuple / "
                f"Ndarray / Tensor, but received {item}."
            )
        if isinstance(item, bool) or not isinstance(item, (int, slice)):
            raise NotImplementedError(
                f"setitem in a program (static mode or jit.save): index {item!r} "
                f"({type(item).__name__}) is not supported here; index with ints, slices and '...', or use paddle.scatter / "
                "paddle.where for tensor and list indices"
            )
        if axis >= len(shape):
            raise IndexError(
                f"setitem in a program: too many indices ({index!r}) for a tensor "
                f"of rank {len(shape)}"
            )
        if isinstance(item, slice):
            if item.start is None and item.stop is None and item.step in (None, 1):
                axis += 1
                continue
            start, end, step = _slice_attrs(item, shape[axis])
            starts.append(start)
            ends.append(end)
            steps.append(step)
        else:
            i = int(item)
            starts.append(i)
            ends.append(_INT_MAX if i == -1 else i + 1)
            steps.append(1)
            decrease.append(axis)
        axes.append(axis)
        axis += 1
    return {"axes": axes, "starts": starts, "ends": ends, "steps": steps, "decrease_axes": decrease}


def _slice_attrs(item: slice, n: int) -> tuple[int, int, int]:
    """``(start, end, step)`` of one slice as set_value attributes; see NOTE [set_value slices]
    (paddlefish/ops/manipulation.py) for how Paddle's kernels read them.

    A positive step is written as Paddle's dy2static writes it (None -> 0 and INT32_MAX). A
    negative step on an axis of known size is written as Python's positions, with "through
    index 0" as INT32_MIN: Paddle 2.6 and 3.3 disagree on an end of -1 (2.6: through index 0,
    3.3: the last index) and on starts below -size, and this form means Python's slice in both
    and in paddlefish. On an axis of unknown size (-1) a negative step is written as Paddle 3.3
    writes it (None -> INT32_MAX and INT32_MIN). A slice that selects nothing becomes 0:0, which
    both read as empty (Paddle 2.6 raises for e.g. 5:2 instead).
    """
    step = 1 if item.step is None else int(item.step)
    if step == 0:
        raise ValueError("setitem in a program: slice step cannot be zero")
    if n >= 0 and len(range(*item.indices(n))) == 0:
        return 0, 0, step
    if step > 0:
        start = 0 if item.start is None else int(item.start)
        return start, _INT_MAX if item.stop is None else int(item.stop), step
    if n < 0:
        start = _INT_MAX if item.start is None else int(item.start)
        return start, _INT_MIN if item.stop is None else int(item.stop), step
    start, end, _ = item.indices(n)
    return start, (end if end >= 0 else _INT_MIN), step
