"""More ``paddle.Tensor`` methods and properties of Paddle 2.6 with a dense-tensor meaning:
``fill_diagonal_tensor`` (its in-place twin is made in _methods.py), ``gradient``, ``data``,
``grad_``, ``layout``, ``type``, ``is_dist``, ``is_selected_rows``, the
auto-parallel attributes of a plain tensor (None), and the
functions Paddle attaches as methods as they are (``broadcast_shape``, ``is_tensor``,
``shard_index``, ``create_parameter``, ``create_tensor``, ``top_p_sampling``).
Registered on ``Tensor`` by ``_methods.install`` (``MORE_METHODS``); ``is_dense`` is
paddlefish.sparse's (False on a sparse tensor).

NOTE [functions as methods]: Paddle 2.6 sets some module functions on ``Tensor`` unchanged, so
the tensor becomes their *first* argument: ``x.is_tensor()`` is True, ``x.broadcast_shape(s)``
fails (the tensor is not a shape), and ``x.create_parameter(...)`` / ``x.create_tensor(...)``
fail because the tensor lands in ``shape`` / ``dtype``. Ours behave the same way.
"""

from __future__ import annotations

import builtins
import enum

import torch

from .._core.dtypes import VarType as _VarType
from ..eager.tensor import Tensor, wrap
from . import extra, manipulation

__all__ = ["MORE_METHODS", "MORE_PROPERTIES"]


# ---- fill_diagonal_tensor ---------------------------------------------------------------------
def _diag_index(shape: list[int], offset: int, dim1: int, dim2: int):
    """Index of the (``offset``) diagonal of dims ``dim1``/``dim2`` and the shape ``y`` must have
    (Paddle: the other dims in order, then the diagonal length)."""
    nd = len(shape)
    d1, d2 = dim1 % nd, dim2 % nd
    if d1 == d2:
        raise ValueError(f"fill_diagonal_tensor: dim1 and dim2 must differ, got dim1={dim1}, "
                         f"dim2={dim2} for a tensor of rank {nd}")
    if offset >= 0:
        n = builtins.max(0, builtins.min(shape[d1], shape[d2] - offset))
        i1, i2 = torch.arange(n), torch.arange(n) + offset
    else:
        n = builtins.max(0, builtins.min(shape[d1] + offset, shape[d2]))
        i1, i2 = torch.arange(n) - offset, torch.arange(n)
    rest = [d for d in range(nd) if d not in (d1, d2)]
    return d1, d2, rest, i1, i2, [shape[d] for d in rest] + [n]


def fill_diagonal_tensor(x: Tensor, y: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1,
                         name=None) -> Tensor:
    """``x`` with the diagonal of dims ``dim1``/``dim2`` (shifted by ``offset``) replaced by
    ``y``, whose shape is the other dims of ``x`` followed by the diagonal length.

    >>> import paddlefish as paddle
    >>> x = paddle.zeros([3, 4])
    >>> x.fill_diagonal_tensor(paddle.to_tensor([1.0, 2.0, 3.0]), offset=1).tolist()
    [[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 2.0, 0.0], [0.0, 0.0, 0.0, 3.0]]
    """
    shape = list(x.shape)
    d1, d2, rest, i1, i2, want = _diag_index(shape, int(offset), int(dim1), int(dim2))
    if list(y.shape) != want:
        raise AssertionError(f"the y shape should be {want}")
    out = x._t.clone()
    moved = out.permute(*rest, d1, d2)  # a view: writing it writes out
    moved[..., i1, i2] = y._t.to(out.dtype)
    return wrap(out)


# ---- deprecated / introspection -----------------------------------------------------------------
def gradient(self: Tensor):
    """The gradient as a numpy array, or None before ``backward`` (deprecated in Paddle since
    2.1: use ``x.grad``).

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([1.0, 2.0], stop_gradient=False)
    >>> (x * x).sum().backward()
    >>> x.gradient().tolist()
    [2.0, 4.0]
    """
    g = self._t.grad
    return None if g is None else g.detach().cpu().numpy()


def _data_get(self: Tensor) -> Tensor:
    return self


def _data_set(self: Tensor, value) -> None:
    if not isinstance(value, Tensor):
        raise ValueError(  # noqa: TRY004 - Paddle raises ValueError here
            f"(InvalidArgument) argument (position 1) must be Tensor, but got "
            f"{type(value).__module__}.{type(value).__name__}"
        )
    needs_grad = self._t.requires_grad
    t = value._t.detach()
    if needs_grad and (t.is_floating_point() or t.is_complex()):
        t.requires_grad_(True)
    self._t = t


_DATA_DOC = """The tensor itself; assigning a Tensor replaces its value (shape and dtype may
change), as Paddle's ``x.data = y``.

>>> import paddlefish as paddle
>>> x = paddle.to_tensor([1.0, 2.0])
>>> x.data = paddle.to_tensor([5, 6, 7])
>>> x.tolist(), x.data is x
([5, 6, 7], True)
"""


class _TensorType(enum.IntEnum):
    """``Tensor.type``: Paddle 2.6's ``VarType.LOD_TENSOR`` (equal to the int 7)."""

    LOD_TENSOR = _VarType.LOD_TENSOR

    def __repr__(self) -> str:
        return f"<VarType.{self.name}: {int(self)}>"

    def __str__(self) -> str:
        return f"VarType.{self.name}"


def _type(self: Tensor) -> _TensorType:
    return _TensorType.LOD_TENSOR


def _layout(self: Tensor) -> str:
    return "NCHW"


