"""``paddle.distribution.transform``: invertible maps with log-det-Jacobians (Paddle 2.6).

A ``Transform`` maps ``x`` to ``y = forward(x)``; ``inverse``, ``forward_log_det_jacobian``
(``log|dy/dx|``, summed over the transform's own event axes), ``inverse_log_det_jacobian`` and
``forward_shape``/``inverse_shape`` complete it. Calling a transform on a Distribution makes a
``TransformedDistribution``; on another transform, a ``ChainTransform``; on a Tensor, ``forward``.

>>> import paddlefish as paddle
>>> t = paddle.distribution.AffineTransform(paddle.to_tensor(1.0), paddle.to_tensor(2.0))
>>> t.forward(paddle.to_tensor([0.0, 1.0])).numpy().tolist()
[1.0, 3.0]
>>> round(float(t.forward_log_det_jacobian(paddle.to_tensor(0.0))), 4)
0.6931
"""

from __future__ import annotations

import enum
import math
import typing

from .. import tensor as _T
from ..eager.tensor import Tensor
from . import _distribution, _transformed_distribution
from . import _functional as _F
from . import _variable as variable
from ._distribution import sum_rightmost

__all__ = [
    "AbsTransform",
    "AffineTransform",
    "ChainTransform",
    "ExpTransform",
    "IndependentTransform",
    "PowerTransform",
    "ReshapeTransform",
    "SigmoidTransform",
    "SoftmaxTransform",
    "StackTransform",
    "StickBreakingTransform",
    "TanhTransform",
    "Transform",
]


class Type(enum.Enum):
    BIJECTION = "bijection"
    INJECTION = "injection"
    SURJECTION = "surjection"
    OTHER = "other"

    @classmethod
    def is_injective(cls, _type) -> bool:
        return _type in (cls.BIJECTION, cls.INJECTION)


def _need_tensor(name: str, v, rank: int, what: str):
    if not isinstance(v, Tensor):
        raise TypeError(f"Expected {name!r} is a Tensor, but got {type(v)}.")
    if v.dim() < rank:
        raise ValueError(
            f"The dimensions of {name}({v.dim()}) should be grater than or equal to {rank} "
            f"(the {what} event rank)"
        )


class Transform:
    """Base class: a subclass fills ``_forward``, ``_inverse`` and one of
    ``_forward_log_det_jacobian``/``_inverse_log_det_jacobian`` (the other follows)."""

    _type = Type.INJECTION

    def __init__(self):
        super().__init__()

    @classmethod
    def _is_injective(cls) -> bool:
        return Type.is_injective(cls._type)

    def __call__(self, input):
        if isinstance(input, _distribution.Distribution):
            return _transformed_distribution.TransformedDistribution(input, [self])
        if isinstance(input, Transform):
            return ChainTransform([self, input])
        return self.forward(input)

    def forward(self, x):
        _need_tensor("x", x, self._domain.event_rank, "domain")
        return self._forward(x)

    def inverse(self, y):
        _need_tensor("y", y, self._codomain.event_rank, "codomain")
        return self._inverse(y)

    def forward_log_det_jacobian(self, x):
        _need_tensor("x", x, self._domain.event_rank, "domain")
        if not self._is_injective():
            raise NotImplementedError(
                f"forward_log_det_jacobian can't be implemented for the non-injective "
                f"{type(self).__name__}"
            )
        return self._call_forward_log_det_jacobian(x)

    def inverse_log_det_jacobian(self, y):
        _need_tensor("y", y, self._codomain.event_rank, "codomain")
        return self._call_inverse_log_det_jacobian(y)

    def forward_shape(self, shape):
        if not isinstance(shape, typing.Sequence):
            raise TypeError(f"Expected shape is Sequence[int] type, but got {type(shape)}.")
        return self._forward_shape(shape)

    def inverse_shape(self, shape):
        if not isinstance(shape, typing.Sequence):
            raise TypeError(f"Expected shape is Sequence[int] type, but got {type(shape)}.")
        return self._inverse_shape(shape)

    @property
    def _domain(self):
        return variable.real

    @property
    def _codomain(self):
        return variable.real

    def _forward(self, x):
        raise NotImplementedError(f"{type(self).__name__}: forward not implemented")

    def _inverse(self, y):
        raise NotImplementedError(f"{type(self).__name__}: inverse not implemented")

    def _call_forward_log_det_jacobian(self, x):
        if hasattr(self, "_forward_log_det_jacobian"):
            return self._forward_log_det_jacobian(x)
        if hasattr(self, "_inverse_log_det_jacobian"):
            return -self._inverse_log_det_jacobian(self.forward(x))
        raise NotImplementedError(
            f"{type(self).__name__}: neither _forward_log_det_jacobian nor "
            "_inverse_log_det_jacobian is implemented; one of them is required"
        )

    def _call_inverse_log_det_jacobian(self, y):
        if hasattr(self, "_inverse_log_det_jacobian"):
            return self._inverse_log_det_jacobian(y)
        if hasattr(self, "_forward_log_det_jacobian"):
            return -self._forward_log_det_jacobian(self._inverse(y))
        raise NotImplementedError(
            f"{type(self).__name__}: neither _forward_log_det_jacobian nor "
            "_inverse_log_det_jacobian is implemented; one of them is required"
        )

    def _forward_shape(self, shape):
        return shape

    def _inverse_shape(self, shape):
        return shape


