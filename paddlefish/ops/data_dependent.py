"""Output shapes of ops whose result size depends on the input *values*, for the recorder.

NOTE [data-dependent shapes]: the recorder learns an op's output dtype and shape by running its
kernel on shape-only (meta) tensors twice, with the dynamic dims of the inputs at two stand-in
sizes, and writes ``-1`` where the two runs differ (NOTE [dynamic dims] in static/variable.py).
Some kernels cannot run on meta tensors at all: ``masked_select`` and ``where_index``
(``paddle.nonzero``) return as many elements as the mask has ``True`` values, ``equal_all``
compares values, ``sequence_mask`` without ``maxlen`` takes ``max(x)`` columns. For these a shape
function stands in for the kernel while recording: ``fn(dyn, *inputs, **attrs)`` returns meta
tensors of the output dtypes, using ``dyn`` (the run's stand-in size, different in the two runs)
for every dim only the data decides, so that dim is declared ``-1`` as Paddle declares it
(``masked_select`` ``[-1]``, ``where_index`` ``[-1, rank]``). Executing a program still runs the
real kernel.

>>> import torch
>>> fn = SHAPE_FNS["where_index"]
>>> fn(7, torch.empty(4, 3, dtype=torch.bool, device="meta")).shape
torch.Size([7, 2])
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from ._torch_dtype import torch_dtype_of_vartype

__all__ = ["SHAPE_FNS", "shape_fn"]

SHAPE_FNS: dict[str, Callable] = {}


def shape_fn(type_: str):
    """Register the recording shape function of op ``type_`` (see NOTE [data-dependent shapes])."""

    def deco(fn: Callable) -> Callable:
        if type_ in SHAPE_FNS:
            raise ValueError(f"shape function of op {type_!r} declared twice")
        SHAPE_FNS[type_] = fn
        return fn

    return deco


def _meta(shape, dtype: torch.dtype) -> torch.Tensor:
    return torch.empty([int(s) for s in shape], dtype=dtype, device="meta")


@shape_fn("masked_select")
def _masked_select(dyn, X, Mask):
    return _meta([dyn], X.dtype)


@shape_fn("where_index")
def _where_index(dyn, Condition):
    return _meta([dyn, Condition.dim()], torch.int64)


@shape_fn("equal_all")
def _equal_all(dyn, X, Y):
    return _meta([], torch.bool)


@shape_fn("sequence_mask")
def _sequence_mask(dyn, X, MaxLenTensor=None, *, maxlen=-1, out_dtype=5):
    if MaxLenTensor is not None:
        n = dyn if MaxLenTensor.is_meta else int(MaxLenTensor.reshape([]).item())
    else:
        n = maxlen if maxlen >= 0 else dyn
    return _meta([*X.shape, n], torch_dtype_of_vartype(out_dtype))
