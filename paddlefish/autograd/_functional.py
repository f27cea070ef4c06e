"""``paddle.autograd.backward``, ``saved_tensors_hooks``, ``jacobian`` and ``hessian``.

``jacobian`` / ``hessian`` follow Paddle 2.6: they return lazily evaluated ``Jacobian`` /
``Hessian`` objects (rows computed by reverse-mode ``grad`` on first use and cached), index like
a Tensor (``J[:]``, ``J[:, i]``, ``J[i, j]``; no Ellipsis), and behave as their full matrix
in arithmetic; without ``batch_axis`` ``xs`` and ``ys`` must be 0-D or 1-D, with
``batch_axis=0`` 1-D or 2-D, as in Paddle.

>>> import paddlefish as paddle
>>> x = paddle.to_tensor([1.0, 2.0], stop_gradient=False)
>>> J = paddle.autograd.jacobian(x * x, x)
>>> J.shape, J[:].numpy().tolist()
([2, 2], [[2.0, 0.0], [0.0, 4.0]])
>>> H = paddle.autograd.hessian((x ** 3).sum(), x)
>>> H[:].numpy().tolist()
[[6.0, 0.0], [0.0, 12.0]]
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from ..eager.autograd import grad
from ..eager.tensor import Tensor, wrap
from ..tensor import concat, zeros_like


def backward(tensors, grad_tensors=None, retain_graph: bool = False) -> None:
    """Accumulate gradients of ``tensors`` (seeded with ``grad_tensors``, ones by default)
    into the leaves, as ``Tensor.backward`` does for several outputs at once."""
    tensors = _tensor_list(tensors, "tensors")
    if len(tensors) != len({id(t) for t in tensors}):
        raise AssertionError(
            "The argument 'tensors' of paddle.autograd.backward contains duplicate "
            "paddle.Tensor object."
        )
    if grad_tensors is not None:
        if not isinstance(grad_tensors, (list, tuple)):
            grad_tensors = [grad_tensors]
        for g in grad_tensors:
            if g is not None and not isinstance(g, Tensor):
                raise AssertionError(
                    "The argument 'grad_tensors' of paddle.autograd.backward is invalid, it can "
                    "be 'None', 'paddle.Tensor' or 'list[None/paddle.Tensor]'."
                )
        if len(grad_tensors) != len(tensors):
            raise AssertionError("The length of grad_tensors must be equal to tensors")
    else:
        grad_tensors = [None] * len(tensors)
    if not isinstance(retain_graph, bool):
        raise AssertionError("retain_graph must be True or False")  # noqa: TRY004 - as Paddle
    seeds = [torch.ones_like(t._t) if g is None else g._t for t, g in zip(tensors, grad_tensors)]
    torch.autograd.backward([t._t for t in tensors], seeds, retain_graph=retain_graph)


def _tensor_list(value, name: str) -> list:
    if value is None:
        raise AssertionError(f"{name} should not be None")
    if isinstance(value, (list, tuple)):
        if not value:
            raise AssertionError(f"{name} connot be empty")
        if not all(isinstance(v, Tensor) for v in value):
            raise AssertionError(f"Elements of {name} must be paddle.Tensor")
        return list(value)
    if not isinstance(value, Tensor):
        raise AssertionError(f"{name} must be Tensor or list of Tensor")  # noqa: TRY004
    return [value]


class saved_tensors_hooks:
    """Transform every tensor autograd saves for backward: ``pack_hook(tensor)`` when it is
    saved, ``unpack_hook(packed)`` (must return a Tensor) when backward needs it."""

    def __init__(self, pack_hook, unpack_hook):
        self._inner = torch.autograd.graph.saved_tensors_hooks(
            lambda t: pack_hook(wrap(t)), lambda p: _unwrap(unpack_hook(p))
        )

    def __enter__(self):
        self._inner.__enter__()
        return self

    def __exit__(self, *exc):
        return self._inner.__exit__(*exc)


def _unwrap(value) -> torch.Tensor:
    if not isinstance(value, Tensor):
        raise TypeError(
            f"saved_tensors_hooks: unpack_hook returned {type(value).__name__}; it must return "
            "a paddle Tensor."
        )
    return value._t


# ---- Jacobian / Hessian ---------------------------------------------------------------------
def _grad_rows(ys, xs):
    gs = grad(ys, xs, create_graph=True, allow_unused=True)
    refs = list(xs) if isinstance(xs, Sequence) else [xs]
    out = [zeros_like(r) if g is None else g for g, r in zip(gs, refs)]
    return tuple(out) if isinstance(xs, Sequence) else out[0]


class Jacobian:
    """The Jacobian of ``ys`` w.r.t. ``xs``, evaluated row by row on demand (see module)."""

    def __init__(self, ys, xs, is_batched: bool = False):
        if not is_batched:
            if not 0 <= len(xs.shape) <= 1:
                raise ValueError(
                    f"xs.ndim should be 0 or 1 when is_batched=False but got {len(xs.shape)}"
                )
            if not 0 <= len(ys.shape) <= 1:
                raise ValueError(
                    f"ys.ndim should be 0 or 1 when is_batched=False but got {len(ys.shape)}"
                )
        else:
            if not 1 <= len(ys.shape) <= 2:
                raise ValueError(
                    f"ys.ndim should be 1 or 2 when is_batched=True but got {len(ys.shape)}"
                )
            if not 1 <= len(xs.shape) <= 2:
                raise ValueError(
                    f"xs.ndim should be 1 or 2 when is_batched=True but got {len(xs.shape)}"
                )
        self._jacobian = _Rows(ys, xs, is_batched)

    @property
    def shape(self):
        return self._jacobian.shape

    def __getitem__(self, indexes):
        return self._jacobian[indexes]

    def _evaluate_all(self):
        return self._jacobian.evaluate_all()

    def __getattr__(self, name):
        if name.startswith("__") or name == "_jacobian":
            raise AttributeError(name)
        return getattr(self._jacobian.evaluate_all(), name)

    def _binary(op):
        def method(self, other):
            rhs = other._evaluate_all() if isinstance(other, Jacobian) else other
            return op(self._evaluate_all(), rhs)

        return method

    __add__ = _binary(lambda a, b: a + b)
    __sub__ = _binary(lambda a, b: a - b)
    __mul__ = _binary(lambda a, b: a * b)
    __truediv__ = _binary(lambda a, b: a / b)
    __pow__ = _binary(lambda a, b: a**b)
    __mod__ = _binary(lambda a, b: a % b)
    __floordiv__ = _binary(lambda a, b: a // b)
    __matmul__ = _binary(lambda a, b: a @ b)
    __eq__ = _binary(lambda a, b: a == b)
    __ne__ = _binary(lambda a, b: a != b)
    __lt__ = _binary(lambda a, b: a < b)
    __le__ = _binary(lambda a, b: a <= b)
    __gt__ = _binary(lambda a, b: a > b)
    __ge__ = _binary(lambda a, b: a >= b)
    __hash__ = object.__hash__
    del _binary


class Hessian(Jacobian):
    """The Hessian of a scalar ``ys`` (a Jacobian of its Jacobian)."""


class _Rows:
    """Paddle's lazy Jacobian: the flattened ``[N, M]`` (or batched ``[B, N, M]``) matrix,
    rows (the lazy axis) computed by ``grad`` when first indexed, then cached."""

    def __init__(self, ys, xs, is_batched: bool):
        self.is_batched = is_batched
        self.ys_shape, self.xs_shape = list(ys.shape), list(xs.shape)
        self._xs = xs
        if len(self.ys_shape) == 0 and not is_batched:
            ys = ys.reshape([-1])
        if len(self.ys_shape) == 1 and is_batched:
            ys = ys.reshape([-1, 1])
        self._ys = self._flatten(ys)
        fx = self._flatten(xs)
        self._cache: dict = {}
        if is_batched:
            self.lazy_axis = 1
            self.inner_shape = [fx.shape[0], self._ys.shape[1], fx.shape[1]]
            self.shape = [fx.shape[0], *self.ys_shape[1:2], *self.xs_shape[1:2]]
        else:
            self.lazy_axis = 0
            self.inner_shape = [self._ys.shape[0], fx.shape[0]]
            self.shape = [*self.ys_shape[0:1], *self.xs_shape[0:1]]

    def _flatten(self, x):
        if isinstance(x, Jacobian):
            x = x._evaluate_all()
        if self.is_batched:
            return x.reshape([x.shape[0], -1])
        return x.reshape([-1])

    def _row(self, k):
        if k is None:
            return self._row(0).reshape([])
        if k not in self._cache:
            ys = self._ys[:, k] if self.is_batched else self._ys[k]
            self._cache[k] = self._flatten(_grad_rows(ys, self._xs))
        return self._cache[k]

    def evaluate_all(self):
        return self._row(None) if len(self.shape) == 0 else self[:]

    def __getitem__(self, indexes):
        if not self.is_batched:
            if len(self.shape) == 0:
                raise IndexError("0-D tensor can not be indexed.")
            if len(self.shape) == 1:
                indexes = (0, indexes) if len(self.ys_shape) == 0 else (indexes, 0)
        elif len(self.shape) == 1:
            indexes = (indexes, 0, 0)
        elif len(self.shape) == 2:
            if isinstance(indexes, slice):
                indexes = (indexes, slice(None))
            else:
                indexes = (
                    (indexes[0], 0, indexes[1])
                    if len(self.ys_shape) == 1
                    else (indexes[0], indexes[1], 0)
                )
        indexes = _standard_index(indexes, self.inner_shape)
        lazy = indexes[self.lazy_axis]
        rest = indexes[: self.lazy_axis] + indexes[self.lazy_axis + 1 :]
        if isinstance(lazy, int):
            return self._row(lazy)[rest]
        rows = tuple(range(lazy.start, lazy.stop, lazy.step))
        shape = list(self.inner_shape)
        shape[self.lazy_axis] = len(rows)
        part = concat([self._row(i) for i in rows], axis=self.lazy_axis).reshape(shape)
        shifted = indexes[: self.lazy_axis] + (slice(0, len(rows), 1),) + rest[self.lazy_axis :]
        result = part[shifted]
        for _ in range(len(result.shape) - len(self.shape)):  # bounded: squeeze may not shrink
            result = result.squeeze(-1)
        return result


def _standard_index(indexes, shape) -> tuple:
    """``(int | slice, ...)`` completed to ``len(shape)`` entries, negatives made positive."""
    indexes = indexes if isinstance(indexes, Sequence) else (indexes,)
    if any(i is Ellipsis for i in indexes):
        raise IndexError("Ellipsis index currently is not supported.")
    indexes = tuple(indexes) + (slice(0, None, None),) * (len(shape) - len(indexes))
    out = []
    for i, index in enumerate(indexes):
        if isinstance(index, slice):
            start, stop, step = index.start or 0, index.stop or shape[i], index.step or 1
            out.append(
                slice(
                    start + shape[i] if start < 0 else start,
                    stop + shape[i] if stop < 0 else stop,
                    step,
                )
            )
        elif isinstance(index, int):
            out.append(index + shape[i] if index < 0 else index)
        else:
            raise TypeError(f"Not supported index type {index}.")
    return tuple(out)


def jacobian(ys, xs, batch_axis=None):
    """Jacobian(s) of ``ys`` w.r.t. ``xs`` (nested tuples when either is a sequence)."""
    if batch_axis is not None and batch_axis != 0:
        raise ValueError(f"batch_axis should be None or 0, but got {batch_axis}.")
    batched = batch_axis is not None
    ys_seq, xs_seq = isinstance(ys, Sequence), isinstance(xs, Sequence)
    if ys_seq and xs_seq:
        return tuple(tuple(Jacobian(y, x, batched) for x in xs) for y in ys)
    if ys_seq:
        return tuple(Jacobian(y, xs, batched) for y in ys)
    if xs_seq:
        return tuple(Jacobian(ys, x, batched) for x in xs)
    return Jacobian(ys, xs, batched)


def hessian(ys, xs, batch_axis=None):
    """Hessian(s) of a scalar ``ys`` (one value per batch row with ``batch_axis=0``)."""
    if batch_axis is None:
        if ys.numel() > 1:
            raise ValueError(f"Only support ys.numel()({ys.numel()})==1 when batch_axis is None.")
        ys = ys.reshape([])
    elif isinstance(batch_axis, int):
        if ys[0].numel() > 1:
            raise ValueError(f"Only support ys[0].numel()({ys.numel()})==1 when batch_axis is int")
        if batch_axis != 0:
            raise ValueError("Only support batch_axis=0 yet.")
        ys = ys.reshape([-1])
    else:
        raise ValueError(f"batch_axis should be None or int, but got {type(batch_axis)}.")
    first = jacobian(ys, xs, batch_axis)
    if not isinstance(xs, Sequence):
        h = jacobian(first, xs, batch_axis)
        h.__class__ = Hessian
        return h
    h = tuple(jacobian(j, xs, batch_axis) for j in first)
    for row in h:
        for item in row:
            item.__class__ = Hessian
    return h
