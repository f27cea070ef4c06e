"""More tensor functions from the API gap (docs/API_GAP.md): complex views, ``polar``, ``frexp``,
``logspace``, ``vander``, scatter-into-slices, sliding windows, ``shard_index``, random
``randint_like`` / ``poisson``, ``combinations``. Paddle's semantics on torch directly (eager
only; NOTE [eager-only functions]).

>>> import paddlefish as paddle
>>> paddle.vander(paddle.to_tensor([1, 2, 3]), n=3).tolist()
[[1, 1, 1], [4, 2, 1], [9, 3, 1]]
"""

from __future__ import annotations

import torch

from ..eager._dtype import to_torch_dtype
from ..eager.tensor import Tensor, wrap
from .math import _eager

__all__ = [
    "as_complex",
    "as_real",
    "as_strided",
    "combinations",
    "complex",
    "diagonal_scatter",
    "frexp",
    "is_same_shape",
    "logspace",
    "poisson",
    "polar",
    "randint_like",
    "select_scatter",
    "shard_index",
    "unfold",
    "vander",
]


def complex(real, imag, name=None):
    """A complex tensor from real and imaginary parts (broadcast)."""
    r, i = _eager("complex", real, imag)
    r, i = torch.broadcast_tensors(r, i)
    return wrap(torch.complex(r, i))


def as_complex(x, name=None):
    """View ``[..., 2]`` floats as complex numbers."""
    (t,) = _eager("as_complex", x)
    return wrap(torch.view_as_complex(t.contiguous()))


def as_real(x, name=None):
    """View complex numbers as ``[..., 2]`` floats."""
    (t,) = _eager("as_real", x)
    return wrap(torch.view_as_real(t.resolve_conj()))


def as_strided(x, shape, stride, offset=0, name=None):
    """A view with the given shape and element strides, starting ``offset`` BYTES into ``x``
    (Paddle counts the offset in bytes; it must be a multiple of the element size)."""
    (t,) = _eager("as_strided", x)
    size = t.element_size()
    if offset % size:
        raise ValueError(
            f"as_strided: offset {offset} is in bytes and must be a multiple of the element size "
            f"{size} of {str(t.dtype).removeprefix('torch.')}"
        )
    return wrap(torch.as_strided(t, list(shape), list(stride), t.storage_offset() + offset // size))


def polar(abs, angle, name=None):
    """``abs * (cos(angle) + i sin(angle))``."""
    a, g = _eager("polar", abs, angle)
    return wrap(torch.polar(a, g))


def frexp(x, name=None):
    """Mantissa in ``[0.5, 1)`` and exponent with ``x = mantissa * 2**exponent`` (the exponent
    in x's float dtype, as Paddle returns it)."""
    (t,) = _eager("frexp", x)
    m, e = torch.frexp(t)
    return wrap(m), wrap(e.to(t.dtype))


def logspace(start, stop, num, base=10.0, dtype=None, name=None):
    """``num`` points ``base**linspace(start, stop)``."""
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, stop, num, base)]
    start, stop, num, base = vals
    out = torch.logspace(start, stop, int(num), base, dtype=torch.float64)  # then cast, as Paddle
    return wrap(out.to(to_torch_dtype(dtype or "float32")))


def vander(x, n=None, increasing=False, name=None):
    """Vandermonde matrix of a 1-D tensor (decreasing powers unless ``increasing``)."""
    (t,) = _eager("vander", x)
    if t.dim() != 1:
        raise ValueError(
            f"The input of x is expected to be a 1-D Tensor. But now the dims of "
            f"Input(X) is {t.dim()}."
        )
    if n is not None and n < 0:
        raise ValueError("N must be non-negative.")
    return wrap(
        torch.linalg.vander(t, N=n).flip(-1) if not increasing else torch.linalg.vander(t, N=n)
    )


def diagonal_scatter(x, y, offset=0, axis1=0, axis2=1, name=None):
    """``x`` with the chosen diagonal replaced by ``y``."""
    a, b = _eager("diagonal_scatter", x, y)
    return wrap(torch.diagonal_scatter(a, b.to(a.dtype), offset, axis1, axis2))


def select_scatter(x, values, axis, index, name=None):
    """``x`` with ``x[..., index, ...]`` (on ``axis``) replaced by ``values``."""
    a, b = _eager("select_scatter", x, values)
    return wrap(torch.select_scatter(a, b.to(a.dtype), axis, index))


def unfold(x, axis, size, step, name=None):
    """Sliding windows of ``size`` every ``step`` along ``axis`` (a new last dimension)."""
    (t,) = _eager("unfold", x)
    return wrap(t.unfold(axis, size, step))


def shard_index(input, index_num, nshards, shard_id, ignore_value=-1):
    """Index within shard ``shard_id`` of ``nshards`` equal shards of ``[0, index_num)``;
    ``ignore_value`` for indices of other shards."""
    (t,) = _eager("shard_index", input)
    if not 0 <= shard_id < nshards:
        raise ValueError(f"The shard_id({shard_id}) should be in [0, {nshards})")
    size = (index_num + nshards - 1) // nshards
    local = t - shard_id * size
    return wrap(torch.where(t // size == shard_id, local, torch.full_like(t, ignore_value)))


def randint_like(x, low=0, high=None, dtype=None, name=None):
    """Random integers in ``[low, high)`` shaped like ``x`` (``high=None``: ``[0, low)``)."""
    (t,) = _eager("randint_like", x)
    if high is None:
        low, high = 0, low
    if high <= low:
        raise ValueError(
            f"randint_like's low must be less then high, but received low = {low}, high = {high}"
        )
    dt = to_torch_dtype(dtype) if dtype is not None else t.dtype
    return wrap(torch.randint(low, high, t.shape).to(dt))


def poisson(x, name=None):
    """Poisson samples with rates ``x``."""
    (t,) = _eager("poisson", x)
    return wrap(torch.poisson(t))


def combinations(x, r=2, with_replacement=False, name=None):
    """All length-``r`` combinations of a 1-D tensor's elements, as rows."""
    (t,) = _eager("combinations", x)
    if t.dim() != 1:
        raise TypeError(f"Expect a 1-D vector, but got x shape {list(t.shape)}")
    return wrap(torch.combinations(t, r, with_replacement))


def is_same_shape(x, y):
    """Whether two tensors have the same shape."""
    return list(x.shape) == list(y.shape)