class AbsTransform(Transform):
    """``y = |x|``; ``inverse(y)`` is the pair ``(-y, y)`` (not injective).

    >>> import paddlefish as paddle
    >>> [v.numpy().tolist() for v in paddle.distribution.AbsTransform().inverse(paddle.to_tensor([2.0]))]
    [[-2.0], [2.0]]
    """

    _type = Type.SURJECTION

    def _forward(self, x):
        return x.abs()

    def _inverse(self, y):
        return -y, y

    def _inverse_log_det_jacobian(self, y):
        zero = _T.zeros([], dtype=y.dtype)
        return zero, zero

    @property
    def _codomain(self):
        return variable.positive


def _broadcast(*shapes) -> tuple:
    out = list(shapes[0])
    for s in shapes[1:]:
        out = _T.broadcast_shape(out, list(s))
    return tuple(out)


class AffineTransform(Transform):
    """``y = loc + scale * x`` (``loc``/``scale`` Tensors).

    >>> import paddlefish as paddle
    >>> t = paddle.distribution.AffineTransform(paddle.to_tensor(0.0), paddle.to_tensor(-3.0))
    >>> t.inverse(paddle.to_tensor([3.0])).numpy().tolist()
    [-1.0]
    """

    _type = Type.BIJECTION

    def __init__(self, loc, scale):
        if not isinstance(loc, Tensor):
            raise TypeError(f"Expected 'loc' is a Tensor, but got {type(loc)}")
        if not isinstance(scale, Tensor):
            raise TypeError(f"Expected scale is a Tensor, but got {type(scale)}")
        self._loc, self._scale = loc, scale
        super().__init__()

    @property
    def loc(self):
        return self._loc

    @property
    def scale(self):
        return self._scale

    def _forward(self, x):
        return self._loc + self._scale * x

    def _inverse(self, y):
        return (y - self._loc) / self._scale

    def _forward_log_det_jacobian(self, x):
        return _T.abs(self._scale).log()

    def _forward_shape(self, shape):
        return _broadcast(shape, self._loc.shape, self._scale.shape)

    def _inverse_shape(self, shape):
        return _broadcast(shape, self._loc.shape, self._scale.shape)


class ChainTransform(Transform):
    """The composition of ``transforms``, applied first to last.

    >>> import paddlefish as paddle
    >>> D = paddle.distribution
    >>> t = D.ChainTransform([D.ExpTransform(), D.AffineTransform(paddle.to_tensor(1.0), paddle.to_tensor(2.0))])
    >>> round(float(t.forward(paddle.to_tensor(0.0))), 4)
    3.0
    """

    def __init__(self, transforms):
        if not isinstance(transforms, typing.Sequence):
            raise TypeError(
                f"Expected type of 'transforms' is Sequence, but got {type(transforms)}"
            )
        if not all(isinstance(t, Transform) for t in transforms):
            raise TypeError("All elements of transforms should be Transform type.")
        self.transforms = transforms
        super().__init__()

    def _is_injective(self) -> bool:
        return all(t._is_injective() for t in self.transforms)

    def _forward(self, x):
        for t in self.transforms:
            x = t.forward(x)
        return x

    def _inverse(self, y):
        for t in reversed(self.transforms):
            y = t.inverse(y)
        return y

    def _forward_log_det_jacobian(self, x):
        value = 0.0
        event_rank = self._domain.event_rank
        for t in self.transforms:
            value += sum_rightmost(t.forward_log_det_jacobian(x), event_rank - t._domain.event_rank)
            x = t.forward(x)
            event_rank += t._codomain.event_rank - t._domain.event_rank
        return value

    def _forward_shape(self, shape):
        for t in self.transforms:
            shape = t.forward_shape(shape)
        return shape

    def _inverse_shape(self, shape):
        for t in self.transforms:
            shape = t.inverse_shape(shape)
        return shape

    @property
    def _domain(self):
        domain = self.transforms[0]._domain
        event_rank = self.transforms[-1]._codomain.event_rank
        for t in reversed(self.transforms):
            event_rank -= t._codomain.event_rank - t._domain.event_rank
            event_rank = max(event_rank, t._domain.event_rank)
        return variable.Independent(domain, event_rank - domain.event_rank)

    @property
    def _codomain(self):
        codomain = self.transforms[-1]._codomain
        event_rank = self.transforms[0]._domain.event_rank
        for t in self.transforms:
            event_rank += t._codomain.event_rank - t._domain.event_rank
            event_rank = max(event_rank, t._codomain.event_rank)
        return variable.Independent(codomain, event_rank - codomain.event_rank)


