"""``TransformedDistribution``: a base distribution pushed through transforms."""

from __future__ import annotations

import typing

from . import transform as _transform
from ._distribution import Distribution, sum_rightmost
from ._independent import Independent

__all__ = ["TransformedDistribution"]


class TransformedDistribution(Distribution):
    """The distribution of ``transforms[-1](...transforms[0](x))`` for ``x ~ base``;
    ``log_prob`` subtracts the forward log-det-Jacobians.

    >>> import paddlefish as paddle
    >>> D = paddle.distribution
    >>> d = D.TransformedDistribution(D.Normal(0.0, 1.0), [D.ExpTransform()])
    >>> round(float(d.log_prob(paddle.to_tensor(1.0))), 4)  # the log-normal density at 1
    -0.9189
    """

    def __init__(self, base, transforms):
        if not isinstance(base, Distribution):
            raise TypeError(f"Expected type of 'base' is Distribution, but got {type(base)}.")
        if not isinstance(transforms, typing.Sequence):
            raise TypeError(
                "Expected type of 'transforms' is Sequence[Transform] or Chain, but got "
                f"{type(transforms)}."
            )
        if not all(isinstance(t, _transform.Transform) for t in transforms):
            raise TypeError("All element of transforms must be Transform type.")
        self._base = base
        self._transforms = transforms
        if not transforms:
            super().__init__(base.batch_shape, base.event_shape)
            return
        chain = _transform.ChainTransform(transforms)
        base_shape = tuple(base.batch_shape) + tuple(base.event_shape)
        rank = chain._domain.event_rank
        if len(base_shape) < rank:
            raise ValueError(
                f"'base' needs to have shape with size at least {rank}, but got {len(base_shape)}."
            )
        if rank > len(base.event_shape):
            base = Independent(base, rank - len(base.event_shape))
        shape = chain.forward_shape(tuple(base.batch_shape) + tuple(base.event_shape))
        event_rank = chain._codomain.event_rank + max(len(base.event_shape) - rank, 0)
        super().__init__(shape[: len(shape) - event_rank], shape[len(shape) - event_rank :])

    def sample(self, shape=()):
        x = self._base.sample(shape)
        for t in self._transforms:
            x = t.forward(x)
        return x

    def rsample(self, shape=()):
        x = self._base.rsample(shape)
        for t in self._transforms:
            x = t.forward(x)
        return x

    def log_prob(self, value):
        log_prob = 0.0
        y = value
        event_rank = len(self.event_shape)
        for t in reversed(self._transforms):
            x = t.inverse(y)
            event_rank += t._domain.event_rank - t._codomain.event_rank
            log_prob = log_prob - sum_rightmost(
                t.forward_log_det_jacobian(x), event_rank - t._domain.event_rank
            )
            y = x
        return log_prob + sum_rightmost(
            self._base.log_prob(y), event_rank - len(self._base.event_shape)
        )
