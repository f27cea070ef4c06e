"""Small helpers shared by the optimizer modules (float32 scalars as Paddle's kernels use)."""

from __future__ import annotations

import numpy as np

from ..eager.tensor import Tensor

F32 = np.float32


def scalar(value) -> float:
    """A hyperparameter given as float or Tensor, as a float32 value."""
    if isinstance(value, Tensor):
        return F32(value.item())
    return F32(value)


def is_tensor(value) -> bool:
    return isinstance(value, Tensor)