class ExpTransform(Transform):
    """``y = exp(x)``.

    >>> import paddlefish as paddle
    >>> paddle.distribution.ExpTransform().inverse(paddle.to_tensor([1.0])).numpy().tolist()
    [0.0]
    """

    _type = Type.BIJECTION

    @property
    def _codomain(self):
        return variable.positive

    def _forward(self, x):
        return x.exp()

    def _inverse(self, y):
        return y.log()

    def _forward_log_det_jacobian(self, x):
        return x


class IndependentTransform(Transform):
    """``base`` with its ``reinterpreted_batch_rank`` rightmost batch axes made event axes: the
    log-det-Jacobian is summed over them.

    >>> import paddlefish as paddle
    >>> t = paddle.distribution.IndependentTransform(paddle.distribution.ExpTransform(), 1)
    >>> t.forward_log_det_jacobian(paddle.to_tensor([[1.0, 2.0]])).numpy().tolist()
    [3.0]
    """

    def __init__(self, base, reinterpreted_batch_rank):
        if not isinstance(base, Transform):
            raise TypeError(f"Expected 'base' is Transform type, but get {type(base)}")
        if reinterpreted_batch_rank <= 0:
            raise ValueError(
                "Expected 'reinterpreted_batch_rank' is grater than zero, but got "
                f"{reinterpreted_batch_rank}"
            )
        self._base = base
        self._reinterpreted_batch_rank = reinterpreted_batch_rank
        super().__init__()

    def _is_injective(self) -> bool:
        return self._base._is_injective()

    def _forward(self, x):
        return self._base.forward(x)

    def _inverse(self, y):
        return self._base.inverse(y)

    def _forward_log_det_jacobian(self, x):
        n = self._reinterpreted_batch_rank
        return self._base.forward_log_det_jacobian(x).sum(list(range(-n, 0)))

    def _forward_shape(self, shape):
        return self._base.forward_shape(shape)

    def _inverse_shape(self, shape):
        return self._base.inverse_shape(shape)

    @property
    def _domain(self):
        return variable.Independent(self._base._domain, self._reinterpreted_batch_rank)

    @property
    def _codomain(self):
        return variable.Independent(self._base._codomain, self._reinterpreted_batch_rank)


class PowerTransform(Transform):
    """``y = x ** power`` (``power`` a Tensor).

    >>> import paddlefish as paddle
    >>> t = paddle.distribution.PowerTransform(paddle.to_tensor(2.0))
    >>> t.forward(paddle.to_tensor([3.0])).numpy().tolist()
    [9.0]
    """

    _type = Type.BIJECTION

    def __init__(self, power):
        if not isinstance(power, Tensor):
            raise TypeError(f"Expected 'power' is a tensor, but got {type(power)}")
        self._power = power
        super().__init__()

    @property
    def power(self):
        return self._power

    @property
    def _codomain(self):
        return variable.positive

    def _forward(self, x):
        return x.pow(self._power)

    def _inverse(self, y):
        return y.pow(1 / self._power)

    def _forward_log_det_jacobian(self, x):
        return (self._power * x.pow(self._power - 1)).abs().log()

    def _forward_shape(self, shape):
        return _broadcast(shape, self._power.shape)

    def _inverse_shape(self, shape):
        return _broadcast(shape, self._power.shape)


