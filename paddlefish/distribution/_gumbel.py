"""``Gumbel`` (type-I extreme value)."""

from __future__ import annotations

import math

import numpy as np

from .. import tensor as _T
from ._laplace import real_or_tensor
from ._transformed_distribution import TransformedDistribution
from ._uniform import Uniform
from .transform import AffineTransform, ExpTransform

__all__ = ["Gumbel"]


class Gumbel(TransformedDistribution):
    """The Gumbel distribution with ``loc`` and ``scale`` (real numbers or Tensors).

    >>> import paddlefish as paddle
    >>> g = paddle.distribution.Gumbel(0.0, 1.0)
    >>> round(float(g.mean), 4), round(float(g.cdf(paddle.to_tensor(0.0))), 4)
    (0.5772, 0.3679)
    """

    def __init__(self, loc, scale):
        loc = real_or_tensor("Gumbel", "loc", loc)
        scale = real_or_tensor("Gumbel", "scale", scale)
        if loc.shape != scale.shape:
            self.loc, self.scale = _T.broadcast_tensors([loc, scale])
        else:
            self.loc, self.scale = loc, scale
        finfo = np.finfo(np.float32)
        self.base_dist = Uniform(
            _T.full_like(self.loc, float(finfo.tiny)), _T.full_like(self.loc, float(1 - finfo.eps))
        )
        self.transforms = ()
        super().__init__(self.base_dist, self.transforms)

    @property
    def mean(self):
        return self.loc + self.scale * np.euler_gamma

    @property
    def variance(self):
        pi2 = _T.full(self.loc.shape, math.pi * math.pi, dtype=self.scale.dtype)
        return _T.pow(self.scale, 2) * pi2 / 6

    @property
    def stddev(self):
        return _T.sqrt(self.variance)

    def prob(self, value):
        y = (self.loc - value) / self.scale
        return _T.exp(y - _T.exp(y)) / self.scale

    def log_prob(self, value):
        return _T.log(self.prob(value))

    def cdf(self, value):
        return _T.exp(-_T.exp(-(value - self.loc) / self.scale))

    def entropy(self):
        return _T.log(self.scale) + 1 + np.euler_gamma

    def sample(self, shape):
        return self.rsample(shape).detach()

    def rsample(self, shape):
        """``loc - scale * log(-log(u))``, differentiable in ``loc`` and ``scale``."""
        exp = ExpTransform()
        neg = AffineTransform(
            _T.zeros(self.scale.shape, dtype=self.loc.dtype), -_T.ones_like(self.scale)
        )
        affine = AffineTransform(self.loc, -self.scale)
        u = self._base.sample(list(shape))
        return affine.forward(exp.inverse(neg.forward(exp.inverse(u))))
