"""Batch collation (Paddle's ``default_collate_fn``/``default_convert_fn``) and the conversion of
batches for the trip from a worker process to the main process.

NOTE [batch transport]: collation runs inside the worker; its result may hold numpy arrays and
paddlefish Tensors. ``to_transport`` turns every array-like leaf into a plain ``torch.Tensor``
(which torch's worker queues move through shared memory) and every sequence into a list, as
Paddle's ``_flatten_batch``/``_restore_batch`` round trip does (tuples come out as lists).
``from_transport`` wraps the torch tensors as paddlefish Tensors in the main process. Numbers,
strings and other leaves pass through unchanged.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import torch

from ..eager import Tensor, numpy_to_torch, wrap
from ..tensor import stack

__all__ = ["default_collate_fn", "default_convert_fn"]


def default_collate_fn(batch: Sequence[Any]) -> Any:
    """Stack a list of samples field by field, as Paddle does: numpy arrays -> one stacked array,
    numbers -> ``np.array`` (ints -> int64, floats -> float64), Tensors -> ``paddle.stack``,
    strings -> the list, dicts key by key, sequences field by field (as a list).

    >>> import numpy as np
    >>> from paddlefish.io import default_collate_fn
    >>> out = default_collate_fn([(np.zeros(2, "float32"), 1), (np.ones(2, "float32"), 2)])
    >>> out[0].shape, out[1].dtype
    ((2, 2), dtype('int64'))
    """
    sample = batch[0]
    if isinstance(sample, np.ndarray):
        return np.stack(batch, axis=0)
    if isinstance(sample, Tensor):
        return stack(list(batch), axis=0)
    if isinstance(sample, numbers.Number):
        return np.array(batch)
    if isinstance(sample, (str, bytes)):
        return batch
    if isinstance(sample, Mapping):
        return {key: default_collate_fn([d[key] for d in batch]) for key in sample}
    if isinstance(sample, Sequence):
        n = len(sample)
        if not all(len(s) == n for s in batch):
            raise RuntimeError(
                "default_collate_fn: fields number not same among samples in a batch: "
                f"{[len(s) for s in batch]}; make every sample have the same fields or pass a "
                "custom collate_fn."
            )
        return [default_collate_fn(list(fields)) for fields in zip(*batch)]
    raise TypeError(
        "default_collate_fn: batch data can only contain Tensor, numpy.ndarray, dict, list, "
        f"number or str, but got {type(sample).__name__}; pass a custom collate_fn."
    )


def default_convert_fn(batch: Any) -> Any:
    """The collate function used when automatic batching is off (``batch_size=None``): one
    sample passes through, with sequences turned into lists.

    >>> from paddlefish.io import default_convert_fn
    >>> default_convert_fn((1, "a"))
    [1, 'a']
    """
    if isinstance(batch, (Tensor, np.ndarray, str, bytes)):
        return batch
    if isinstance(batch, Mapping):
        return {k: default_convert_fn(v) for k, v in batch.items()}
    if isinstance(batch, Sequence):
        return [default_convert_fn(d) for d in batch]
    return batch


def to_transport(batch: Any) -> Any:
    """Worker side of NOTE [batch transport]."""
    if isinstance(batch, Tensor):
        return batch._t.detach()
    if isinstance(batch, np.ndarray):
        if batch.dtype.kind in "OUSV":  # no tensor form; Paddle keeps such leaves as they are
            return batch
        return numpy_to_torch(np.ascontiguousarray(batch))
    if isinstance(batch, torch.Tensor):
        return batch.detach()
    if isinstance(batch, (str, bytes)):
        return batch
    if isinstance(batch, Mapping):
        return {k: to_transport(v) for k, v in batch.items()}
    if isinstance(batch, Sequence):
        return [to_transport(v) for v in batch]
    return batch


def from_transport(batch: Any) -> Any:
    """Main-process side of NOTE [batch transport]."""
    if isinstance(batch, torch.Tensor):
        return wrap(batch)
    if isinstance(batch, dict):
        return {k: from_transport(v) for k, v in batch.items()}
    if isinstance(batch, list):
        return [from_transport(v) for v in batch]
    return batch