class ReshapeTransform(Transform):
    """Reshapes the event part ``in_event_shape`` to ``out_event_shape``.

    >>> import paddlefish as paddle
    >>> t = paddle.distribution.ReshapeTransform((2, 3), (3, 2))
    >>> t.forward(paddle.ones([4, 2, 3])).shape, t.forward_shape((4, 2, 3))
    ([4, 3, 2], (4, 3, 2))
    """

    _type = Type.BIJECTION

    def __init__(self, in_event_shape, out_event_shape):
        if not isinstance(in_event_shape, typing.Sequence) or not isinstance(
            out_event_shape, typing.Sequence
        ):
            raise TypeError(
                "Expected type of 'in_event_shape' and 'out_event_shape' is Sequence[int], but "
                f"got 'in_event_shape': {in_event_shape}, 'out_event_shape': {out_event_shape}"
            )
        if math.prod(in_event_shape) != math.prod(out_event_shape):
            raise ValueError(
                f"The numel of 'in_event_shape' {tuple(in_event_shape)} should equal that of "
                f"'out_event_shape' {tuple(out_event_shape)}"
            )
        self._in_event_shape = tuple(in_event_shape)
        self._out_event_shape = tuple(out_event_shape)
        super().__init__()

    @property
    def in_event_shape(self):
        return self._in_event_shape

    @property
    def out_event_shape(self):
        return self._out_event_shape

    @property
    def _domain(self):
        return variable.Independent(variable.real, len(self._in_event_shape))

    @property
    def _codomain(self):
        return variable.Independent(variable.real, len(self._out_event_shape))

    def _forward(self, x):
        batch = list(x.shape)[: x.dim() - len(self._in_event_shape)]
        return x.reshape(batch + list(self._out_event_shape))

    def _inverse(self, y):
        batch = list(y.shape)[: y.dim() - len(self._out_event_shape)]
        return y.reshape(batch + list(self._in_event_shape))

    @staticmethod
    def _swap(shape, old: tuple, new: tuple, what: str):
        if len(shape) < len(old):
            raise ValueError(
                f"Expected length of 'shape' is not less than {len(old)}, but got {len(shape)}"
            )
        if tuple(shape[len(shape) - len(old) :]) != old:
            raise ValueError(
                f"Event shape mismatch, expected {what} {old}, but got "
                f"{tuple(shape[len(shape) - len(old) :])}"
            )
        return tuple(shape[: len(shape) - len(old)]) + new

    def _forward_shape(self, shape):
        return self._swap(shape, self._in_event_shape, self._out_event_shape, "in_event_shape")

    def _inverse_shape(self, shape):
        return self._swap(shape, self._out_event_shape, self._in_event_shape, "out_event_shape")

    def _forward_log_det_jacobian(self, x):
        return _T.zeros(list(x.shape)[: x.dim() - len(self._in_event_shape)], dtype=x.dtype)


class SigmoidTransform(Transform):
    """``y = sigmoid(x)``.

    >>> import paddlefish as paddle
    >>> paddle.distribution.SigmoidTransform().forward(paddle.to_tensor([0.0])).numpy().tolist()
    [0.5]
    """

    @property
    def _codomain(self):
        return variable.Variable(False, 0, variable.Range(0.0, 1.0))

    def _forward(self, x):
        return _F.sigmoid(x)

    def _inverse(self, y):
        return y.log() - (-y).log1p()

    def _forward_log_det_jacobian(self, x):
        return -_F.softplus(-x) - _F.softplus(x)


class SoftmaxTransform(Transform):
    """``y = softmax(x)`` over the last axis; ``inverse`` is ``log`` (not injective, so no
    log-det-Jacobian).

    >>> import paddlefish as paddle
    >>> y = paddle.distribution.SoftmaxTransform().forward(paddle.to_tensor([0.0, 0.0]))
    >>> y.numpy().tolist()
    [0.5, 0.5]
    """

    _type = Type.OTHER

    @property
    def _domain(self):
        return variable.Independent(variable.real, 1)

    @property
    def _codomain(self):
        return variable.Variable(False, 1, variable.simplex)

    def _forward(self, x):
        x = (x - x.max(-1, keepdim=True)).exp()
        return x / x.sum(-1, keepdim=True)

    def _inverse(self, y):
        return y.log()

    def _forward_shape(self, shape):
        if len(shape) < 1:
            raise ValueError(f"Expected length of shape is grater than 1, but got {len(shape)}")
        return shape

    def _inverse_shape(self, shape):
        if len(shape) < 1:
            raise ValueError(f"Expected length of shape is grater than 1, but got {len(shape)}")
        return shape


