"""``Geometric``: failures before the first success (support 0, 1, 2, ...), Paddle 2.6's API
(``pmf``/``log_pmf``, no ``log_prob``)."""

from __future__ import annotations

import numbers

import numpy as np

from .. import tensor as _T
from ..eager.dispatch import get_recorder
from ..eager.tensor import Tensor
from ._distribution import Distribution, check_eager_sampling

__all__ = ["Geometric"]


def _check_k(k):
    if not isinstance(k, (numbers.Integral, Tensor)):
        raise TypeError(f"Expected type of k is number.Integral|Tensor, but got {type(k)}")


class Geometric(Distribution):
    """The geometric distribution with success probability ``probs`` in ``(0, 1]``.

    >>> import paddlefish as paddle
    >>> g = paddle.distribution.Geometric(0.5)
    >>> float(g.mean), round(float(g.pmf(2)), 4), round(float(g.cdf(1)), 4)
    (1.0, 0.125, 0.75)
    """

    def __init__(self, probs):
        if isinstance(probs, numbers.Real):
            probs = _T.full([], probs, dtype="float32")
        if not isinstance(probs, Tensor):
            raise TypeError(f"Expected type of probs is Number.Real|Tensor, but got {type(probs)}")
        if get_recorder() is None and (bool(_T.any(probs <= 0)) or bool(_T.any(probs > 1))):
            raise ValueError(
                "Expected parameter probs of distribution Geometric to satisfy the constraint "
                f"Interval(lower_bound=0.0, upper_bound=1.0), got {probs.numpy()}"
            )
        self.probs = probs
        super().__init__(tuple(probs.shape))

    @property
    def mean(self):
        return 1.0 / self.probs - 1.0

    @property
    def variance(self):
        return (1.0 / self.probs - 1.0) / self.probs

    @property
    def stddev(self):
        return _T.sqrt(self.variance)

    def pmf(self, k):
        _check_k(k)
        return _T.pow(1.0 - self.probs, k) * self.probs

    def log_pmf(self, k):
        _check_k(k)
        return _T.log(self.pmf(k))

    def sample(self, shape=()):
        return self.rsample(shape).detach()

    def rsample(self, shape=()):
        check_eager_sampling("Geometric.rsample")
        shape = list(self._extend_shape(tuple(shape)))
        tiny = float(np.finfo(np.float32).tiny)
        u = _T.uniform(shape, min=tiny, max=1.0, dtype=self.probs.dtype)
        return _T.floor(_T.log(u) / _T.log1p(-self.probs))

    def entropy(self):
        x = (1.0 - self.probs) * _T.log(1.0 - self.probs)
        y = self.probs * _T.log(self.probs)
        return -(x + y) / self.probs

    def cdf(self, k):
        _check_k(k)
        return 1.0 - _T.pow(1.0 - self.probs, k + 1)

    def kl_divergence(self, other):
        if not isinstance(other, Geometric):
            raise TypeError(f"Exected type of other is Geometric, but got {type(other)}")
        p, q = self.probs, other.probs
        return p * _T.log(p / q) + (1.0 - p) * _T.log((1.0 - p) / (1.0 - q))
