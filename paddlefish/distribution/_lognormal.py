"""``LogNormal``: ``exp`` of a ``Normal``."""

from __future__ import annotations

from .. import tensor as _T
from ._normal import Normal
from ._transformed_distribution import TransformedDistribution
from .transform import ExpTransform

__all__ = ["LogNormal"]


class LogNormal(TransformedDistribution):
    """``exp(X)`` for ``X ~ Normal(loc, scale)`` (parameters as for ``Normal``).

    >>> import paddlefish as paddle
    >>> d = paddle.distribution.LogNormal(0.0, 1.0)
    >>> round(float(d.mean), 4), round(float(d.entropy()), 4)
    (1.6487, 1.4189)
    """

    def __init__(self, loc, scale):
        self._base = Normal(loc=loc, scale=scale)
        self.loc = self._base.loc
        self.scale = self._base.scale
        super().__init__(self._base, [ExpTransform()])

    @property
    def mean(self):
        return _T.exp(self._base.mean + self._base.variance / 2)

    @property
    def variance(self):
        return _T.expm1(self._base.variance) * _T.exp(2 * self._base.mean + self._base.variance)

    def entropy(self):
        return self._base.entropy() + self._base.mean

    def probs(self, value):
        return _T.exp(self.log_prob(value))

    def kl_divergence(self, other):
        return self._base.kl_divergence(other._base)
