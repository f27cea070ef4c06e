"""Paddle's ``set_value`` attributes for ``x[index] = v`` (shared by ``paddle.static.setitem``
and by recording ``x[index] = v`` inside ``jit.save``; NOTE [recorded setitem])."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["set_value_attrs"]

_INT_MAX = 2147483647


def set_value_attrs(shape: list[int], index) -> dict[str, Any]:
    """Paddle's ``set_value`` attributes for an index of ints, slices (step > 0), ``...``."""
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
                f"setitem in a program (static mode or jit.save): index {item!r} ({type(item).__name__}) is not "
                "supported here; index with ints, slices and '...', or use paddle.scatter / "
                "paddle.where for tensor and list indices"
            )
        if axis >= len(shape):
            raise IndexError(
                f"setitem in a program: too many indices ({index!r}) for a tensor "
                f"of rank {len(shape)}"
            )
        if isinstance(item, slice):
            step = 1 if item.step is None else int(item.step)
            if step <= 0:
                raise NotImplementedError(
                    f"setitem in a program: slice step {step} is not supported here (only "
                    "positive steps); flip the tensor with paddle.flip first"
                )
            if item.start is None and item.stop is None and step == 1:
                axis += 1
                continue
            starts.append(0 if item.start is None else int(item.start))
            ends.append(_INT_MAX if item.stop is None else int(item.stop))
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
