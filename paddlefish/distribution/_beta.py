"""``Beta``, a two-category ``Dirichlet`` underneath (as in Paddle)."""

from __future__ import annotations

import numbers

from .. import tensor as _T
from ._dirichlet import Dirichlet
from ._exponential_family import ExponentialFamily

__all__ = ["Beta"]


class Beta(ExponentialFamily):
    """The Beta distribution; ``alpha``/``beta`` are real numbers (float32 0-d tensors) or
    Tensors, broadcast against each other.

    >>> import paddlefish as paddle
    >>> b = paddle.distribution.Beta(2.0, 3.0)
    >>> round(float(b.mean), 4), round(float(b.variance), 4)
    (0.4, 0.04)
    >>> round(float(b.prob(paddle.to_tensor(0.5))), 4)
    1.5
    """

    def __init__(self, alpha, beta):
        if isinstance(alpha, numbers.Real):
            alpha = _T.full([], alpha)
        if isinstance(beta, numbers.Real):
            beta = _T.full([], beta)
        self.alpha, self.beta = _T.broadcast_tensors([alpha, beta])
        self._dirichlet = Dirichlet(_T.stack([self.alpha, self.beta], -1))
        super().__init__(self._dirichlet._batch_shape)

    @property
    def mean(self):
        return self.alpha / (self.alpha + self.beta)

    @property
    def variance(self):
        s = self.alpha + self.beta
        return self.alpha * self.beta / (s.pow(2) * (s + 1))

    def prob(self, value):
        return _T.exp(self.log_prob(value))

    def log_prob(self, value):
        return self._dirichlet.log_prob(_T.stack([value, 1.0 - value], -1))

    def sample(self, shape=()):
        """Samples of shape ``shape + batch_shape`` (a trailing 1 is squeezed, as in Paddle)."""
        return _T.squeeze(self._dirichlet.sample(tuple(shape))[..., 0], axis=-1)

    def entropy(self):
        return self._dirichlet.entropy()

    @property
    def _natural_parameters(self):
        return (self.alpha, self.beta)

    def _log_normalizer(self, x, y):
        return _T.lgamma(x) + _T.lgamma(y) - _T.lgamma(x + y)
