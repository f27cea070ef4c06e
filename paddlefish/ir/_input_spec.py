"""``InputSpec``: the signature of one model input (``paddle.static.InputSpec``, Paddle 2.6)."""

from __future__ import annotations

import numpy as np

from .._core.dtypes import DType, convert_dtype

__all__ = ["InputSpec"]


def _normalize_shape(shape) -> tuple[int, ...]:
    if not isinstance(shape, (list, tuple)):
        raise TypeError(
            f"Type of `shape` in InputSpec should be one of (tuple, list), but received "
            f"{type(shape).__name__}."
        )
    out = []
    for i, d in enumerate(shape):
        if d is not None and (isinstance(d, bool) or not isinstance(d, (int, np.integer))):
            raise ValueError(
                f"shape[{i}] should be an `int`, but received `{type(d).__name__}`:{d}."
            )
        out.append(-1 if d is None or d < -1 else int(d))
    return tuple(out)


class InputSpec:
    """Shape (``None``/-1 = any size), dtype and name of a model input.

    >>> InputSpec([None, 784], 'float32', 'x')
    InputSpec(shape=(-1, 784), dtype=paddle.float32, name=x, stop_gradient=False)
    >>> InputSpec([64], name='x').batch(4).shape
    (4, 64)
    """

    def __init__(self, shape, dtype="float32", name: str | None = None, stop_gradient=False):
        self.shape = _normalize_shape(shape)
        self.dtype: DType | None = None if dtype is None else convert_dtype(dtype)
        self.name = name
        self.stop_gradient = stop_gradient

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(shape={self.shape}, dtype={self.dtype}, name={self.name}, "
            f"stop_gradient={self.stop_gradient})"
        )

    @classmethod
    def from_tensor(cls, tensor, name: str | None = None) -> InputSpec:
        """From any object with ``.shape`` and ``.dtype`` (and optionally ``.name``)."""
        if not (hasattr(tensor, "shape") and hasattr(tensor, "dtype")):
            raise ValueError(
                f"Input `tensor` should be a Tensor, but received {type(tensor).__name__}."
            )
        return cls(list(tensor.shape), tensor.dtype, name or getattr(tensor, "name", None))

    @classmethod
    def from_numpy(cls, ndarray: np.ndarray, name: str | None = None) -> InputSpec:
        """From a numpy array's shape and dtype.

        >>> InputSpec.from_numpy(np.ones((2, 2), 'float32'), 'x').shape
        (2, 2)
        """
        return cls(list(ndarray.shape), ndarray.dtype, name)

    def batch(self, batch_size) -> InputSpec:
        """Insert ``batch_size`` in front of ``shape`` (in place, returns self, as Paddle)."""
        if isinstance(batch_size, (list, tuple)):
            if len(batch_size) != 1:
                raise ValueError(
                    f"Length of batch_size: {batch_size} shall be 1, but received "
                    f"{len(batch_size)}."
                )
            batch_size = batch_size[0]
        elif not isinstance(batch_size, int):
            raise TypeError(
                f"type(batch_size) shall be `int`, but received {type(batch_size).__name__}."
            )
        self.shape = _normalize_shape([batch_size, *self.shape])
        return self

    def unbatch(self) -> InputSpec:
        """Remove the first dim of ``shape`` (in place, returns self)."""
        if len(self.shape) == 0:
            raise ValueError("Not support to unbatch a InputSpec when len(shape) == 0.")
        self.shape = self.shape[1:]
        return self

    def __hash__(self) -> int:
        # as Paddle: the name is not part of the hash (same signature -> same program)
        return hash((self.shape, self.dtype, self.stop_gradient))

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and all(
            getattr(self, a) == getattr(other, a)
            for a in ("shape", "dtype", "name", "stop_gradient")
        )

    def __ne__(self, other) -> bool:
        return not self == other
