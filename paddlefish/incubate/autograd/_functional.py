"""``paddle.incubate.autograd``'s function transforms: ``vjp``, ``jvp``, ``Jacobian``, ``Hessian``.

Unlike ``paddle.autograd.jacobian`` (which differentiates already computed ``ys``), these take a
function and its inputs, as Paddle 2.6's ``incubate.autograd.functional`` does: inputs are first
*separated* (copied when they require gradients, detached otherwise), several inputs are
flattened and concatenated into one axis, and ``jvp`` uses the double-backward trick. The lazy
``[N, M]`` / batched ``[B, N, M]`` matrix evaluates one row (the lazy axis) per ``grad`` call on
first use and caches it; indexing follows ``paddle.autograd``'s (ints and slices, no Ellipsis).
"""

from __future__ import annotations

from collections.abc import Sequence

from ...autograd._functional import _standard_index
from ...eager.autograd import grad as _paddle_grad
from ...eager.tensor import Tensor
from ...tensor import assign, concat, zeros_like

__all__ = ["Hessian", "Jacobian", "jvp", "vjp"]


def vjp(func, xs, v=None):
    """``(func(xs), v^T J)``: the vector-Jacobian product (``v`` defaults to ones).

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([1.0, 2.0])
    >>> ys, g = paddle.incubate.autograd.vjp(lambda t: t * t, x)
    >>> g.numpy().tolist()
    [2.0, 4.0]
    """
    _check_inputs(func, xs, v)
    xs, v = _separate(xs), _separate(v)
    ys = func(*xs) if isinstance(xs, Sequence) else func(xs)
    _check_v_shape(v, ys)
    return ys, _grad(ys, xs, v)


def jvp(func, xs, v=None):
    """``(func(xs), J v)``: the Jacobian-vector product (``v`` defaults to ones).

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([1.0, 2.0])
    >>> ys, t = paddle.incubate.autograd.jvp(lambda t: t * t, x)
    >>> t.numpy().tolist()
    [2.0, 4.0]
    """
    _check_inputs(func, xs, v)
    xs, v = _separate(xs), _separate(v)
    ys = func(*xs) if isinstance(xs, Sequence) else func(xs)
    _check_v_shape(v, xs)
    ys_grad = _zeros_like_with_grad(ys)
    xs_grad = _grad(ys, xs, ys_grad)
    return ys, _grad(xs_grad, ys_grad, v)


class Jacobian:
    """The Jacobian of ``func`` at ``xs``, flattened to ``[N, M]`` (``[B, N, M]`` when batched).

    >>> import paddlefish as paddle
    >>> J = paddle.incubate.autograd.Jacobian(lambda x, y: x * y,
    ...                                      [paddle.to_tensor([1.0, 2.0]), paddle.to_tensor([3.0, 4.0])])
    >>> J.shape, J[0].numpy().tolist()
    ((2, 4), [3.0, 0.0, 1.0, 0.0])
    """

    def __init__(self, func, xs, is_batched: bool = False):
        self._jacobian = _JacobianBatchFirst(func, xs) if is_batched else _JacobianNoBatch(func, xs)

    def __getitem__(self, indexes):
        return self._jacobian[indexes]

    @property
    def shape(self):
        """The shape of the flattened Jacobian."""
        return self._jacobian.shape


class Hessian:
    """The Hessian of a scalar-valued ``func`` at ``xs`` (the Jacobian of its gradient).

    >>> import paddlefish as paddle
    >>> H = paddle.incubate.autograd.Hessian(lambda x: (x * x * x).sum(), paddle.to_tensor([1.0, 2.0]))
    >>> H[:].numpy().tolist()
    [[6.0, 0.0], [0.0, 12.0]]
    """

    def __init__(self, func, xs, is_batched: bool = False):
        def _jac_func(*xs):
            jac = Jacobian(func, xs, is_batched=is_batched)
            if (is_batched and jac.shape[1] != 1) or (not is_batched and jac.shape[0] != 1):
                raise RuntimeError(
                    "The function given to Hessian shoud return as single element Tensor or "
                    f"batched single element Tensor; its flattened Jacobian has shape {jac.shape}."
                )
            return jac[:, 0, :] if is_batched else jac[0, :]

        self.symbolic = Jacobian(_jac_func, xs, is_batched=is_batched)

    def __getitem__(self, indexes):
        return self.symbolic[indexes]

    @property
    def shape(self):
        """The shape of the flattened Hessian."""
        return self.symbolic.shape