def is_dist(self: Tensor) -> bool:
    """False: not a distributed (auto-parallel) tensor.

    >>> import paddlefish as paddle
    >>> paddle.ones([2]).is_dist(), paddle.ones([2]).placements
    (False, None)
    """
    return False


def is_selected_rows(self: Tensor) -> bool:
    """False: not a SelectedRows.

    >>> import paddlefish as paddle
    >>> paddle.ones([2]).is_selected_rows()
    False
    """
    return False


def _none(self: Tensor):
    return None


# ---- functions attached as they are (NOTE [functions as methods]) ------------------------------
def is_tensor(x) -> bool:
    """Whether ``x`` is a ``paddle.Tensor``; as a method always True.

    >>> import paddlefish as paddle
    >>> paddle.to_tensor(1.0).is_tensor()
    True
    """
    return isinstance(x, Tensor)


def broadcast_shape(x_shape, y_shape) -> list[int]:
    """The shape ``x_shape`` and ``y_shape`` broadcast to; as a method the tensor is
    ``x_shape``, which Paddle refuses with this TypeError.

    >>> import paddlefish as paddle
    >>> paddle.Tensor.broadcast_shape([2, 1, 3], [4, 1])
    [2, 4, 3]
    """
    for s in (x_shape, y_shape):
        if not isinstance(s, (list, tuple)) or not all(isinstance(d, int) for d in s):
            raise TypeError("broadcast_shape(): incompatible function arguments. The following "
                            "argument types are supported:\n    1. (arg0: list[int], arg1: "
                            f"list[int]) -> list[int]\n\nInvoked with: {x_shape!r}, "
                            f"{y_shape!r}")
    return manipulation.broadcast_shape(x_shape, y_shape)


def create_parameter(shape, dtype=None, *args, **kwargs):
    """``paddle.create_parameter`` as a Tensor method (NOTE [functions as methods]): the tensor
    lands in ``shape``, so every call fails, as in Paddle; call ``paddle.create_parameter(shape,
    dtype)``.

    >>> import paddlefish as paddle
    >>> try:
    ...     paddle.ones([2]).create_parameter([2], 'float32')
    ... except TypeError as e:
    ...     print(str(e)[:22])
    dtype must be any of [
    """
    raise TypeError(f"dtype must be any of [bool, float16, uint16, float32, float64, int8, int16, "
                    f"int32, int64, uint8, complex64, complex128, bfloat16], but received "
                    f"{dtype!r}: Tensor.create_parameter passes the tensor as `shape`; call "
                    "paddle.create_parameter(shape, dtype) instead")


def create_tensor(dtype, name=None, persistable=False):
    """``paddle.tensor.create_tensor`` as a Tensor method (NOTE [functions as methods]): the
    tensor lands in ``dtype``, so every call fails, as in Paddle; use ``paddle.empty`` /
    ``paddle.zeros``.

    >>> import paddlefish as paddle
    >>> try:
    ...     paddle.ones([2]).create_tensor('float32')
    ... except TypeError as e:
    ...     print(str(e)[:16])
    Cannot interpret
    """
    raise TypeError(f"Cannot interpret '{dtype!r}' as a data type: Tensor.create_tensor passes "
                    "the tensor as `dtype`; use paddle.zeros(shape, dtype) instead")


def top_p_sampling(x, ps, threshold=None, seed=None, name=None):
    """Paddle 2.6's ``top_p_sampling`` has GPU kernels only; a CPU build (and paddlefish)
    raises its ``NotFound`` error. Sample with ``paddle.multinomial`` over the renormalised
    top-p probabilities instead.

    >>> import paddlefish as paddle
    >>> try:
    ...     paddle.to_tensor([[0.2, 0.8]]).top_p_sampling(paddle.to_tensor([[0.9]]))
    ... except RuntimeError as e:
    ...     print(str(e).splitlines()[0])
    (NotFound) The kernel `top_p_sampling` is not registered.
    """
    raise RuntimeError("(NotFound) The kernel `top_p_sampling` is not registered.\n  [Hint: "
                       "paddlefish has no top_p_sampling kernel (Paddle 2.6 has GPU kernels "
                       "only); sort the probabilities, cut at the cumulative p and use "
                       "paddle.multinomial]")


MORE_METHODS = {
    "broadcast_shape": broadcast_shape,
    "is_tensor": is_tensor,
    "shard_index": extra.shard_index,
    "fill_diagonal_tensor": fill_diagonal_tensor,
    "gradient": gradient,
    "is_dist": is_dist,
    "is_selected_rows": is_selected_rows,
    "create_parameter": create_parameter,
    "create_tensor": create_tensor,
    "top_p_sampling": top_p_sampling,
}

MORE_PROPERTIES = {
    "data": property(_data_get, _data_set, doc=_DATA_DOC),
    "type": property(_type, doc="``VarType.LOD_TENSOR``, as Paddle 2.6 on a dense tensor "
                     "(``str(paddle.ones([1]).type) == 'VarType.LOD_TENSOR'``)."),
    "layout": property(_layout, doc="``'NCHW'``, Paddle's layout of a dense tensor."),
    "grad_": property(Tensor.grad.fget, Tensor.grad.fset, doc="``x.grad`` under Paddle's "
                      "other name (read and write)."),
    # a plain (not auto-parallel) tensor has none of these, as in Paddle 2.6
    "dist_attr": property(_none),
    "placements": property(_none),
    "process_mesh": property(_none),
    "num_shard": property(_none),
}