class StackTransform(Transform):
    """Applies ``transforms[i]`` to slice ``i`` along ``axis``.

    >>> import paddlefish as paddle
    >>> D = paddle.distribution
    >>> t = D.StackTransform([D.ExpTransform(), D.PowerTransform(paddle.to_tensor(2.0))], 1)
    >>> t.forward(paddle.to_tensor([[0.0, 3.0]])).numpy().tolist()
    [[1.0, 9.0]]
    """

    def __init__(self, transforms, axis=0):
        if not transforms or not isinstance(transforms, typing.Sequence):
            raise TypeError(
                f"Expected 'transforms' is Sequence[Transform], but got {type(transforms)}."
            )
        if not all(isinstance(t, Transform) for t in transforms):
            raise TypeError("Expected all element in transforms is Transform Type.")
        if not isinstance(axis, int):
            raise TypeError(f"Expected 'axis' is int, but got {type(axis)}.")
        self._transforms = transforms
        self._axis = axis

    def _is_injective(self) -> bool:
        return all(t._is_injective() for t in self._transforms)

    @property
    def transforms(self):
        return self._transforms

    @property
    def axis(self):
        return self._axis

    def _map(self, v, method: str):
        self._check_size(v)
        parts = _T.unstack(v, self._axis)
        return _T.stack(
            [getattr(t, method)(p) for p, t in zip(parts, self._transforms)], self._axis
        )

    def _forward(self, x):
        return self._map(x, "forward")

    def _inverse(self, y):
        return self._map(y, "inverse")

    def _forward_log_det_jacobian(self, x):
        return self._map(x, "forward_log_det_jacobian")

    def _check_size(self, v):
        if not -v.dim() <= self._axis < v.dim():
            raise ValueError(
                f"Input dimensions {v.dim()} should be grater than stack transform axis "
                f"{self._axis}."
            )
        if v.shape[self._axis] != len(self._transforms):
            raise ValueError(
                f"Input size along axis {self._axis} ({v.shape[self._axis]}) should be equal to "
                f"the number of transforms ({len(self._transforms)})."
            )

    @property
    def _domain(self):
        return variable.Stack([t._domain for t in self._transforms], self._axis)

    @property
    def _codomain(self):
        return variable.Stack([t._codomain for t in self._transforms], self._axis)


class StickBreakingTransform(Transform):
    """Maps ``R^K`` onto the ``K+1``-simplex by stick breaking.

    >>> import paddlefish as paddle
    >>> y = paddle.distribution.StickBreakingTransform().forward(paddle.to_tensor([0.0, 0.0]))
    >>> [round(v, 4) for v in y.numpy().tolist()]
    [0.3333, 0.3333, 0.3333]
    """

    _type = Type.BIJECTION

    def _forward(self, x):
        k = x.shape[-1]
        offset = k + 1 - _T.ones([k]).cumsum(-1)
        z = _F.sigmoid(x - offset.log())
        z_cumprod = (1 - z).cumprod(-1)
        return _F.pad_last(z, 0, 1, 1.0) * _F.pad_last(z_cumprod, 1, 0, 1.0)

    def _inverse(self, y):
        y_crop = y[..., :-1]
        offset = y.shape[-1] - _T.ones([y_crop.shape[-1]]).cumsum(-1)
        sf = 1 - y_crop.cumsum(-1)
        return y_crop.log() - sf.log() + offset.log()

    def _forward_log_det_jacobian(self, x):
        y = self.forward(x)
        k = x.shape[-1]
        offset = k + 1 - _T.ones([k]).cumsum(-1)
        x = x - offset.log()
        return (-x + _F.log_sigmoid(x) + y[..., :-1].log()).sum(-1)

    def _forward_shape(self, shape):
        if not shape:
            raise ValueError(f"Expected 'shape' is not empty, but got {shape}")
        return tuple(shape[:-1]) + (shape[-1] + 1,)

    def _inverse_shape(self, shape):
        if not shape:
            raise ValueError(f"Expected 'shape' is not empty, but got {shape}")
        return tuple(shape[:-1]) + (shape[-1] - 1,)

    @property
    def _domain(self):
        return variable.Independent(variable.real, 1)

    @property
    def _codomain(self):
        return variable.Variable(False, 1, variable.simplex)


class TanhTransform(Transform):
    """``y = tanh(x)``.

    >>> import paddlefish as paddle
    >>> paddle.distribution.TanhTransform().inverse(paddle.to_tensor([0.0])).numpy().tolist()
    [0.0]
    """

    _type = Type.BIJECTION

    @property
    def _codomain(self):
        return variable.Variable(False, 0, variable.Range(-1.0, 1.0))

    def _forward(self, x):
        return x.tanh()

    def _inverse(self, y):
        return y.atanh()

    def _forward_log_det_jacobian(self, x):
        return 2.0 * (math.log(2.0) - x - _F.softplus(-2.0 * x))