class _Jacobian:
    lazy_axis = 0

    def __init__(self, func, xs):
        self._xs = _separate(xs)
        self._ys = func(*_as_tensors(self._xs))
        self._flatten_xs = self._flatten(_as_tensors(self._xs))
        self._flatten_ys = self._flatten(_as_tensors(self._ys))
        self._cache: dict[int, Tensor] = {}

    def __getitem__(self, indexes):
        indexes = _standard_index(indexes, self.shape)
        axis = self.lazy_axis
        lazy = indexes[axis]
        if isinstance(lazy, int):
            return self._cached(lazy)[indexes[:axis] + indexes[axis + 1 :]]
        rows = tuple(range(lazy.start, lazy.stop, lazy.step))
        shape = list(self.shape)
        shape[axis] = len(rows)
        part = concat([self._cached(i) for i in rows], axis=axis).reshape(shape)
        return part[indexes[:axis] + (slice(0, len(rows), 1),) + indexes[axis + 1 :]]

    def _cached(self, k: int):
        if k not in self._cache:
            self._cache[k] = self._evaluate(k)
        return self._cache[k]


class _JacobianNoBatch(_Jacobian):
    lazy_axis = 0

    @property
    def shape(self):
        return (self._flatten_ys.shape[0], self._flatten_xs.shape[0])

    def _flatten(self, xs):
        return concat(tuple(x.reshape((-1,)) for x in xs))

    def _evaluate(self, row):
        return self._flatten(_as_tensors(_grad(self._flatten_ys[row], self._xs)))


class _JacobianBatchFirst(_Jacobian):
    lazy_axis = 1

    @property
    def shape(self):
        return (self._flatten_xs.shape[0], self._flatten_ys.shape[1], self._flatten_xs.shape[1])

    def _flatten(self, xs):
        return concat(tuple(x.reshape((x.shape[0], -1)) for x in _as_tensors(xs)), 1)

    def _evaluate(self, row):
        return self._flatten(_grad(self._flatten_ys[:, row], self._xs))


# ---- helpers (Paddle's functional.py) -------------------------------------------------------
def _as_tensors(xs):
    if isinstance(xs, Tensor):
        return (xs,)
    return tuple(xs) if isinstance(xs, Sequence) else xs


def _grad(ys, xs, v=None):
    gs = _paddle_grad(ys, xs, v, create_graph=True, allow_unused=True)
    if isinstance(xs, Tensor) and isinstance(gs, Sequence) and len(gs) > 0:
        gs = gs[0]
    return _none_to_zeros(gs, xs)


def _none_to_zeros(xs, refs):
    if xs is None:
        z = zeros_like(refs)
        z.stop_gradient = refs.stop_gradient
        return z
    if isinstance(xs, Sequence):
        return tuple(_none_to_zeros(x, refs[i]) for i, x in enumerate(xs))
    return xs


def _zeros_like_with_grad(xs):
    if not isinstance(xs, Sequence):
        z = zeros_like(xs)
        z.stop_gradient = False
        return z
    out = []
    for x in xs:
        z = zeros_like(x)
        z.stop_gradient = False
        out.append(z)
    return out


def _separate(xs):
    if isinstance(xs, Sequence):
        return tuple(_separate_one(x) for x in xs)
    return _separate_one(xs)


def _separate_one(x):
    if x is None:
        return x
    if not x.stop_gradient:
        return assign(x)
    x = x.detach()
    x.stop_gradient = False
    return x


def _check_inputs(func, xs, v=None) -> None:
    if not callable(func):
        raise TypeError(f"Expected 'fun' is Callable, but got {type(func)}.")
    if not isinstance(xs, (Tensor, Sequence)):
        raise TypeError(f"Expected 'xs' is a Tensor|Sequence[Tensor],but got {type(xs)}.")
    if isinstance(xs, Sequence) and not all(isinstance(x, Tensor) for x in xs):
        raise TypeError("All elements of 'xs' shoule be Tensor.")
    if not isinstance(v, (Tensor, Sequence, type(None))):
        raise TypeError(f"Expected 'v' is Tensor|Sequence[Tensor]|None, but got {type(v)}.")
    if isinstance(v, Sequence) and not all(isinstance(e, Tensor) for e in v):
        raise TypeError("All elements of 'xs' shoule be Tensor.")


def _check_v_shape(v, refs) -> None:
    if v is None:
        return
    v, refs = _as_tensors(v), _as_tensors(refs)
    if len(refs) != len(v):
        raise RuntimeError(
            f"The argument v is a tuple of invalid length:should be {len(refs)} but got {len(v)}."
        )
    for index, (element_v, element_ref) in enumerate(zip(v, refs)):
        if element_v.shape != element_ref.shape:
            raise RuntimeError(
                f"The v[{index}] has invalid shape: should be {element_ref.shape} but got "
                f"{element_v.shape}."
            )
