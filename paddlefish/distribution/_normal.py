"""``Normal``: the Gaussian, with Paddle 2.6's parameter handling (see NOTE [distribution params])."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from .. import tensor as _T
from ._distribution import Distribution, check_eager_sampling

__all__ = ["Normal"]


def _float_params(dist, a, b):
    """Paddle's shared Normal/Uniform constructor logic (see NOTE [distribution params]):
    returns (a, b, dtype, all_float); the first float32/float64 ndarray argument decides the
    dtype."""
    if isinstance(a, int):
        a = float(a)
    if isinstance(b, int):
        b = float(b)
    if dist._validate_args(a, b):
        return a, b, a.dtype, False
    all_float = isinstance(a, float) and isinstance(b, float)
    dtype = "float32"
    if isinstance(a, np.ndarray) and str(a.dtype) in ("float32", "float64"):
        dtype = str(a.dtype)
    elif isinstance(b, np.ndarray) and str(b.dtype) in ("float32", "float64"):
        dtype = str(b.dtype)
    ta, tb = dist._to_tensor(a, b)
    if dtype != "float32":
        ta, tb = ta.astype(dtype), tb.astype(dtype)
    return ta, tb, ta.dtype, all_float


def _check_shape(shape):
    if not isinstance(shape, Iterable):
        raise TypeError(f"sample shape must be Iterable object, got {type(shape).__name__}")
    return [int(s) for s in shape]


class Normal(Distribution):
    """The normal distribution ``N(loc, scale**2)``.

    ``loc``/``scale``: floats, lists, ndarrays (broadcast, float32 unless an ndarray is
    float64) or Tensors (kept as they are).

    >>> import paddlefish as paddle
    >>> d = paddle.distribution.Normal(0.0, 2.0)
    >>> round(float(d.entropy()), 4)
    2.1121
    >>> d.sample([5]).shape
    [5]
    >>> round(float(d.log_prob(paddle.to_tensor(0.0))), 4)
    -1.6121
    """

    def __init__(self, loc, scale, name=None):
        self.name = name if name is not None else "Normal"
        self.loc, self.scale, self.dtype, self.all_arg_is_float = _float_params(self, loc, scale)
        super().__init__(self.loc.shape)

    @property
    def mean(self):
        return self.loc

    @property
    def variance(self):
        return self.scale.pow(2)

    def sample(self, shape=(), seed=0):
        """Samples of shape ``shape + broadcast(loc, scale).shape`` (just ``shape`` when both
        parameters were python floats); the result is differentiable in loc and scale."""
        check_eager_sampling("Normal.sample")
        shape = _check_shape(shape)
        out_shape = shape + list((self.loc + self.scale).shape)
        eps = _T.randn(out_shape, dtype=self.dtype)
        out = eps * (_T.zeros(out_shape, dtype=self.dtype) + self.scale) + self.loc
        return out.reshape(shape) if self.all_arg_is_float else out

    def rsample(self, shape=()):
        """Reparameterised samples ``loc + eps * scale`` of shape ``shape + batch_shape``."""
        check_eager_sampling("Normal.rsample")
        shape = self._extend_shape(_check_shape(shape))
        eps = _T.randn(list(shape), dtype=self.dtype)
        return self.loc + eps * self.scale

    def entropy(self):
        zero = _T.zeros(list((self.loc + self.scale).shape), dtype=self.dtype)
        return (0.5 + zero) + (0.5 * math.log(2 * math.pi) + _T.log(self.scale + zero))

    def log_prob(self, value):
        value = self._check_values_dtype_in_probs(self.loc, value)
        var = self.scale * self.scale
        log_scale = _T.log(self.scale)
        return -1.0 * ((value - self.loc) * (value - self.loc)) / (2.0 * var) - (
            log_scale + math.log(math.sqrt(2.0 * math.pi))
        )

    def probs(self, value):
        value = self._check_values_dtype_in_probs(self.loc, value)
        var = self.scale * self.scale
        return _T.exp(-1.0 * ((value - self.loc) * (value - self.loc)) / (2.0 * var)) / (
            math.sqrt(2 * math.pi) * self.scale
        )

    def kl_divergence(self, other):
        var_ratio = self.scale / other.scale
        var_ratio = var_ratio * var_ratio
        t1 = (self.loc - other.loc) / other.scale
        t1 = t1 * t1
        return 0.5 * var_ratio + 0.5 * (t1 - 1.0 - _T.log(var_ratio))
