"""``Cauchy``: no mean or variance (asking raises ``ValueError``, as in Paddle)."""

from __future__ import annotations

import numpy as np

from .. import tensor as _T
from ..eager.tensor import Tensor
from ._distribution import Distribution, check_eager_sampling
from ._laplace import real_or_tensor

__all__ = ["Cauchy"]


def _need_tensor(value):
    if not isinstance(value, Tensor):
        raise TypeError(f"Cauchy: expected type of value is Tensor, but got {type(value)}")


class Cauchy(Distribution):
    """The Cauchy distribution with ``loc`` and ``scale`` (real numbers or Tensors).

    >>> import paddlefish as paddle
    >>> c = paddle.distribution.Cauchy(0.0, 1.0)
    >>> round(float(c.cdf(paddle.to_tensor(1.0))), 4)
    0.75
    >>> round(float(c.entropy()), 4)
    2.531
    """

    def __init__(self, loc, scale, name=None):
        self.name = name if name is not None else "Cauchy"
        loc = real_or_tensor("Cauchy", "loc", loc)
        scale = real_or_tensor("Cauchy", "scale", scale)
        if loc.shape != scale.shape:
            self.loc, self.scale = _T.broadcast_tensors([loc, scale])
        else:
            self.loc, self.scale = loc, scale
        self.dtype = self.loc.dtype
        super().__init__(batch_shape=self.loc.shape, event_shape=())

    @property
    def mean(self):
        raise ValueError("Cauchy distribution has no mean.")

    @property
    def variance(self):
        raise ValueError("Cauchy distribution has no variance.")

    @property
    def stddev(self):
        raise ValueError("Cauchy distribution has no stddev.")

    def sample(self, shape, name=None):
        return self.rsample(shape, name).detach()

    def rsample(self, shape, name=None):
        """Reparameterised samples ``loc + scale * tan(pi * (u - 0.5))``."""
        check_eager_sampling("Cauchy.rsample")
        if not isinstance(shape, (np.ndarray, Tensor, list, tuple)):
            raise TypeError(f"Expected type of shape is Sequence[int], but got {type(shape)}")
        shape = list(self._extend_shape(tuple(int(s) for s in shape)))
        u = _T.rand(shape, dtype=self.dtype)
        return self.loc.expand(shape) + self.scale.expand(shape) * _T.tan(np.pi * (u - 0.5))

    def prob(self, value):
        _need_tensor(value)
        return self.log_prob(value).exp()

    def log_prob(self, value):
        _need_tensor(value)
        value = self._check_values_dtype_in_probs(self.loc, value)
        loc, scale, value = _T.broadcast_tensors([self.loc, self.scale, value])
        return -_T.square((value - loc) / scale).log1p() - (
            _T.full(loc.shape, np.log(np.pi), dtype=self.dtype) + scale.log()
        )

    def cdf(self, value):
        _need_tensor(value)
        value = self._check_values_dtype_in_probs(self.loc, value)
        loc, scale, value = _T.broadcast_tensors([self.loc, self.scale, value])
        return _T.atan((value - loc) / scale) / np.pi + 0.5

    def entropy(self):
        return _T.full(self.loc.shape, np.log(4 * np.pi), dtype=self.dtype) + self.scale.log()

    def kl_divergence(self, other):
        if not isinstance(other, Cauchy):
            raise TypeError(f"Expected type of other is Cauchy, but got {type(other)}")
        t1 = ((self.scale + other.scale).pow(2) + (self.loc - other.loc).pow(2)).log()
        t2 = (4 * (self.scale * other.scale)).log()
        return t1 - t2
