"""``Laplace``: location/scale, with cdf and icdf."""

from __future__ import annotations

import numbers

import numpy as np

from .. import tensor as _T
from ..eager.tensor import Tensor
from ._distribution import Distribution, check_eager_sampling

__all__ = ["Laplace"]


def real_or_tensor(owner: str, name: str, v):
    """A real number becomes a float32 0-d tensor; a Tensor stays; anything else is refused."""
    if isinstance(v, Tensor):
        return v
    if isinstance(v, numbers.Real):
        return _T.full([], v)
    raise TypeError(f"{owner}: expected type of {name} is Real|Tensor, but got {type(v)}")


class Laplace(Distribution):
    """The Laplace distribution with ``loc`` and ``scale`` (real numbers or Tensors).

    >>> import paddlefish as paddle
    >>> d = paddle.distribution.Laplace(0.0, 1.0)
    >>> round(float(d.cdf(paddle.to_tensor(0.0))), 4), round(float(d.icdf(paddle.to_tensor(0.5))), 4)
    (0.5, 0.0)
    >>> d.rsample([3]).shape
    [3]
    """

    def __init__(self, loc, scale):
        loc = real_or_tensor("Laplace", "loc", loc)
        scale = real_or_tensor("Laplace", "scale", scale)
        if (len(scale.shape) > 0 or len(loc.shape) > 0) and loc.dtype == scale.dtype:
            self.loc, self.scale = _T.broadcast_tensors([loc, scale])
        else:
            self.loc, self.scale = loc, scale
        super().__init__(self.loc.shape)

    @property
    def mean(self):
        return self.loc

    @property
    def stddev(self):
        return 2**0.5 * self.scale

    @property
    def variance(self):
        return self.stddev.pow(2)

    def _validate_value(self, value):
        if isinstance(value, numbers.Real):
            value = _T.full([], value)
        if value.dtype != self.scale.dtype:
            value = value.astype(self.scale.dtype)
        if len(self.scale.shape) > 0 or len(self.loc.shape) > 0 or len(value.shape) > 0:
            return tuple(_T.broadcast_tensors([self.loc, self.scale, value]))
        return self.loc, self.scale, value

    def log_prob(self, value):
        loc, scale, value = self._validate_value(value)
        return -_T.log(2 * scale) - _T.abs(value - loc) / scale

    def entropy(self):
        return 1 + _T.log(2 * self.scale)

    def cdf(self, value):
        loc, scale, value = self._validate_value(value)
        return 0.5 - 0.5 * (value - loc).sign() * _T.expm1(-(value - loc).abs() / scale)

    def icdf(self, value):
        loc, scale, value = self._validate_value(value)
        term = value - 0.5
        return loc - scale * term.sign() * _T.log1p(-2 * term.abs())

    def sample(self, shape=()):
        return self.rsample(tuple(shape)).detach()

    def rsample(self, shape):
        """Reparameterised samples of shape ``shape + batch_shape``."""
        check_eager_sampling("Laplace.rsample")
        eps = 2.22045e-16 if str(self.loc.dtype) == "paddle.float64" else 1.19209e-07
        shape = list(self._extend_shape(tuple(shape)))
        u = _T.uniform(
            shape, min=float(np.nextafter(-1, 1)) + eps / 2, max=1.0 - eps / 2, dtype=self.loc.dtype
        )
        return self.loc - self.scale * u.sign() * _T.log1p(-u.abs())

    def kl_divergence(self, other):
        var_ratio = other.scale / self.scale
        t = _T.abs(self.loc - other.loc)
        term1 = (self.scale * _T.exp(-t / self.scale) + t) / other.scale
        return term1 + _T.log(var_ratio) - 1
